// Losing the reach of an inbox releases what one was assigned there (issue 16, class 2). A change that takes members'
// reach of inboxes away (PUT .../members/{id}/inboxes, a team's inboxes or members changed, a team deleted) carries
// in its own transaction the release of every conversation assigned to them there that they can no longer work in
// (the one rule of work-in.ts, asked with the reach the change leaves), each audited like a
// deactivation's release (`conversation.unassign`, reason "assignee lost the inbox"). Before, an assignee taken out
// of a private inbox kept reading and replying to its conversations there (an assignee sees its own).
//
// Releasing is conditioned on the conversation still being theirs; if it is not, the whole change is a 409 to retry
// on fresh data. A transaction holds at most 100 items: releases beyond the room the change leaves run right after
// it commits, in the same conditional, audited steps as a deactivation's (shared/conversations/release.ts).
//
// The conversations are found through GSI1 (the assignee index), which DynamoDB updates eventually: an assignment
// committed an instant before the change can be missing from this pass. So the change's transaction also writes a
// reach release marker (table/members/keys.ts `reachMarkerItem`, one item, taken from the room), and the grant sweep
// runs the check again for those members (`lostReachPass`, from shared/jobs/release-pass.ts), deciding afresh with
// what is in force then: a member who regained the inbox meanwhile keeps the conversation.

import { now } from '../clock';
import { db, PutCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { putNew, type TransactItem } from '../db/ops';
import { effectivePermissionsOf } from '../grants/guard';
import { newId } from '../ids';
import type { LostReach, ReachAfter, ReleasePass } from '../releases';
import { type AuditEntry, auditItem } from '../table/audit/entry';
import { inboxKey } from '../table/inboxes/keys';
import { memberKey, reachMarkerItem } from '../table/members/keys';
import { memberVersionIs } from '../table/members/version';
import { getTeam } from '../teams/repository';
import type { WorkspaceRecord } from '../workspaces/repository';
import * as repo from './repository';
import { companyAdminOf, worksIn } from './work-in';

export const LOST_REACH_REASON = 'assignee lost the inbox';

interface Release {
  memberId: string;
  conversationId: string;
  inboxId: string;
  /** The member item the decision read (its `version`): the sweep's release is conditioned on it. */
  member: ReachAfter['members'][number];
}

/** The conversations assigned to the members in those inboxes that they will no longer be able to work in. */
async function toRelease(ws: WorkspaceRecord, after: ReachAfter): Promise<Release[]> {
  const all = after.inboxIds === 'all';
  const lost = new Set(all ? [] : after.inboxIds);
  const out: Release[] = [];
  if (!all && lost.size === 0) return out;
  const inboxes = new Map<string, repo.InboxFacts | null>(after.inboxes ?? []);
  const teams = new Map<string, readonly string[]>(after.teams ?? []);
  for (const member of after.members) {
    if (member.status === 'deactivated') continue; // its deactivation releases them
    const assigned: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.listAssigned(ws.id, member.id, { limit: 100, ...(cursor ? { cursor } : {}) });
      assigned.push(...page.items.filter((c) => all || lost.has(c.inboxId)).map((c) => [c.id, c.inboxId]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (assigned.length === 0) continue;
    for (const teamId of member.teamIds) {
      if (!teams.has(teamId)) teams.set(teamId, (await getTeam(ws.id, teamId))?.inboxIds ?? []);
    }
    const reach = new Set([...member.inboxIds, ...member.teamIds.flatMap((t) => teams.get(t) ?? [])]);
    const { permissions } = await effectivePermissionsOf(ws, member, after.roles);
    // A company admin of the organization works in every shared inbox whatever its membership holds.
    const { companyAdmin } = await companyAdminOf(ws, member);
    const who = { member, permissions, companyAdmin };
    for (const [conversationId, inboxId] of assigned as [string, string][]) {
      if (!inboxes.has(inboxId)) {
        const item = (await repo.batchGet([inboxKey(ws.id, inboxId)], true))[0];
        inboxes.set(inboxId, item ? repo.parseInboxFacts(item) : null);
      }
      const inbox = inboxes.get(inboxId);
      if (inbox == null || !worksIn(who, inbox, reach))
        out.push({ memberId: member.id, conversationId, inboxId, member });
    }
  }
  return out;
}

const auditOf = (wsId: string, actor: AuditEntry['actor'], r: Release) =>
  putNew(
    auditItem({
      workspaceId: wsId,
      actor,
      action: 'conversation.unassign',
      target: { type: 'conversation', id: r.conversationId },
      before: { assigneeId: r.memberId },
      after: { assigneeId: null, reason: LOST_REACH_REASON },
    }),
  );

/** Members a marker lists by id; a change taking the reach of more (an inbox turned private) marks them `all`. */
export const MARKED_MEMBERS_MAX = 1000;

/** The marker of a change (none when it takes nobody's reach: no active member, or no inbox). */
function markerOf(wsId: string, after: ReachAfter, at: string): Record<string, unknown> | undefined {
  const ids = after.members.filter((m) => m.status !== 'deactivated').map((m) => m.id);
  if (ids.length === 0 || (after.inboxIds !== 'all' && after.inboxIds.length === 0)) return undefined;
  return reachMarkerItem(wsId, newId('rr'), at, ids.length > MARKED_MEMBERS_MAX ? 'all' : ids, after.inboxIds);
}

/**
 * The releases a change of reach carries (see the top of this file): `room` is how many items its transaction
 * has left for them. The first item is the change's reach release marker; a change with no room for it (a caller
 * whose write is not one transaction: room 0) has it written first thing after it commits. `recheck: false`: no
 * marker (the grant sweep's own releases, decided long after the index caught up).
 */
export async function lostReachReleases(
  ws: WorkspaceRecord,
  actor: AuditEntry['actor'],
  after: ReachAfter,
  room: number,
  recheck = true,
): Promise<LostReach> {
  const releases = await toRelease(ws, after);
  const at = now().toISOString();
  const marker = recheck ? markerOf(ws.id, after, at) : undefined;
  const markerInside = marker !== undefined && room >= 1;
  const fit = Math.max(0, Math.floor((room - (markerInside ? 1 : 0)) / 3));
  const items = [
    ...(markerInside ? [putNew(marker)] : []),
    ...releases
      .slice(0, fit)
      .flatMap((r) => [
        ...repo.releaseAssigneeItems(ws.id, r.conversationId, r.memberId, at),
        auditOf(ws.id, actor, r),
      ]),
  ];
  const rest = releases.slice(fit);
  return {
    items,
    afterCommit: async () => {
      if (marker !== undefined && !markerInside) await putMarker(marker);
      for (const r of rest) {
        await repo.releaseAssignee(ws.id, r.conversationId, r.memberId, now().toISOString(), [
          auditOf(ws.id, actor, r),
        ]);
      }
    },
  };
}

async function putMarker(Item: Record<string, unknown>): Promise<void> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item }));
  } catch (err) {
    mapDbError(err);
  }
}

/**
 * The sweep's pass of a reach release marker: the conversations assigned to `members` (as read now, strongly
 * consistent) in `inboxIds` that they cannot work in with what is in force now, released one conditional, audited
 * step each (actor: the system). Each step is conditioned on the conversation still being theirs and on the member
 * item as the decision read it (its `version`, which moves with every change of its teams, role, grants and status,
 * and its own inbox list still without the inbox, where it was without it): a member given the inbox back meanwhile is decided again by the
 * next sweep. (A team given the inbox, a role edit or an inbox turned public in the instant between the decision and
 * the step are not in its condition: the conversation then goes back to the unassigned queue.) `found`:
 * conversations the decision would release; `released`: those this pass unassigned.
 */
export async function lostReachPass(
  ws: WorkspaceRecord,
  actor: AuditEntry['actor'],
  members: ReachAfter['members'],
  inboxIds: ReachAfter['inboxIds'],
): Promise<ReleasePass> {
  const releases = await toRelease(ws, { members, inboxIds });
  const pass: ReleasePass = { found: releases.length, released: 0 };
  for (const r of releases) {
    const read = memberVersionIs(r.member);
    // A member's own inbox list does not move its version: one given the inbox meanwhile must not lose the
    // conversation. One whose list already held it and still cannot work there (its role does not read messages)
    // is released on its version alone: conditioned on the list lacking the inbox, it would never be.
    const listed = r.member.inboxIds.includes(r.inboxId);
    const unchanged: TransactItem = repo.conditionCheck(
      memberKey(ws.id, r.memberId),
      listed ? read.condition : `(${read.condition}) AND NOT contains(inboxIds, :inbox)`,
      listed ? read.values : { ...read.values, ':inbox': r.inboxId },
    );
    if (
      await repo.releaseAssignee(ws.id, r.conversationId, r.memberId, now().toISOString(), [
        unchanged,
        auditOf(ws.id, actor, r),
      ])
    ) {
      pass.released += 1;
    }
  }
  return pass;
}
