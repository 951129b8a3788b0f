// One due scheduled message of the delivery's walk (scheduled-delivery.ts): re-read strongly consistent, decided
// again as its author at this instant and sent, or marked failed (audited, its author emailed), or left for the next
// run after a race on every attempt. Loaded by the walk on its first due entry: a run with nothing due loads neither
// the access loader nor the conversations' service and schemas (issue 19).
import type { Access, Principal } from '../access';
import { loadAccess } from '../auth/access';
import { nowMs } from '../clock';
import { itemReader } from '../db/item-reader';
import { parseItem } from '../db/items';
import { getItem, putNew } from '../db/ops';
import { type AppError, Conflict, Forbidden, NotFound, OptedOut, PlanLimit, RestrictedWord } from '../errors';
import { apiKeyRecordKey } from '../table/api-keys/keys';
import { ApiKeyRecord } from '../table/api-keys/record';
import { auditItem } from '../table/audit/entry';
import { memberKey } from '../table/members/keys';
import * as repo from './repository';
import type { ScheduledFailureReason, ScheduledMessageRecord } from './schema';
import { deliverScheduledAs } from './service';

type Item = Record<string, unknown>;

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

/** What became of one due message; a race on every attempt, or an error, is thrown (the walk retries it next run). */
export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'skipped' }
  | { kind: 'failed'; failureReason: ScheduledFailureReason };

const SKIPPED: DeliveryOutcome = { kind: 'skipped' };

/** Marked failed, or skipped when another run or a cancel settled it first. */
async function refused(
  s: ScheduledMessageRecord,
  failureReason: ScheduledFailureReason,
  details: Record<string, unknown>,
) {
  return (await markFailed(s, failureReason, details)) ? ({ kind: 'failed', failureReason } as const) : SKIPPED;
}

export async function deliverOne(key: { PK: string; SK: string }): Promise<DeliveryOutcome> {
  const item = await getItem<Item>(key, true);
  if (item?.entity !== 'ScheduledMessage') return SKIPPED;
  let s = repo.parseScheduledItem(item);
  for (let attempt = 1; ; attempt++) {
    if (s.status !== 'scheduled' || Date.parse(s.sendAt) > nowMs()) return SKIPPED;
    try {
      const author = await authorAccess(s);
      if (!author) return await refused(s, 'author_inactive', {});
      await deliverScheduledAs(author, s);
      return { kind: 'sent' };
    } catch (err) {
      const reason = failureReasonOf(err);
      if (reason) return await refused(s, reason, (err as AppError).details);
      if (!(err instanceof Conflict) || attempt >= ATTEMPTS) throw err;
    }
    // Cancelled transaction: another run sent it, it was cancelled, or what the decision used changed.
    const now = await repo.getScheduled(s.workspaceId, s.id, true);
    if (!now) return SKIPPED;
    s = now;
  }
}
