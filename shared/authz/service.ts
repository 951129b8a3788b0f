// POST /authz/check: the same policy module, asked in words, for the caller or (with teammates.manage)
// for another member.
import type { Access } from '../access';
import { answer, isHidden, type Question } from '../authzen/evaluate';
import type { Decision } from '../authzen/schema';
import { Forbidden, InvalidRequest, NotFound } from '../errors';
import { effectivePermissionsOf, rolePermissions } from '../grants/guard';
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

  // About a resource: the AuthZEN judgement (the routes' own rules: visibility, scopes, the guard's rules for
  // members and roles), so the check and the route it explains agree. What the caller cannot see is a 404, as the
  // route answers (asked about the caller first, then about the member asked for).
  let onResource: Decision | undefined;
  if (input.resource) {
    const resource = { type: input.resource.type, id: input.resource.id };
    const what = input.resource.type[0]?.toUpperCase() + input.resource.type.slice(1);
    // Visibility does not depend on the action asked: an action every member may do is asked as a catalog one.
    const action = { name: permission ?? 'messages.view' };
    const questions: Question[] = [{ subject: selfSubject(access), action, resource }];
    if (subject.memberId !== access.memberId) {
      questions.push({ subject: { type: 'member', id: subject.memberId }, action, resource });
    }
    const decisions = await answer(access, questions);
    for (const d of decisions) {
      if (d.context?.error?.status === 404) throw new NotFound(what);
      if (d.context?.error) throw new InvalidRequest(d.context.reason, [{ path: 'body', message: d.context.reason }]);
    }
    if (decisions[0] && isHidden(decisions[0])) throw new NotFound(what);
    onResource = decisions[decisions.length - 1];
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
  if (onResource && !onResource.decision) {
    const c = onResource.context;
    const reason = c?.reason ?? `Not allowed on this ${input.resource?.type}`;
    if (c?.plan_limit)
      return { ...base, allowed: false, code: 'plan_limit' as const, reason, feature: c.plan_limit.feature };
    return { ...base, allowed: false, code: 'forbidden' as const, reason, permission: c?.permission ?? permission };
  }
  const d = decide({ permission }, { permissions: subject.permissions, features: access.plan.features });
  if (!d.allowed && onResource?.decision) {
    // Allowed on this resource whatever the role: the subject's own personal inbox (PRODUCT §3).
    return {
      ...base,
      allowed: true,
      reason: `Allowed on this ${input.resource?.type}: it is in the subject's own personal inbox`,
      permission,
    };
  }
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

/** The caller as an AuthZEN subject: its API key, its membership, or (a company admin without one) its user. */
function selfSubject(access: Access): Question['subject'] {
  if (access.actor.credential === 'apiKey') return { type: 'api_key', id: access.memberId.replace(/^apikey_/, '') };
  if (access.actor.credential === 'companyAdmin' && access.userId) return { type: 'user', id: access.userId };
  return { type: 'member', id: access.memberId };
}
