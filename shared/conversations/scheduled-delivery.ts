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
// The walk is here; the decision of one message is in scheduled-decision.ts, loaded by the first due entry.

import { nowMs } from '../clock';
import { dueKeys } from '../db/due-index';
import { Conflict } from '../errors';
import { SCHEDULED_DUE_SHARDS, scheduledDuePk } from '../table/conversations/keys';
import { wsPk } from '../table/workspaces/keys';
import type { ScheduledFailureReason } from './schema';

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

export async function deliverDue(options: { workspaceIds?: readonly string[] } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { checked: 0, sent: 0, failed: 0, skipped: 0, retry: 0, failures: [], errors: [] };
  const nowIso = new Date(nowMs()).toISOString();
  // Loaded by the first due entry (scheduled-decision.ts): most runs, every minute, find nothing due.
  let decision: typeof import('./scheduled-decision') | undefined;
  for await (const key of dueKeys(scheduledDuePk, SCHEDULED_DUE_SHARDS, nowIso, options.workspaceIds?.map(wsPk))) {
    report.checked += 1;
    const ids = { workspaceId: key.PK.slice('WS#'.length), scheduledMessageId: key.SK.slice('SCHED#'.length) };
    try {
      decision ??= await import('./scheduled-decision');
      const outcome = await decision.deliverOne(key);
      if (outcome.kind === 'sent') report.sent += 1;
      else if (outcome.kind === 'skipped') report.skipped += 1;
      else {
        report.failed += 1;
        report.failures.push({ ...ids, failureReason: outcome.failureReason });
      }
    } catch (err) {
      report.retry += 1;
      report.errors.push({
        ...ids,
        error: err instanceof Conflict ? 'changed meanwhile' : (err as Error).message,
      });
    }
  }
  return report;
}
