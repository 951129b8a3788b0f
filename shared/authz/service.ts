// POST /authz/check: the same policy module, asked in words, for the caller or (with teammates.manage)
// for another member.
import type { Access } from '../access';
import { contactVisibleTo } from '../contacts/service';
import { Forbidden, InvalidRequest, NotFound } from '../errors';
import { effectivePermissionsOf, resolveRole, rolePermissions } from '../grants/guard';
import { getMember } from '../members/repository';
import { ALWAYS_ALLOWED, isPermission, type Permission, type PermissionSet } from '../permissions/catalog';
import type { EffectiveGrants } from '../permissions/effective';
import { decide } from '../permissions/policy';
import type { AuthzCheckBody } from './schema';

export async function checkAuthz(access: Access, input: AuthzCheckBody) {
  const ws = access.workspace;
  // An action is a catalog permission or one every member may do whatever the role (the two never overlap).
  const permission = isPermission(input.action) ? input.action : undefined;
  if (permission === undefined && !(ALWAYS_ALLOWED as readonly string[]).includes(input.action)) {
    throw new InvalidRequest('Unknown action', [
      { path: 'body.action', message: `"${input.action}" is not in the permission catalog` },
    ]);
  }

  // About oneself: `access` is the access loader's fresh decision (the route is `fresh`), grants included.
  let subject = { memberId: access.memberId, roleId: access.roleId, permissions: access.permissions };
  let grants: EffectiveGrants | undefined = access.grants;
  let rolePerms: PermissionSet | undefined;
  if (input.memberId !== undefined && input.memberId !== access.memberId) {
    const may = decide(
      { permission: 'teammates.manage' },
      { permissions: access.permissions, features: access.plan.features },
    );
    if (!may.allowed) {
      throw new Forbidden('Checking another member needs "teammates.manage"', { permission: 'teammates.manage' });
    }
    const member = await getMember(ws.id, input.memberId, true);
    if (!member) throw new NotFound('Member');
    const eff = await effectivePermissionsOf(ws, member);
    subject = { memberId: member.id, roleId: eff.grants.roleId, permissions: eff.permissions };
    grants = eff.grants;
    rolePerms = eff.rolePermissions;
  }

  if (input.resource) {
    const { type, id } = input.resource;
    let exists = false;
    if (type === 'member') exists = (await getMember(ws.id, id)) !== undefined;
    else if (type === 'role') exists = (await resolveRole(ws, id)) !== undefined;
    // A contact the caller cannot see (contactsVisibility: private) does not exist for them.
    else if (type === 'contact') exists = await contactVisibleTo(access, id);
    // Inboxes and conversations: not looked up here yet, so none exists in any workspace.
    if (!exists) throw new NotFound(type[0]?.toUpperCase() + type.slice(1));
  }

  // Each time-bound grant counted, and when it ends.
  const base = {
    memberId: subject.memberId,
    roleId: subject.roleId,
    grants: (grants?.grants ?? []).map((g) => ({ id: g.id, permissions: g.permissions, until: g.until })),
    roleGrant: grants?.roleGrant ?? null,
  };
  if (permission === undefined) {
    return { ...base, allowed: true, reason: `Every member may do "${input.action}", whatever the role` };
  }
  const d = decide({ permission }, { permissions: subject.permissions, features: access.plan.features });
  if (d.allowed) {
    rolePerms ??= grants?.grants.length ? await rolePermissions(ws, subject.roleId) : subject.permissions;
    const by = d.permission && rolePerms[d.permission] === undefined ? grantGiving(grants, d.permission) : undefined;
    const reason = by ? `A grant gives "${d.permission}" until ${by.until}` : d.reason;
    return { ...base, allowed: true, reason, ...(d.permission ? { permission: d.permission } : {}) };
  }
  if (d.code === 'plan_limit') return { ...base, allowed: false, code: d.code, reason: d.reason, feature: d.feature };
  return { ...base, allowed: false, code: d.code, reason: d.reason, permission: d.permission };
}

/** The grant in force that gives `permission`, the one lasting longest. */
function grantGiving(grants: EffectiveGrants | undefined, permission: Permission) {
  return (grants?.grants ?? [])
    .filter((g) => g.permissions[permission] !== undefined)
    .sort((a, b) => (a.until < b.until ? 1 : -1))[0];
}
