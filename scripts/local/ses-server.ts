// A local stand-in for the Amazon SES v2 endpoint: the real SES adapter (SESv2Client) sends to it
// locally, and it keeps what it received for GET /dev/outbox. Only SendEmail is implemented.
// It honours SES's mailbox simulator: a message to bounce@, complaint@ or suppressionlist@simulator.amazonses.com
// makes SES publish a Bounce or Complaint event of the configuration set to its SNS topic; here that event, in the
// shape SES and SNS give it, goes to `publish` (the real functions/mail-events handler, wired in mail.ts).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { SNSEvent } from 'aws-lambda';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
  messageId: string;
  tags: Record<string, string>;
}

/** SES's mailbox simulator addresses that produce a bounce or complaint event (success@ and ooto@ produce none here). */
export const SIMULATOR = {
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
  suppressionList: 'suppressionlist@simulator.amazonses.com',
} as const;

export interface SesServerOptions {
  /** Where the configuration set's SNS topic delivers (SNS → Lambda). Without it simulator addresses are plain mail. */
  publish?: (event: SNSEvent) => Promise<void>;
  /** How long after the send SES "publishes" the event (real SES: seconds). */
  eventDelayMs?: number;
}

/** The SES event (event publishing format) the simulator produces for `to`, or undefined for an ordinary address. */
export function simulatorEvent(
  to: string,
  mail: { messageId: string; source: string; destination: string[]; tags: Record<string, string>; sentAt: string },
): Record<string, unknown> | undefined {
  const address = to.toLowerCase();
  const common = {
    mail: {
      timestamp: mail.sentAt,
      source: mail.source,
      sourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/inbox.localhost',
      sendingAccountId: '000000000000',
      messageId: mail.messageId,
      destination: mail.destination,
      tags: {
        'ses:configuration-set': ['local'],
        ...Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]])),
      },
    },
  };
  const timestamp = new Date().toISOString();
  if (address === SIMULATOR.bounce || address === SIMULATOR.suppressionList) {
    return {
      eventType: 'Bounce',
      bounce: {
        // The simulator's bounce is a hard bounce; its suppression-list address is refused as on SES's list.
        bounceType: 'Permanent',
        bounceSubType: address === SIMULATOR.bounce ? 'General' : 'OnAccountSuppressionList',
        bouncedRecipients: [
          { emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
        ],
        timestamp,
        feedbackId: randomUUID(),
        reportingMTA: 'dsn; local-ses',
      },
      ...common,
    };
  }
  if (address === SIMULATOR.complaint) {
    return {
      eventType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: to }],
        timestamp,
        feedbackId: randomUUID(),
        complaintFeedbackType: 'abuse',
      },
      ...common,
    };
  }
  return undefined;
}

/** An SNS notification to Lambda carrying `message`, as the topic's subscription delivers it. */
export function snsEvent(message: Record<string, unknown>): SNSEvent {
  const topic = 'arn:aws:sns:us-east-1:000000000000:local-ses-events';
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topic}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topic,
          Subject: '',
          Message: JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'http://127.0.0.1/local-sns.pem',
          UnsubscribeUrl: 'http://127.0.0.1/local-sns/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

export interface SesServer {
  url: string;
  outbox: CapturedMail[];
  close(): Promise<void>;
}

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } } };
  EmailTags?: { Name: string; Value: string }[];
}

export async function startSesServer(options: SesServerOptions = {}): Promise<SesServer> {
  const outbox: CapturedMail[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/v2/email/outbound-emails') {
        let body: SendEmailRequest;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendEmailRequest;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ message: 'bad request' }));
        }
        const messageId = randomUUID();
        const simple = body.Content?.Simple;
        const destination = body.Destination?.ToAddresses ?? [];
        const tags = Object.fromEntries((body.EmailTags ?? []).map((t) => [t.Name, t.Value]));
        const sentAt = new Date().toISOString();
        for (const to of destination) {
          outbox.push({
            to,
            subject: simple?.Subject?.Data ?? '',
            text: simple?.Body?.Text?.Data ?? '',
            html: simple?.Body?.Html?.Data ?? '',
            sentAt,
            messageId,
            tags,
          });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: messageId }));
        // After the send has been answered, as SES does: one event per simulator recipient.
        const { publish } = options;
        if (!publish) return;
        for (const to of destination) {
          const event = simulatorEvent(to, {
            messageId,
            source: body.FromEmailAddress ?? '',
            destination,
            tags,
            sentAt,
          });
          if (!event) continue;
          setTimeout(() => {
            publish(snsEvent(event)).catch((err: unknown) => {
              process.stderr.write(`[local SES] the SES event handler failed for ${to}: ${String(err)}\n`);
            });
          }, options.eventDelayMs ?? 100);
        }
        return;
      }
      if (req.method === 'GET' && url.pathname === '/_outbox') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const items = outbox.filter((m) => !to || m.to.toLowerCase() === to);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ items }));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    outbox,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
