// Previews of access, on the same facts and rules as the decisions themselves: a role edit (the PATCH body) or a
// member's role change, simulated: what is added and removed, who gains, loses or keeps each permission and why,
// what the guard would refuse, and the version it was computed on. Nothing here writes.

import type { Access } from '../access';
import { apiKeysWithRole } from '../api-keys/repository';
import { allInboxes, Facts, settle } from '../authzen/repository';
import { nowMs } from '../clock';
import { Conflict, InvalidRequest, NotFound } from '../errors';
import {
  effectivePermissionsOf,
  excessOf,
  heldBy,
  isOwnerTarget,
  isSelf,
  resolveRole,
  rolePermissions,
} from '../grants/guard';
import { pendingInvitationsWithRole } from '../invitations/repository';
import { getMember, membersWithRole } from '../members/repository';
import type { Member } from '../members/schema';
import {
  PERMISSION_FEATURE,
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  SCOPE_RANK,
} from '../permissions/catalog';
import { type EffectiveSet, effectiveGrants, effectiveSet, unionPermissions } from '../permissions/effective';
import { canSee } from '../permissions/inbox-visibility';
import { builtinPermissions, imitatesBuiltinName } from '../permissions/roles';
import type { UpdateRoleBody } from '../roles/schema';
import { buildPermissionSet, cloneBase, customRoleOrRefuse } from '../roles/service';

type Grant = PermissionGrant;
type HolderRef = { type: 'member' | 'invitation' | 'apiKey'; id: string; label: string };
interface Holder extends HolderRef {
  companyAdmin: boolean;
  /** Deactivated: holds nothing before or after. */
  deactivated?: boolean;
  before: PermissionSet;
  after: PermissionSet;
}
interface Problem {
  kind: 'escalation' | 'plan' | 'name' | 'role' | 'self' | 'owner' | 'deactivated';
  message: string;
  permission?: Permission;
  feature?: string;
  exceeds?: { permission: Permission; requested: Grant; held: Grant | null }[];
}

const COMPANY_ADMIN_REASON = 'Company admin: holds every permission of the Owner whatever the role';
const DEACTIVATED_REASON = 'Deactivated: holds nothing whatever the role';

const keepsReason = (h: Holder) =>
  h.companyAdmin ? COMPANY_ADMIN_REASON : h.deactivated ? DEACTIVATED_REASON : 'Held the same way';

const rank = (g: Grant) => (g === true ? 3 : SCOPE_RANK[g]);

/** How one permission moves from `a` to `b` (undefined: not held), or null when it does not. */
function movement(a: Grant | undefined, b: Grant | undefined): 'added' | 'removed' | 'widened' | 'narrowed' | null {
  if (a === b) return null;
  if (a === undefined) return 'added';
  if (b === undefined) return 'removed';
  return rank(b) > rank(a) ? 'widened' : 'narrowed';
}

/** Per permission whose grant changes between the role sets: who gains, loses or keeps it. */
function changesOf(before: PermissionSet, after: PermissionSet, holders: readonly Holder[]) {
  const out = [];
  for (const def of PERMISSIONS) {
    const change = movement(before[def.key], after[def.key]);
    if (!change) continue;
    const gain: HolderRef[] = [];
    const lose: HolderRef[] = [];
    const unchanged: (HolderRef & { reason: string })[] = [];
    for (const h of holders) {
      const ref = { type: h.type, id: h.id, label: h.label };
      const moved = movement(h.before[def.key], h.after[def.key]);
      if (moved === null) unchanged.push({ ...ref, reason: keepsReason(h) });
      else if (moved === 'added' || moved === 'widened') gain.push(ref);
      else lose.push(ref);
    }
    out.push({
      permission: def.key,
      before: before[def.key] ?? null,
      after: after[def.key] ?? null,
      change,
      gain,
      lose,
      unchanged,
    });
  }
  return out;
}

function escalation(access: Access, set: PermissionSet, what: string): Problem[] {
  const exceeds = excessOf(access, set);
  if (exceeds.length === 0) return [];
  return [
    {
      kind: 'escalation',
      message: `You cannot grant permissions you do not hold (${what}): ${exceeds.map((e) => `"${e.permission}"`).join(', ')}`,
      permission: exceeds[0]?.permission,
      exceeds: exceeds.map((e) => ({ permission: e.permission, requested: e.requested, held: e.held })),
    },
  ];
}

/** Permissions granted that do nothing on this plan (every role, the Owner included, lacks the feature). */
function planProblems(access: Access, set: PermissionSet): Problem[] {
  const out: Problem[] = [];
  for (const def of PERMISSIONS) {
    const feature = PERMISSION_FEATURE[def.key];
    if (set[def.key] !== undefined && feature && !access.plan.features.includes(feature)) {
      out.push({
        kind: 'plan',
        message: `"${def.key}" is granted but the ${access.plan.id} plan lacks the feature "${feature}": it has no effect`,
        permission: def.key,
        feature,
      });
    }
  }
  return out;
}

/** Which of these users hold a company-admin grant for the workspace now (one batch read). */
async function companyAdmins(access: Access, userIds: readonly string[]): Promise<Set<string>> {
  const f = new Facts(access.workspace);
  const flags = await settle(f, () => userIds.map((u) => f.companyAdmin(u)));
  return new Set(userIds.filter((_, i) => flags[i] === true));
}

export const ownerSet = (access: Access) => builtinPermissions('owner', access.workspace.settings);

export async function simulateRoleEdit(access: Access, roleId: string, input: UpdateRoleBody) {
  const ws = access.workspace;
  const role = await customRoleOrRefuse(ws, roleId);
  if (input.version !== undefined && input.version !== role.version) {
    throw new Conflict('The role changed since you read it (stale version)', { version: role.version });
  }
  const base = await cloneBase(ws, input.cloneFrom, role.permissions);
  const after = buildPermissionSet(base, input.sections, input.permissions);
  const [members, invitations, keys] = await Promise.all([
    membersWithRole(ws.id, roleId),
    pendingInvitationsWithRole(ws.id, roleId),
    apiKeysWithRole(ws.id, roleId),
  ]);
  const admins = await companyAdmins(
    access,
    members.map((m) => m.userId),
  );
  const owner = ownerSet(access);
  // Each member's effective set with the role as it is and as edited (what /me shows): its grants in force
  // count on both sides, a deactivated member holds nothing, and a member whose term on this role is over
  // (not swept yet) holds its previous role, which the edit does not touch.
  const at = nowMs();
  const others = new Map<string, PermissionSet>();
  for (const m of members) {
    const inForce = effectiveGrants(m, at).roleId;
    if (inForce !== roleId && !others.has(inForce)) others.set(inForce, await rolePermissions(ws, inForce));
  }
  const effectiveWith = (m: Member, set: PermissionSet) =>
    (effectiveSet(m, at, (id) => (id === roleId ? set : others.get(id))) as EffectiveSet).permissions;
  const holders: Holder[] = [
    ...members.map((m) => {
      const companyAdmin = admins.has(m.userId);
      return {
        type: 'member' as const,
        id: m.id,
        label: m.email,
        companyAdmin,
        deactivated: m.status === 'deactivated',
        before: companyAdmin ? owner : effectiveWith(m, role.permissions),
        after: companyAdmin ? owner : effectiveWith(m, after),
      };
    }),
    ...invitations.map((i) => ({
      type: 'invitation' as const,
      id: i.id,
      label: i.email,
      companyAdmin: false,
      before: role.permissions,
      after,
    })),
    ...keys.map((k) => ({
      type: 'apiKey' as const,
      id: k.id,
      label: k.name,
      companyAdmin: false,
      before: role.permissions,
      after,
    })),
  ].sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));

  const problems: Problem[] = [
    ...escalation(access, role.permissions, 'editing a role that holds more than you'),
    ...escalation(access, after, 'editing a role'),
    ...(input.name !== undefined && imitatesBuiltinName(input.name)
      ? [{ kind: 'name' as const, message: `"${input.name}" is reserved for a built-in role` }]
      : []),
    ...planProblems(access, after),
  ];
  return {
    roleId,
    version: role.version,
    mayApply: problems.every((p) => p.kind === 'plan'),
    permissionsBefore: role.permissions,
    permissionsAfter: after,
    changes: changesOf(role.permissions, after, holders),
    holders: holders.map((h) => ({
      type: h.type,
      id: h.id,
      label: h.label,
      companyAdmin: h.companyAdmin,
      permissionsBefore: h.before,
      permissionsAfter: h.after,
    })),
    problems,
  };
}

/** The inboxes a member reaches directly or through teams, and the teams through which. */
async function reachOf(access: Access, member: Member) {
  const f = new Facts(access.workspace);
  const teams = await settle(f, () => member.teamIds.map((t) => f.team(t)));
  const byInbox = new Map<string, string[]>();
  for (const t of teams) for (const i of t?.inboxIds ?? []) byInbox.set(i, [...(byInbox.get(i) ?? []), t?.id ?? '']);
  const reach = new Set([...member.inboxIds, ...byInbox.keys()]);
  return { reach, byInbox };
}

export async function simulateMemberRole(access: Access, memberId: string, roleId: string) {
  const ws = access.workspace;
  const member = await getMember(ws.id, memberId, true);
  if (!member) throw new NotFound('Member');
  // Now: the member's effective set (the role in force, grants in force; nothing once deactivated). After: the
  // new role for good (a PATCH without `until` ends a running term) with the same grants in force.
  const now = await effectivePermissionsOf(ws, member);
  const fromRoleId = now.grants.roleId;
  const [current, next, held] = await Promise.all([
    resolveRole(ws, fromRoleId),
    resolveRole(ws, roleId),
    heldBy(ws, member),
  ]);
  if (!next) {
    throw new InvalidRequest('Not an assignable role', [
      { path: 'body.roleId', message: `No role "${roleId}" in this workspace` },
    ]);
  }
  const companyAdmin = (await companyAdmins(access, [member.userId])).has(member.userId);
  const owner = ownerSet(access);
  const deactivated = member.status === 'deactivated';
  const holder: Holder = {
    type: 'member',
    id: member.id,
    label: member.email,
    companyAdmin,
    deactivated,
    before: companyAdmin ? owner : now.permissions,
    after: companyAdmin ? owner : deactivated ? {} : unionPermissions(next.permissions, now.grants.extra),
  };
  const problems: Problem[] = [];
  if (isSelf(access, member)) problems.push({ kind: 'self', message: 'Nobody changes their own role' });
  if (isOwnerTarget(member)) {
    problems.push({ kind: 'owner', message: 'The Owner is changed only by an ownership transfer (POST /ownership)' });
  }
  if (deactivated) {
    problems.push({ kind: 'deactivated', message: 'The member is deactivated: reactivate them first' });
  }
  if (roleId === 'owner') problems.push({ kind: 'role', message: 'Ownership moves only by POST /ownership' });
  if (next.kind === 'template') {
    problems.push({ kind: 'role', message: 'Templates are starting points: clone one into a custom role first' });
  }
  problems.push(
    // What the guard's assertMayManage checks: every role held now or after a term, and grants in force.
    ...escalation(access, held, 'changing a member whose role holds more than yours'),
    ...escalation(access, next.permissions, 'assigning a role'),
    ...planProblems(access, next.permissions),
  );
  const [{ reach }, inboxes] = await Promise.all([reachOf(access, member), allInboxes(ws.id)]);
  const sees = (permissions: PermissionSet) =>
    new Set(inboxes.filter((i) => canSee({ memberId: member.id, permissions }, i, reach)).map((i) => i.id));
  const seenBefore = sees(holder.before);
  const seenAfter = sees(holder.after);
  return {
    memberId,
    fromRoleId,
    toRoleId: roleId,
    memberVersion: member.version ?? 1,
    roleVersion: next.record?.version ?? null,
    mayApply: problems.every((p) => p.kind === 'plan'),
    companyAdmin,
    permissionsBefore: holder.before,
    permissionsAfter: holder.after,
    changes: changesOf(current?.permissions ?? {}, next.permissions, [holder]),
    inboxes: {
      gain: [...seenAfter].filter((i) => !seenBefore.has(i)).sort(),
      lose: [...seenBefore].filter((i) => !seenAfter.has(i)).sort(),
    },
    problems,
  };
}
