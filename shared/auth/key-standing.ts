// THE judgement of an API key: whether it works and with which permissions, on facts read elsewhere. The access
// loader (authorizer and every write's fresh check), AuthZEN's `api_key` subjects and the access review all
// ask this one function, so a key refused by the authorizer is refused (and shown refused) everywhere.
// Pure (no zod, no repositories): the authorizer bundles it.
//
// A key is a credential of a person: of the member who made it (or whose key made it), or of a company admin.
// It works only while that person still stands here, and never with more than that person may grant NOW (the
// no-escalation rule of the guard, `grantExcess`, asked with the owner as grantor): an owner demoted after
// making the key caps it; an owner deactivated or removed stops it.

import type { PermissionSet } from '../permissions/catalog';
import { type Grantor, grantExcess } from '../permissions/policy';
import { COMPANY_ADMIN_OWNER_PREFIX } from '../table/api-keys/record';

/** What of a key the judgement reads: the lookup item or the workspace's record carry it alike. */
export interface KeyFacts {
  workspaceId: string;
  roleId: string;
  ownerMemberId?: string | undefined;
  ownerAdminSince?: string | undefined;
  revoked?: boolean | undefined;
  suspended?: boolean | undefined;
  /** Only on the record: who made it (the owner of keys made before owners were recorded). */
  createdBy?: string | undefined;
}

/**
 * Whom a key answers to: `cadmin_<userId>` (a company admin) or a member id. Keys made before owners were
 * recorded answer to their creator when that was a member; a key made by a key or a company admin back then
 * answers to nobody known (`undefined`: it does not work).
 */
export function keyOwnerOf(k: Pick<KeyFacts, 'ownerMemberId' | 'createdBy'>): string | undefined {
  if (k.ownerMemberId) return k.ownerMemberId;
  const by = k.createdBy;
  if (!by || by.startsWith('apikey_') || by.startsWith(COMPANY_ADMIN_OWNER_PREFIX)) return undefined;
  return by;
}

/** The company admin (user id) an owner reference names, if it names one. */
export const companyAdminOwner = (owner: string | undefined): string | undefined =>
  owner?.startsWith(COMPANY_ADMIN_OWNER_PREFIX) ? owner.slice(COMPANY_ADMIN_OWNER_PREFIX.length) : undefined;

/** The owner as read: for a member owner, its item (`null`: removed) and what it may do now. */
export type KeyOwnerFacts =
  | { kind: 'companyAdmin'; userId: string; grant: { orgId?: unknown; adminSince?: unknown } | null }
  | {
      kind: 'member';
      memberId: string;
      member: { userId: string; status?: string | undefined } | null;
      /** The owner's effective grantor standing (role in force, effective permissions) when active. */
      grantor: Grantor | undefined;
    }
  | { kind: 'unknown' };

export type KeyVerdict =
  | {
      ok: true;
      permissions: PermissionSet;
      /** The person behind the key. */
      person: { userId: string; memberId: string | null };
    }
  | { ok: false; reason: string; suspended: boolean };

/**
 * Whether a key works in workspace `ws` (its organization `orgId`) with `features`, and its permissions: its
 * role's, capped at what its owner may grant now.
 */
export function judgeKey(
  ws: { id: string; orgId?: string | undefined; features: readonly string[] },
  k: KeyFacts,
  rolePermissions: PermissionSet,
  owner: KeyOwnerFacts,
): KeyVerdict {
  const refuse = (reason: string, suspended = true): KeyVerdict => ({ ok: false, reason, suspended });
  if (k.workspaceId !== ws.id) return refuse('The key belongs to another workspace', false);
  if (k.revoked) return refuse('The key was revoked', false);
  if (k.suspended) return refuse('The key is suspended: the member it answers to was deactivated');
  if (!ws.features.includes('apiKeys'))
    return refuse('The plan does not include the feature "apiKeys": the key does not work', false);
  switch (owner.kind) {
    case 'unknown':
      // Fail closed: a key whose person cannot be told acts for nobody.
      return refuse('The key answers to no known person (made before owners were recorded): make a new key');
    case 'companyAdmin': {
      // Only under the grant of the tenure the key was made in: an admin removed and added again does not get
      // back keys made before (a security admin revoking someone expects their keys gone for good).
      const g = owner.grant;
      if (!g || !ws.orgId || g.orgId !== ws.orgId || g.adminSince !== k.ownerAdminSince) {
        return refuse('The company admin who made the key is no longer a company admin of this workspace');
      }
      // A company admin may grant anything: the key's role, whole.
      return { ok: true, permissions: rolePermissions, person: { userId: owner.userId, memberId: null } };
    }
    case 'member': {
      if (!owner.member) return refuse('The member the key answers to was removed');
      if (owner.member.status === 'deactivated' || !owner.grantor) {
        return refuse('The key is suspended: the member it answers to was deactivated');
      }
      return {
        ok: true,
        permissions: capToGrantable(owner.grantor, rolePermissions),
        person: { userId: owner.member.userId, memberId: owner.memberId },
      };
    }
  }
}

/**
 * `set` without what `grantor` may not grant: a permission held at a narrower scope is kept at that scope, one
 * not grantable at all is dropped. `set` itself when nothing exceeds (the Owner, a company admin).
 */
export function capToGrantable(grantor: Grantor, set: PermissionSet): PermissionSet {
  const excess = grantExcess(grantor, set);
  if (excess.length === 0) return set;
  const out: PermissionSet = { ...set };
  for (const e of excess) {
    if (e.held === null) delete out[e.permission];
    else (out as Record<string, unknown>)[e.permission] = e.held;
  }
  return out;
}
