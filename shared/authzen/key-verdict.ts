// An API key judged on AuthZEN's facts (batched reads) by THE judgement the access loader uses (`judgeKey`), so
// AuthZEN's `api_key` subjects and the access review's key rows answer what the authorizer answers: a removed
// company admin's key, a removed or deactivated owner's key, and a demoted owner's key (capped) alike.
import { companyAdminOwner, judgeKey, type KeyOwnerFacts, type KeyVerdict, keyOwnerOf } from '../auth/key-standing';
import { isCustomRoleId, roleDefinition } from '../grants/guard';
import type { PermissionSet } from '../permissions/catalog';
import { effectiveSet } from '../permissions/effective';
import type { ApiKeyFacts, Facts } from './repository';

/** A role's permissions from the facts; `undefined` while its item is being read. */
function roleOf(f: Facts, roleId: string): PermissionSet | undefined {
  if (!isCustomRoleId(roleId)) return roleDefinition(f.ws, roleId, undefined)?.permissions ?? {};
  const custom = f.customRole(roleId);
  if (custom === undefined) return undefined;
  return roleDefinition(f.ws, roleId, custom ?? undefined)?.permissions ?? {};
}

/** The key's verdict at `at` on a plan with `features`, or `undefined` while a fact is being read (ask again). */
export function keyVerdictOf(
  f: Facts,
  k: ApiKeyFacts,
  features: readonly string[],
  at: number,
): KeyVerdict | undefined {
  const rolePermissions = roleOf(f, k.roleId);
  const ownerRef = keyOwnerOf(k);
  const adminOwner = companyAdminOwner(ownerRef);
  let owner: KeyOwnerFacts;
  if (!ownerRef) owner = { kind: 'unknown' };
  else if (adminOwner) {
    const grant = f.companyAdminGrant(adminOwner);
    if (grant === undefined) return undefined;
    owner = { kind: 'companyAdmin', userId: adminOwner, grant };
  } else {
    const m = f.member(ownerRef);
    if (m === undefined) return undefined;
    let grantor: { roleId: string; permissions: PermissionSet } | undefined;
    if (m && m.status !== 'deactivated') {
      const set = effectiveSet(m, at, (id) => roleOf(f, id));
      if (set === undefined) return undefined;
      if (!set.deactivated) grantor = { roleId: set.grants.roleId, permissions: set.permissions };
    }
    owner = {
      kind: 'member',
      memberId: ownerRef,
      member: m ? { userId: m.userId, ...(m.status ? { status: m.status } : {}) } : null,
      grantor,
    };
  }
  if (rolePermissions === undefined) return undefined;
  return judgeKey({ id: f.ws.id, orgId: f.ws.orgId, features }, k, rolePermissions, owner);
}
