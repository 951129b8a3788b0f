// Delivering scheduled messages (docs/scheduled-messages.md): a job (EventBridge Scheduler, every minute; locally
// POST /dev/deliver-scheduled) walks the sparse GSI2 entries `SCHEDDUE#<shard>` / `<sendAt>#<ws>#<id>` of messages
// still `scheduled` whose sendAt has come, re-reads each strongly consistent (the index is keys only and may lag)
// and decides again as its author at this instant: the author's access is loaded by the access loader (as the
// authorizer and every write's fresh check do: still a member, active, its role, term and grants now; an API key
// still working), then the send route's own decision and write (service.ts deliverScheduledAs: the conversation
// visible, `messages.send` at a scope reaching it, the contact not opted out, no restricted word). Sent: the message
// and the move to `sent` are one transaction conditioned on `status = scheduled`, so however many runs overlap, one
// sends it. Refused: it moves to `failed` with `failureReason` (conditioned the same way), audited
// `scheduledMessage.failed`, and the mailer emails its author (scheduled-mailing.ts). A race (its transaction
// cancelled) decides again on fresh reads, up to three times; still racing, it stays `scheduled` for the next run.

import type { Access, Principal } from '../access';
import { loadAccess } from '../auth/access';
import { nowMs } from '../clock';
import { dueKeys } from '../db/due-index';
import { itemReader } from '../db/item-reader';
import { parseItem } from '../db/items';
import { getItem, putNew } from '../db/ops';
import { type AppError, Conflict, Forbidden, NotFound, OptedOut, PlanLimit, RestrictedWord } from '../errors';
import { apiKeyRecordKey } from '../table/api-keys/keys';
import { ApiKeyRecord } from '../table/api-keys/record';
import { auditItem } from '../table/audit/entry';
import { SCHEDULED_DUE_SHARDS, scheduledDuePk } from '../table/conversations/keys';
import { memberKey } from '../table/members/keys';
import { wsPk } from '../table/workspaces/keys';
import * as repo from './repository';
import type { ScheduledFailureReason, ScheduledMessageRecord } from './schema';
import { deliverScheduledAs } from './service';

type Item = Record<string, unknown>;

export interface DeliveryReport {
  /** Due entries read. */
  checked: number;
  sent: number;
  /** Marked `failed`: the author could not send it at sendAt (see `failures`). */
  failed: number;
  /** Nothing to do: settled meanwhile by another run or a cancel, or the index lagging. */
  skipped: number;
  /** Left `scheduled` for the next run (a race on every attempt, or an error): the run reports itself incomplete. */
  retry: number;
  failures: { workspaceId: string; scheduledMessageId: string; failureReason: ScheduledFailureReason }[];
  errors: { workspaceId: string; scheduledMessageId: string; error: string }[];
}

const SYSTEM = { memberId: null, userId: null, source: 'app' as const };
const ATTEMPTS = 3;

/** The author's access now (the access loader's judgement), or undefined: no longer a member, active, or working. */
async function authorAccess(s: ScheduledMessageRecord): Promise<Access | undefined> {
  let principal: Principal | undefined;
  if (s.author?.type === 'apiKey') {
    const record = await getItem<Item>(apiKeyRecordKey(s.workspaceId, s.author.keyId), true);
    if (record) principal = { type: 'apiKey', keyHash: parseItem(ApiKeyRecord, record, 'API key').keyHash };
  } else if (s.author?.type === 'user') principal = { type: 'user', userId: s.author.userId };
  else {
    // Written before authors were recorded: the member it names.
    const member = await getItem<Item>(memberKey(s.workspaceId, s.authorMemberId), true);
    if (typeof member?.userId === 'string') principal = { type: 'user', userId: member.userId };
  }
  if (!principal) return undefined;
  const access = await loadAccess(itemReader, s.workspaceId, principal, true);
  // The same membership: a user removed and added again is another member, not this message's author.
  return access?.memberId === s.authorMemberId ? access : undefined;
}

/** What a refusal means for the message (undefined: not a refusal, e.g. a race). */
function failureReasonOf(err: unknown): ScheduledFailureReason | undefined {
  if (err instanceof NotFound) return 'not_found';
  if (err instanceof PlanLimit) return 'plan_limit';
  if (err instanceof Forbidden) return 'forbidden';
  if (err instanceof OptedOut) return 'opted_out';
  if (err instanceof RestrictedWord) return 'restricted_word';
  return undefined;
}

/** `false`: it was no longer `scheduled` (another run, or a cancel, settled it first). */
async function markFailed(
  s: ScheduledMessageRecord,
  failureReason: ScheduledFailureReason,
  details: Record<string, unknown>,
): Promise<boolean> {
  const at = new Date(nowMs()).toISOString();
  try {
    await repo.settleScheduledWith(s, { status: 'failed', failureReason }, at, [
      putNew(
        auditItem({
          workspaceId: s.workspaceId,
          actor: SYSTEM,
          action: 'scheduledMessage.failed',
          target: { type: 'scheduledMessage', id: s.id },
          before: { status: 'scheduled', sendAt: s.sendAt, authorMemberId: s.authorMemberId },
          after: { status: 'failed', failureReason, ...details },
        }),
      ),
    ]);
    return true;
  } catch (err) {
    if (err instanceof Conflict) return false;
    throw err;
  }
}

async function deliverOne(key: { PK: string; SK: string }, report: DeliveryReport): Promise<void> {
  const item = await getItem<Item>(key, true);
  if (item?.entity !== 'ScheduledMessage') {
    report.skipped += 1;
    return;
  }
  let s = repo.parseScheduledItem(item);
  for (let attempt = 1; ; attempt++) {
    if (s.status !== 'scheduled' || Date.parse(s.sendAt) > nowMs()) {
      report.skipped += 1;
      return;
    }
    try {
      const author = await authorAccess(s);
      if (!author) {
        if (await markFailed(s, 'author_inactive', {})) {
          report.failed += 1;
          report.failures.push({
            workspaceId: s.workspaceId,
            scheduledMessageId: s.id,
            failureReason: 'author_inactive',
          });
        } else report.skipped += 1;
        return;
      }
      await deliverScheduledAs(author, s);
      report.sent += 1;
      return;
    } catch (err) {
      const reason = failureReasonOf(err);
      if (reason) {
        if (await markFailed(s, reason, (err as AppError).details)) {
          report.failed += 1;
          report.failures.push({ workspaceId: s.workspaceId, scheduledMessageId: s.id, failureReason: reason });
        } else report.skipped += 1;
        return;
      }
      if (!(err instanceof Conflict) || attempt >= ATTEMPTS) throw err;
    }
    // Cancelled transaction: another run sent it, it was cancelled, or what the decision used changed.
    const now = await repo.getScheduled(s.workspaceId, s.id, true);
    if (!now) {
      report.skipped += 1;
      return;
    }
    s = now;
  }
}

export async function deliverDue(options: { workspaceIds?: readonly string[] } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { checked: 0, sent: 0, failed: 0, skipped: 0, retry: 0, failures: [], errors: [] };
  const nowIso = new Date(nowMs()).toISOString();
  for await (const key of dueKeys(scheduledDuePk, SCHEDULED_DUE_SHARDS, nowIso, options.workspaceIds?.map(wsPk))) {
    report.checked += 1;
    try {
      await deliverOne(key, report);
    } catch (err) {
      report.retry += 1;
      report.errors.push({
        workspaceId: key.PK.slice('WS#'.length),
        scheduledMessageId: key.SK.slice('SCHED#'.length),
        error: err instanceof Conflict ? 'changed meanwhile' : (err as Error).message,
      });
    }
  }
  return report;
}
