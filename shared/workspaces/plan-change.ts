// Changing a workspace's plan, with the downgrade rule of PRODUCT.md §6.
//
// A downgrade to a plan with fewer custom roles removes the surplus roles, newest first, and moves what
// holds them (members, pending invitations, API keys) to `member`. Moving someone is changing their
// role, so it is the actor's grant like any role change: it needs `teammates.manage` and the right to
// grant both the old role and `member`. When the actor may not make every one of those changes the
// downgrade is refused whole (409, naming the surplus roles, what holds them and what the actor lacks);
// an actor with only `billing.manage` can still downgrade once the surplus roles are unheld.
// Race-free: each move is conditional, each role goes only with zero holders, and the plan is set only if
// the workspace holds no more custom roles than the new plan allows (a role created meanwhile: 409).

import type { Access } from '../access';
import type { ChangeRequest } from '../change-request';
import { Conflict, InvalidRequest } from '../errors';
import { addedPermissions, moveRefusal, needsApproval } from '../grants/guard';
import type { PermissionSet } from '../permissions/catalog';
import { planById } from '../permissions/plans';
import { builtinPermissions } from '../permissions/roles';
import { getPlanCatalog } from '../plans/repository';
import type { Releases } from '../releases';
import { deleteRoles, listRoles } from '../roles/repository';
import { assertScimDoesNotName, reassignHolders } from '../roles/service';
import { seatsWithin } from '../seats/items';
import { assertSeatsFit } from '../seats/limit';
import { actorOf, auditItem } from '../table/audit/entry';
import type { RoleRecord } from '../table/roles/record';
import { getWorkspace, setWorkspacePlan } from './repository';
import { toWorkspace } from './service';

/** Roles deleted per transaction: each is two items and an audit entry, plus the workspace (≤ 100). */
const ROLES_PER_TRANSACTION = 30;

const holders = (r: RoleRecord) => r.memberCount + r.inviteCount + r.keyCount;

export async function changePlan(
  access: Access,
  planId: string,
  /** requireApprovalFor: the checked change is handed to this instead of taking effect (access requests). */
  /** releases: what moving holders to member releases (conversations', passed in by the handler). */
  options: { releases: Releases; toRequest?: (change: ChangeRequest) => Promise<unknown> },
) {
  const ws = access.workspace;
  const plan = planById(await getPlanCatalog(), planId);
  if (!plan) throw new InvalidRequest('Unknown plan', [{ path: 'body.plan', message: `No plan "${planId}"` }]);
  const now = new Date();

  // Members plus pending invitations, from the seat counter; the plan write is conditioned on it too, so
  // an invitation racing the downgrade cannot land a seat too many.
  const seats = plan.limits.seats;
  await assertSeatsFit(ws.id, { planId: plan.id, max: seats });

  const limit = plan.limits.customRoles;
  const roles = limit === null ? [] : (await listRoles(ws.id)).sort((a, b) => b.id.localeCompare(a.id));
  const surplus = limit === null ? [] : roles.slice(0, Math.max(0, roles.length - limit));
  const held = surplus.filter((r) => holders(r) > 0);
  const memberSet = builtinPermissions('member', ws.settings);
  const refusals = held.map((r) => moveRefusal(access, r.permissions, memberSet)).filter((x) => x !== null);
  if (refusals.length > 0) {
    throw new Conflict(
      `Moving to ${plan.id} removes ${surplus.length} custom role(s) and moves their holders to "member", which you may not do for every holder`,
      {
        surplusRoles: held.map((r) => ({
          id: r.id,
          name: r.name,
          members: r.memberCount,
          invitations: r.inviteCount,
          apiKeys: r.keyCount,
        })),
        permission: refusals[0]?.permission,
        exceeds: refusals.flatMap((x) => x.exceeds),
      },
    );
  }

  // Nothing SCIM relies on is removed (its provisioning would fail on a role that is gone): 409 before anything moves.
  await assertScimDoesNotName(
    ws,
    surplus.map((r) => r.id),
  );

  // requireApprovalFor: moving holders to member is a grant of member (the guard's check above): what member gives
  // beyond each surplus role, and the role itself, are asked like a role change's.
  const gives = Object.assign({}, ...held.map((r) => addedPermissions(r.permissions, memberSet))) as PermissionSet;
  if (options.toRequest && held.length > 0 && needsApproval(access, gives, 'member')) {
    return { pending: await options.toRequest({ action: 'plan.change', body: { plan: plan.id } }) };
  }

  const reason = `plan changed to ${plan.id}`;
  for (const r of held) await reassignHolders(access, r.id, 'member', reason, options.releases);
  for (let i = 0; i < surplus.length; i += ROLES_PER_TRANSACTION) {
    const step = surplus.slice(i, i + ROLES_PER_TRANSACTION);
    const fresh = await getWorkspace(ws.id, true);
    const current = (await listRoles(ws.id)).filter((r) => step.some((s) => s.id === r.id));
    if (!fresh || current.length === 0) continue;
    // Again on the workspace whose rolesVersion the deletion holds: a setting or token written since is seen here,
    // one written after makes the deletion fail.
    await assertScimDoesNotName(
      fresh,
      current.map((r) => r.id),
    );
    const audits = current.map((r) =>
      auditItem({
        workspaceId: ws.id,
        actor: actorOf(access),
        action: 'role.delete.planDowngrade',
        target: { type: 'role', id: r.id },
        before: { name: r.name, description: r.description, permissions: r.permissions },
        after: null,
      }),
    );
    await deleteRoles(ws.id, current, fresh.rolesVersion, audits);
  }

  const fresh = (await getWorkspace(ws.id, true)) ?? ws;
  if (plan.id !== fresh.planId) {
    const audit = auditItem({
      workspaceId: ws.id,
      actor: actorOf(access),
      action: 'plan.change',
      target: { type: 'workspace', id: ws.id },
      before: { plan: fresh.planId },
      after: { plan: plan.id },
    });
    try {
      await setWorkspacePlan(
        ws.id,
        plan.id,
        fresh.version,
        limit,
        now.toISOString(),
        [audit],
        seatsWithin(ws.id, seats),
      );
    } catch (err) {
      if (err instanceof Conflict) await assertSeatsFit(ws.id, { planId: plan.id, max: seats });
      throw err;
    }
  }
  const after = await getWorkspace(ws.id, true);
  return { workspace: toWorkspace(after ?? fresh), removedRoles: surplus.map((r) => r.id) };
}
