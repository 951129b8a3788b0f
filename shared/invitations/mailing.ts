// Sending invitation emails from table stream records: one email per (invitation, nonce), whatever the
// number of times the record is delivered (Powertools idempotency, persisted in the same table).
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { DynamoDBRecord } from 'aws-lambda';
import { config } from '../config';
import { TableIdempotencyStore } from '../db/idempotency-store';
import { parseItem } from '../db/items';
import { imageOf } from '../db/stream';
import { consoleLink } from '../mail/links';
import { type Mailer, sesMailer } from '../mail/mailer';
import { invitationEmail } from '../mail/templates';
import { InvitationRecord } from '../table/invitations/record';
import { getInvitation } from './repository';
import { invitationToken } from './tokens';

export interface InvitationMailJob {
  workspaceId: string;
  invitationId: string;
  nonce: string;
}

/** The job a stream record asks for: a pending invitation inserted, or given a new nonce (resend/refresh). */
export function invitationJob(record: DynamoDBRecord): InvitationMailJob | undefined {
  const newImage = record.dynamodb?.NewImage;
  if (!newImage || (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY')) return undefined;
  // The stream carries every item of the table: only invitations are parsed as one. An invitation image that
  // does not parse fails its record (retried, then the DLQ) rather than being skipped unseen.
  const image = imageOf(newImage);
  if (image.entity !== 'Invitation') return undefined;
  const next = parseItem(InvitationRecord, image, 'Invitation');
  if (next.status !== 'pending') return undefined;
  if (record.eventName === 'MODIFY') {
    const old = record.dynamodb?.OldImage;
    const prev = old ? parseItem(InvitationRecord, imageOf(old), 'Invitation') : undefined;
    if (prev?.nonce === next.nonce) return undefined;
  }
  return { workspaceId: next.workspaceId, invitationId: next.id, nonce: next.nonce };
}

export const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: '[workspaceId, invitationId, nonce]',
  expiresAfterSeconds: 8 * 86_400,
});

const persistenceStore = new TableIdempotencyStore('IDEMPOTENCY#invitation-mail');

async function sendInvitationMail(job: InvitationMailJob, mailer: Mailer = sesMailer) {
  // Send only what is still current: a revoked invitation, or one resent since, gets no stale link.
  const current = await getInvitation(job.workspaceId, job.invitationId);
  if (current?.status !== 'pending' || current.nonce !== job.nonce) return { sent: false };
  const token = await invitationToken(job.workspaceId, job.invitationId, job.nonce);
  const link = consoleLink(config.mail().APP_URL, '/accept', { token });
  const mail = invitationEmail({
    workspaceName: current.workspaceName,
    inviterEmail: current.inviterEmail,
    roleId: current.roleId,
    link,
    expiresAt: current.expiresAt,
  });
  const { messageId } = await mailer.send({
    to: current.email,
    ...mail,
    tags: { kind: 'invitation', workspaceId: job.workspaceId, invitationId: job.invitationId },
  });
  return { sent: true, messageId };
}

export const sendInvitationMailOnce = makeIdempotent(sendInvitationMail, {
  persistenceStore,
  config: idempotencyConfig,
});
