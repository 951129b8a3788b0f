// One due release marker of the grant sweep's second release pass (grant-sweep.ts): each marker
// (written by a deactivation or a removal, due at once) has the member's conversations released again, in the same
// conditional, audited steps, so an assignment the first pass missed (GSI1 had not shown it yet) is released within a
// sweep or two. The marker goes once a pass finds nothing assigned and the departure is older than the margin; a
// marker whose member is no longer deactivated at that instant (reactivated: which deletes it itself) or whose member
// item is there is stale and goes too. The same family holds the reach release markers of changes that took members'
// reach of inboxes (conversations/reach-release.ts): each has the lost-reach check run again for its members, decided
// afresh with what is in force now (a member who regained the inbox keeps its conversation), and goes once a pass
// finds nothing to release past the margin. Loaded by the walk on its first due marker: a run with none loads none
// of the release modules (issue 19).
import * as z from 'zod';
import { nowMs } from '../clock';
import { lostReachPass } from '../conversations/reach-release';
import { releaseAssignments } from '../conversations/release';
import { parseItem } from '../db/items';
import { batchGetAll, getItem } from '../db/ops';
import { deleteReachMarker, deleteReleaseMarker, listAllMembers, toMember } from '../members/repository';
import type { ReleaseCause } from '../releases';
import { memberKey } from '../table/members/keys';
import { getWorkspace } from '../workspaces/repository';
import type { GrantSweepReport } from './report';

type Item = Record<string, unknown>;

/**
 * How long after a deactivation, a removal or a change of reach its release marker is kept even when a pass finds
 * nothing: GSI1 (the assignee index the release reads) normally catches up within a second; a minute leaves room for a
 * slow propagation.
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

const ReachMarker = z.object({
  entity: z.literal('ReachReleaseDue'),
  workspaceId: z.string(),
  markerId: z.string(),
  lostAt: z.string(),
  memberIds: z.union([z.literal('all'), z.array(z.string())]),
  inboxIds: z.union([z.literal('all'), z.array(z.string())]),
});

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
    if (item.entity === 'ReachReleaseDue')
      return await reachReleaseDue(parseItem(ReachMarker, item, 'ReachReleaseDue'), report);
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
      // A reach marker names its change, not a member: its id stands there.
      memberId: key.SK.slice(key.SK.indexOf('#') + 1),
      error: (err as Error).message,
    });
  }
}

/**
 * A reach release marker: its members as they are now (strongly consistent; one removed meanwhile has its own
 * marker, one deactivated is left to its deactivation's), checked again against what is in force now.
 */
async function reachReleaseDue(marker: z.output<typeof ReachMarker>, report: GrantSweepReport): Promise<void> {
  const ws = await getWorkspace(marker.workspaceId, true);
  if (ws === undefined) return deleteReachMarker(marker.workspaceId, marker.markerId);
  const members =
    marker.memberIds === 'all'
      ? await listAllMembers(ws.id)
      : (
          await batchGetAll(
            marker.memberIds.map((id) => memberKey(ws.id, id)),
            true,
          )
        ).map(toMember);
  const pass = await lostReachPass(ws, SYSTEM, members, marker.inboxIds);
  report.assignmentsReleased += pass.released;
  if (pass.found === 0 && nowMs() - Date.parse(marker.lostAt) >= RELEASE_SAFETY_MARGIN_MS) {
    await deleteReachMarker(marker.workspaceId, marker.markerId);
  }
}
