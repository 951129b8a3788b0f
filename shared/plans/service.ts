// Changing a workspace's plan, with the downgrade rule of PRODUCT.md §6.

import { auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { Conflict, InvalidRequest } from '../http/errors';
import { countMembers } from '../members/repository';
import { getRole, listRoles } from '../roles/repository';
import { reassignHolders, removeRole } from '../roles/service';
import { getWorkspace, setWorkspacePlan } from '../workspaces/repository';
import { toWorkspace } from '../workspaces/service';
import { planById } from './plans';
import { getPlanCatalog } from './repository';

export async function changePlan(access: Access, planId: string) {
  const ws = access.workspace;
  const catalog = await getPlanCatalog();
  const plan = planById(catalog, planId);
  if (!plan) throw new InvalidRequest('Unknown plan', [{ path: 'body.plan', message: `No plan "${planId}"` }]);

  const seats = plan.limits.seats;
  if (seats !== null) {
    const members = await countMembers(ws.id);
    if (members > seats) {
      throw new Conflict(
        `The ${plan.id} plan allows ${seats} seats and the workspace has ${members} members; remove members first`,
        {
          limit: 'seats',
          max: seats,
          current: members,
        },
      );
    }
  }

  const now = new Date().toISOString();
  if (plan.id !== ws.planId) {
    const audit = auditItem({
      workspaceId: ws.id,
      actor: { memberId: access.memberId, userId: access.userId, source: access.source },
      action: 'plan.change',
      target: { type: 'workspace', id: ws.id },
      before: { plan: ws.planId },
      after: { plan: plan.id },
    });
    await setWorkspacePlan(ws.id, plan.id, ws.version, now, [audit]);
  }

  // Downgrade: the newest custom roles beyond the new limit go; their holders move to `member` first.
  // Re-running the same change finishes an interrupted one: it only acts on what is still surplus.
  const limit = plan.limits.customRoles;
  const removedRoles: string[] = [];
  if (limit !== null) {
    const roles = (await listRoles(ws.id)).sort((a, b) => b.id.localeCompare(a.id));
    const surplus = roles.slice(0, Math.max(0, roles.length - limit));
    for (const role of surplus) {
      await reassignHolders(access, role.id, 'member', `plan downgraded to ${plan.id}`);
      const fresh = await getWorkspace(ws.id, true);
      const current = await getRole(ws.id, role.id);
      if (!fresh || !current) continue;
      await removeRole({ ...access, workspace: fresh }, current, 'role.delete.planDowngrade');
      removedRoles.push(role.id);
    }
  }
  const after = await getWorkspace(ws.id, true);
  return { workspace: toWorkspace(after ?? ws), removedRoles };
}
