// One due release marker of the grant sweep's second release pass (grant-sweep.ts): each marker
// (written by a deactivation or a removal, due at once) has the member's conversations released again, in the same
// conditional, audited steps, so an assignment the first pass missed (GSI1 had not shown it yet) is released within a
// sweep or two. The marker goes once a pass finds nothing assigned and the departure is older than the margin; a
// marker whose member is no longer deactivated at that instant (reactivated: which deletes it itself) or whose member
// item is there is stale and goes too. Loaded by the walk on its first due marker: a run with none loads none of the
// release modules (issue 19).
import * as z from 'zod';
import { nowMs } from '../clock';
import { releaseAssignments } from '../conversations/release';
import { parseItem } from '../db/items';
import { getItem } from '../db/ops';
import { deleteReleaseMarker } from '../members/repository';
import type { ReleaseCause } from '../releases';
import { memberKey } from '../table/members/keys';
import type { GrantSweepReport } from './grant-sweep';

type Item = Record<string, unknown>;

/**
 * How long after a deactivation or removal its release marker is kept even when a pass finds nothing: GSI1 (the assignee
 * index the release reads) normally catches up within a second; a minute leaves room for a slow propagation.
 */
export const RELEASE_SAFETY_MARGIN_MS = 60_000;

const SYSTEM = { memberId: null, userId: null, source: 'app' as const };

const MarkerBase = z.object({ entity: z.literal('ReleaseDue'), workspaceId: z.string(), memberId: z.string() });
/** A marker names its departure by the attribute holding its instant (see members/keys.ts). */
const ReleaseMarker = z.union([
  MarkerBase.extend({ removedAt: z.string() }).transform((m) => ({
    ...m,
    departure: 'removed' as const,
    at: m.removedAt,
  })),
  MarkerBase.extend({ deactivatedAt: z.string() }).transform((m) => ({
    ...m,
    departure: 'deactivated' as const,
    at: m.deactivatedAt,
  })),
]);

/** What the release steps check, when the member is still as the marker left it; `undefined`: stale. */
function stillDue(marker: z.output<typeof ReleaseMarker>, member: Item | undefined): ReleaseCause | undefined {
  if (marker.departure === 'removed') return member === undefined ? { departure: 'removed' } : undefined;
  return member?.status === 'deactivated' && member.deactivatedAt === marker.at
    ? { departure: 'deactivated', deactivatedAt: marker.at }
    : undefined;
}

export async function releaseDue(key: { PK: string; SK: string }, report: GrantSweepReport): Promise<void> {
  // The index may lag: what decides is the marker and the member as they are now.
  const item = await getItem<Item>(key, true);
  if (item === undefined) return;
  try {
    const marker = parseItem(ReleaseMarker, item, 'ReleaseDue');
    const member = await getItem<Item>(memberKey(marker.workspaceId, marker.memberId), true);
    const cause = stillDue(marker, member);
    if (cause === undefined) {
      await deleteReleaseMarker(marker.workspaceId, marker.memberId, marker.departure, marker.at);
      return;
    }
    const pass = await releaseAssignments(marker.workspaceId, marker.memberId, SYSTEM, cause);
    report.assignmentsReleased += pass.released;
    if (pass.found === 0 && nowMs() - Date.parse(marker.at) >= RELEASE_SAFETY_MARGIN_MS) {
      await deleteReleaseMarker(marker.workspaceId, marker.memberId, marker.departure, marker.at);
    }
  } catch (err) {
    report.failed += 1;
    report.failures.push({
      workspaceId: key.PK.slice('WS#'.length),
      memberId: key.SK.slice('RELEASE#'.length),
      error: (err as Error).message,
    });
  }
}
