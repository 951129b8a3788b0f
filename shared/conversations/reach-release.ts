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

import { now } from '../clock';
import { putNew } from '../db/ops';
import { effectivePermissionsOf } from '../grants/guard';
import type { LostReach, ReachAfter } from '../releases';
import { type AuditEntry, auditItem } from '../table/audit/entry';
import { inboxKey } from '../table/inboxes/keys';
import { getTeam } from '../teams/repository';
import type { WorkspaceRecord } from '../workspaces/repository';
import * as repo from './repository';
import { companyAdminOf, worksIn } from './work-in';

export const LOST_REACH_REASON = 'assignee lost the inbox';

interface Release {
  memberId: string;
  conversationId: string;
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
      if (inbox == null || !worksIn(who, inbox, reach)) out.push({ memberId: member.id, conversationId });
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

/**
 * The releases a change of reach carries (see the top of this file): `room` is how many items its transaction
 * has left for them.
 */
export async function lostReachReleases(
  ws: WorkspaceRecord,
  actor: AuditEntry['actor'],
  after: ReachAfter,
  room: number,
): Promise<LostReach> {
  const releases = await toRelease(ws, after);
  const fit = Math.max(0, Math.floor(room / 3));
  const at = now().toISOString();
  const items = releases
    .slice(0, fit)
    .flatMap((r) => [...repo.releaseAssigneeItems(ws.id, r.conversationId, r.memberId, at), auditOf(ws.id, actor, r)]);
  const rest = releases.slice(fit);
  return {
    items,
    afterCommit: async () => {
      for (const r of rest) {
        await repo.releaseAssignee(ws.id, r.conversationId, r.memberId, now().toISOString(), [
          auditOf(ws.id, actor, r),
        ]);
      }
    },
  };
}
