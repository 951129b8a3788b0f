// Local mail: the SES stand-in (with SES's mailbox simulator feeding the real SES events Lambda), the
// environment the SES adapter and the mailer read, the stream poller that feeds the real mailer Lambda,
// and the /dev/outbox route.
import { randomBytes } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { LocalRoute } from './gateway';
import { type SesServer, startSesServer } from './ses-server';
import { type StreamPoller, startStreamPoller } from './streams';

export function mailEnv(sesEndpoint: string, secret: string): Record<string, string> {
  return {
    SES_ENDPOINT: sesEndpoint,
    MAIL_FROM: 'Inbox <invitations@inbox.localhost>',
    INVITE_TOKEN_SECRET: secret,
  };
}

export const newTokenSecret = () => randomBytes(32).toString('base64url');

export async function startLocalMail(opts: { endpoint: string; tableName: string }): Promise<{
  ses: SesServer;
  poller: StreamPoller;
  stop(): Promise<void>;
}> {
  // SES → SNS → the real SES events Lambda, for the mailbox simulator's addresses (bounce@simulator.amazonses.com …).
  const mailEvents = async (event: SNSEvent) => (await import('../../functions/mail-events/handler')).handler(event);
  const ses = await startSesServer({ publish: mailEvents });
  Object.assign(process.env, mailEnv(ses.url, process.env.INVITE_TOKEN_SECRET ?? newTokenSecret()));
  const { handler } = await import('../../functions/mailer/handler');
  const poller = await startStreamPoller({ endpoint: opts.endpoint, tableName: opts.tableName, handler });
  return {
    ses,
    poller,
    async stop() {
      await poller.stop();
      await ses.close();
    },
  };
}

/** GET /dev/outbox?to=: what the SES stand-in captured. */
export function outboxRoute(): LocalRoute {
  return {
    method: 'GET',
    path: '/dev/outbox',
    async handle({ query }) {
      const ses = process.env.SES_ENDPOINT;
      if (!ses) return { statusCode: 200, body: { items: [] } };
      const to = query.get('to');
      const res = await fetch(`${ses}/_outbox${to ? `?to=${encodeURIComponent(to)}` : ''}`);
      const { items } = (await res.json()) as { items: Record<string, unknown>[] };
      return {
        statusCode: 200,
        body: {
          items: items.map(({ to: t, subject, text, html, sentAt }) => ({ to: t, subject, text, html, sentAt })),
        },
      };
    },
  };
}
