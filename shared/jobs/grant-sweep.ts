// The grant sweep (scheduled, like the seat reconciliation): ends what time-bound grants left behind. Decisions
// never wait for it (every decision compares `until` with the clock), so it is housekeeping and history: it
// moves members whose role's term is over back to the role held before (which a running term keeps from being
// deleted: it counts as a holder), drops expired extra grants, and records one `grant.expired` audit entry per grant
// ended, in the same transaction, conditioned on the member's version (a racing change: retried next run).
// Walk: the sparse GSI2 holds exactly the member items carrying a term or grants, keyed by the nearest end
// (`GRANTEXP#<shard>` / `<until>#<ws>#<member>`, moved in every write of grants or terms: members/repository).
// Each shard is Queried for what is due (`GSI2SK` at or before now), page by page; the index is eventually
// consistent and holds keys only, so each member is re-read strongly consistent and decided on that read (a
// member changed since the index saw it is simply not due, or is changed on its fresh version). Scoped to some
// workspaces (tests, POST /dev/sweep-grants), the same Queries keep those workspaces' members only.
// The same run then walks the release markers (`RELEASE#<shard>` in GSI2) of deactivated and removed members: see
// sweepReleases.
import * as z from 'zod';
import { nowMs } from '../clock';
import { lostReachReleases } from '../conversations/reach-release';
import { releaseAssignments } from '../conversations/release';
import { WORK_IN_PERMISSIONS } from '../conversations/work-in';
import { dueKeys } from '../db/due-index';
import { parseItem } from '../db/items';
import { getItem } from '../db/ops';
import { Conflict } from '../errors';
import { deleteReleaseMarker, expireMemberGrants, toMember } from '../members/repository';
import { effectiveGrants } from '../permissions/effective';
import type { ReleaseCause } from '../releases';
import { auditItem } from '../table/audit/entry';
import { GRANT_EXPIRY_SHARDS, grantExpiryPk, memberKey, RELEASE_SHARDS, releaseDuePk } from '../table/members/keys';
import { wsPk } from '../table/workspaces/keys';
import { getWorkspace, type WorkspaceRecord } from '../workspaces/repository';

type Item = Record<string, unknown>;

export interface GrantSweepReport {
  checked: number;
  expired: number;
  rolesReverted: number;
  /** Conversations still assigned to a deactivated or removed member that a release pass unassigned. */
  assignmentsReleased: number;
  failed: number;
  failures: { workspaceId: string; memberId: string; error: string }[];
}

/**
 * Keys of the items a sparse GSI2 family holds at or before `nowIso` (shared/db/due-index.ts): member items whose
 * nearest grant end has come, or release markers.
 */
const due = dueKeys;

const SYSTEM = { memberId: null, userId: null, source: 'app' as const };

export async function sweepGrants(options: { workspaceIds?: readonly string[] } = {}): Promise<GrantSweepReport> {
  const report: GrantSweepReport = {
    checked: 0,
    expired: 0,
    rolesReverted: 0,
    assignmentsReleased: 0,
    failed: 0,
    failures: [],
  };
  const workspaces = new Map<string, WorkspaceRecord>();
  for await (const key of due(
    grantExpiryPk,
    GRANT_EXPIRY_SHARDS,
    new Date(nowMs()).toISOString(),
    options.workspaceIds?.map(wsPk),
  )) {
    // The index may lag: what decides is the item now (gone, or changed meanwhile: nothing due).
    const item = await getItem<Item>(key, true);
    if (item?.entity !== 'Member') continue;
    report.checked += 1;
    const wsId = String(item.workspaceId);
    const member = toMember(item);
    const at = nowMs();
    const eff = effectiveGrants(member, at);
    const ended = (member.grants ?? []).filter((g) => !eff.grants.some((k) => k.id === g.id));
    const roleOver = member.roleUntil !== undefined && member.previousRoleId !== undefined && !eff.roleGrant;
    if (ended.length === 0 && !roleOver) continue;
    try {
      // The previous role cannot be gone: a running term holds it (its holder counter), like the role itself.
      const revertTo = roleOver ? member.previousRoleId : undefined;
      const audits = [
        ...ended.map((g) =>
          auditItem({
            workspaceId: wsId,
            actor: SYSTEM,
            action: 'grant.expired',
            target: { type: 'member', id: member.id },
            before: { grantId: g.id, permissions: g.permissions, until: g.until },
            after: null,
          }),
        ),
        ...(roleOver
          ? [
              auditItem({
                workspaceId: wsId,
                actor: SYSTEM,
                action: 'grant.expired',
                target: { type: 'member', id: member.id },
                before: { roleId: member.roleId, until: member.roleUntil },
                after: { roleId: revertTo },
              }),
            ]
          : []),
      ];
      await expireMemberGrants(wsId, member, eff.grants, revertTo, audits);
      report.expired += audits.length;
      if (revertTo !== undefined) report.rolesReverted += 1;
      // What ended may have let the member see an inbox (inboxes.private.access by a term or a grant): the
      // conversations assigned to it where it can no longer work are released right after, in the conditional,
      // audited steps of a release (shared/conversations/reach-release.ts; decided with the clock, as is the rest).
      // Only a role that ended, or a grant that held what reach is made of, can take it (no reads otherwise).
      const tookReach = roleOver || ended.some((g) => WORK_IN_PERMISSIONS.some((p) => g.permissions[p] !== undefined));
      const ws = tookReach ? (workspaces.get(wsId) ?? (await getWorkspace(wsId, true))) : undefined;
      if (ws) {
        workspaces.set(wsId, ws);
        const released = await lostReachReleases(ws, SYSTEM, { members: [member], inboxIds: 'all' }, 0);
        await released.afterCommit();
      }
    } catch (err) {
      report.failed += 1;
      report.failures.push({
        workspaceId: wsId,
        memberId: member.id,
        error: err instanceof Conflict ? 'changed meanwhile' : (err as Error).message,
      });
    }
  }
  await sweepReleases(report, options.workspaceIds);
  return report;
}

/**
 * How long after a deactivation or removal its release marker is kept even when a pass finds nothing: GSI1 (the assignee
 * index the release reads) normally catches up within a second; a minute leaves room for a slow propagation.
 */
export const RELEASE_SAFETY_MARGIN_MS = 60_000;

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

/**
 * The second release pass: each release marker (written by a deactivation or a removal, due at once) has the
 * member's conversations released again, in the same conditional, audited steps, so an assignment the first pass
 * missed (GSI1 had not shown it yet) is released within a sweep or two. The marker goes once a pass finds nothing
 * assigned and the departure is older than the margin; a marker whose member is no longer deactivated at that
 * instant (reactivated: which deletes it itself) or whose member item is there is stale and goes too.
 */
async function sweepReleases(report: GrantSweepReport, workspaceIds?: readonly string[]): Promise<void> {
  for await (const key of due(releaseDuePk, RELEASE_SHARDS, new Date(nowMs()).toISOString(), workspaceIds?.map(wsPk))) {
    // The index may lag: what decides is the marker and the member as they are now.
    const item = await getItem<Item>(key, true);
    if (item === undefined) continue;
    try {
      const marker = parseItem(ReleaseMarker, item, 'ReleaseDue');
      const member = await getItem<Item>(memberKey(marker.workspaceId, marker.memberId), true);
      const cause = stillDue(marker, member);
      if (cause === undefined) {
        await deleteReleaseMarker(marker.workspaceId, marker.memberId, marker.departure, marker.at);
        continue;
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
}
