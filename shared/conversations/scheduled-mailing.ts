// Emailing the author of a scheduled message that failed at delivery (scheduled-delivery.ts), from the table
// stream like invitation and access-request emails (same mailer Lambda, same SES adapter): the stream record of its
// move from `scheduled` to `failed` is the job, sent once whatever the number of deliveries of the record
// (Powertools idempotency). The recipient is the author while it is an active member (for an API key, the member
// the key answers to); a removed or deactivated author is not emailed (it no longer reads the workspace). The email
// names the conversation, the time and the reason, never the message's text.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { DynamoDBRecord } from 'aws-lambda';
import { config } from '../config';
import { TableIdempotencyStore } from '../db/idempotency-store';
import { parseItem } from '../db/items';
import { getItem } from '../db/ops';
import { imageOf } from '../db/stream';
import { type Mailer, sesMailer } from '../mail/mailer';
import { scheduledFailedEmail } from '../mail/templates';
import { getMember } from '../members/repository';
import { apiKeyRecordKey } from '../table/api-keys/keys';
import { ApiKeyRecord } from '../table/api-keys/record';
import { getWorkspace } from '../workspaces/repository';
import { getScheduled } from './repository';
import { type ScheduledFailureReason, ScheduledMessageRecord } from './schema';

export interface ScheduledFailedMailJob {
  workspaceId: string;
  scheduledMessageId: string;
}

/** A scheduled message that moved from `scheduled` to `failed`: its author gets an email. */
export function scheduledFailedJob(record: DynamoDBRecord): ScheduledFailedMailJob | undefined {
  const newImage = record.dynamodb?.NewImage;
  const oldImage = record.dynamodb?.OldImage;
  if (!newImage || !oldImage || record.eventName !== 'MODIFY') return undefined;
  const image = imageOf(newImage);
  if (image.entity !== 'ScheduledMessage') return undefined;
  const next = parseItem(ScheduledMessageRecord, image, 'Scheduled message');
  const prev = parseItem(ScheduledMessageRecord, imageOf(oldImage), 'Scheduled message');
  if (next.status !== 'failed' || prev.status !== 'scheduled') return undefined;
  return { workspaceId: next.workspaceId, scheduledMessageId: next.id };
}

export const scheduledFailedIdempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[workspaceId, scheduledMessageId]',
  expiresAfterSeconds: 8 * 86_400,
});

const persistenceStore = new TableIdempotencyStore('IDEMPOTENCY#scheduled-failed-mail');

const WHY: Record<ScheduledFailureReason, string> = {
  author_inactive: 'you are no longer an active member of the workspace',
  not_found: 'the conversation no longer exists or you can no longer see it',
  forbidden: 'you can no longer send messages in this conversation',
  opted_out: 'the contact opted out of messages',
  restricted_word: 'it contains a restricted word',
  plan_limit: "the workspace's plan no longer allows it",
};

async function sendScheduledFailedMail(job: ScheduledFailedMailJob, mailer: Mailer = sesMailer) {
  const [s, ws] = await Promise.all([
    getScheduled(job.workspaceId, job.scheduledMessageId, true),
    getWorkspace(job.workspaceId),
  ]);
  if (!s || !ws || s.status !== 'failed') return { sent: false };
  let memberId: string | undefined = s.authorMemberId;
  if (s.author?.type === 'apiKey') {
    const key = await getItem<Record<string, unknown>>(apiKeyRecordKey(ws.id, s.author.keyId), true);
    memberId = key ? parseItem(ApiKeyRecord, key, 'API key').ownerMemberId : undefined;
  }
  const author = memberId ? await getMember(ws.id, memberId, true) : undefined;
  if (!author || author.status === 'deactivated' || !author.email) return { sent: false };
  const mail = scheduledFailedEmail({
    workspaceName: ws.name,
    sendAt: s.sendAt,
    why: WHY[s.failureReason ?? 'forbidden'],
    link: `${config.mail().APP_URL}/workspaces/${ws.id}/conversations/${s.conversationId}`,
  });
  const { messageId } = await mailer.send({
    to: author.email,
    ...mail,
    tags: { kind: 'scheduled-failed', workspaceId: ws.id, scheduledMessageId: s.id },
  });
  return { sent: true, messageId };
}

export const sendScheduledFailedMailOnce = makeIdempotent(sendScheduledFailedMail, {
  persistenceStore,
  config: scheduledFailedIdempotency,
});
