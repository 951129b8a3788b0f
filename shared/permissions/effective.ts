// What a member's time-bound grants add to (or take from) their role at one instant. Pure, no zod, no
// repositories: the authorizer bundles it, and every decision (authorizer, write re-checks, /me,
// /authz/check, AuthZEN, the escalation property) reads grants through it, so "expired" means the same
// thing everywhere: `until <= now` is expired, to the millisecond, whether or not the sweep has run.
import { PERMISSIONS, type PermissionGrant, type PermissionSet, SCOPE_RANK } from './catalog';

/** An extra permission set held until `until` (ISO); kept on the member item and the membership pointer. */
export interface ExtraGrant {
  id: string;
  permissions: PermissionSet;
  until: string;
  reason?: string;
  grantedBy?: string;
  grantedAt?: string;
}

/** The grant facts stored with a membership (member item and `USER#u/WS#ws` pointer). */
export interface GrantFacts {
  roleId: string;
  /** The role is held until this instant, then `previousRoleId` again. */
  roleUntil?: string;
  previousRoleId?: string;
  grants?: readonly ExtraGrant[];
}

/** At most this many extra grants per member (all of them ride on the item the authorizer reads). */
export const MAX_ACTIVE_GRANTS = 10;

const expired = (until: string | undefined, at: number) => until !== undefined && Date.parse(until) <= at;

export interface EffectiveGrants {
  /** The role that decides now: the granted one until `roleUntil`, then the previous one. */
  roleId: string;
  /** The time-bound role still in force (absent when none, or when it has expired). */
  roleGrant?: { roleId: string; until: string; previousRoleId: string };
  /** Extra grants still in force. */
  grants: ExtraGrant[];
  /** Union of the extra grants' permissions (widest scope wins). */
  extra: PermissionSet;
  /** The nearest instant something here stops being honoured (ISO), if any. */
  expiresAt?: string;
}

export function effectiveGrants(facts: GrantFacts, atMs: number): EffectiveGrants {
  let roleId = facts.roleId;
  let roleGrant: EffectiveGrants['roleGrant'];
  if (facts.roleUntil !== undefined && facts.previousRoleId !== undefined) {
    if (expired(facts.roleUntil, atMs)) roleId = facts.previousRoleId;
    else roleGrant = { roleId: facts.roleId, until: facts.roleUntil, previousRoleId: facts.previousRoleId };
  }
  const grants = (facts.grants ?? []).filter((g) => !expired(g.until, atMs));
  const extra = grants.reduce<PermissionSet>((acc, g) => unionPermissions(acc, g.permissions), {});
  const ends = [...grants.map((g) => g.until), ...(roleGrant ? [roleGrant.until] : [])].sort();
  return { roleId, ...(roleGrant ? { roleGrant } : {}), grants, extra, ...(ends[0] ? { expiresAt: ends[0] } : {}) };
}

const rank = (g: PermissionGrant) => (g === true ? 4 : SCOPE_RANK[g]);

/** `a ∪ b`: every permission of either, a scoped one at the wider scope. */
export function unionPermissions(a: PermissionSet, b: PermissionSet): PermissionSet {
  const out: PermissionSet = { ...a };
  for (const def of PERMISSIONS) {
    const key = def.key;
    const g = b[key];
    if (g === undefined) continue;
    const held = out[key];
    out[key] = held === undefined || rank(g) > rank(held) ? g : held;
  }
  return out;
}

/** What decides about a member: its grant facts and whether it is deactivated. */
export interface MemberStanding extends GrantFacts {
  status?: 'active' | 'deactivated';
}

export interface EffectiveSet {
  /** What the member may do at that instant: nothing once deactivated, else role in force ∪ extra grants. */
  permissions: PermissionSet;
  /** The role in force's permissions (empty once deactivated). */
  rolePermissions: PermissionSet;
  grants: EffectiveGrants;
  deactivated: boolean;
}

/**
 * THE effective set of a member at an instant. `roleOf` answers a role's permissions, or `undefined` while
 * the caller has not read it yet (batch readers ask again once it is read; the answer is then `undefined`
 * too). Everything that decides about a member from its stored item goes through here: the authorizer's loader
 * (and so every handler's re-check), the guard's `effectivePermissionsOf`, AuthZEN subjects and the access review.
 */
export function effectiveSet(
  member: MemberStanding,
  atMs: number,
  roleOf: (roleId: string) => PermissionSet | undefined,
): EffectiveSet | undefined {
  const grants = effectiveGrants(member, atMs);
  if (member.status === 'deactivated') return { permissions: {}, rolePermissions: {}, grants, deactivated: true };
  const role = roleOf(grants.roleId);
  if (role === undefined) return undefined;
  return { permissions: unionPermissions(role, grants.extra), rolePermissions: role, grants, deactivated: false };
}
