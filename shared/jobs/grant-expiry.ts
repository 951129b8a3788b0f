// One due entry of the grant sweep's walk (grant-sweep.ts): the member re-read strongly consistent and, if a grant
// or its role's term is over on that read, its grants and role ended in one audited transaction, then the
// conversations it can no longer work in released. Loaded by the walk on its first due entry: a run with nothing due
// loads none of the member, permission and release modules (issue 19).
import { nowMs } from '../clock';
import { lostReachReleases } from '../conversations/reach-release';
import { WORK_IN_PERMISSIONS } from '../conversations/work-in';
import { getItem } from '../db/ops';
import { Conflict } from '../errors';
import { expireMemberGrants, toMember } from '../members/repository';
import { effectiveGrants } from '../permissions/effective';
import { auditItem } from '../table/audit/entry';
import { getWorkspace, type WorkspaceRecord } from '../workspaces/repository';
import type { GrantSweepReport } from './report';

type Item = Record<string, unknown>;

const SYSTEM = { memberId: null, userId: null, source: 'app' as const };

/** `workspaces`: the run's workspaces read so far (a release reads its workspace once per run). */
export async function expireDue(
  key: { PK: string; SK: string },
  report: GrantSweepReport,
  workspaces: Map<string, WorkspaceRecord>,
): Promise<void> {
  // The index may lag: what decides is the item now (gone, or changed meanwhile: nothing due).
  const item = await getItem<Item>(key, true);
  if (item?.entity !== 'Member') return;
  report.checked += 1;
  const wsId = String(item.workspaceId);
  const member = toMember(item);
  const at = nowMs();
  const eff = effectiveGrants(member, at);
  const ended = (member.grants ?? []).filter((g) => !eff.grants.some((k) => k.id === g.id));
  const roleOver = member.roleUntil !== undefined && member.previousRoleId !== undefined && !eff.roleGrant;
  if (ended.length === 0 && !roleOver) return;
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
      // No reach release marker: no assignment under what ended commits after its end, and this runs minutes later,
      // when GSI1 has long shown what committed before it.
      const released = await lostReachReleases(ws, SYSTEM, { members: [member], inboxIds: 'all' }, 0, false);
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
