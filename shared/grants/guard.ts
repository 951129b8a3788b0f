// The one place a change of anyone's access is checked. Every path that changes what someone may do —
// assigning or editing a role, inviting, creating an API key, a plan change, a team or inbox assignment,
// a setting that changes a built-in role — asks here, so the no-escalation rule (PRODUCT.md §5) cannot
// be walked around by combining features. Race-freedom is the repositories' part: each such write is
// conditioned on the facts checked here (role versions and holder counters, member versions).
import type { Access } from '../access';
import { nowMs } from '../clock';
import { Conflict, Forbidden, InvalidRequest } from '../errors';
import { isPermission, PERMISSIONS, type Permission, type PermissionSet } from '../permissions/catalog';
import {
  type EffectiveGrants,
  type EffectiveSet,
  effectiveGrants,
  effectiveSet,
  MAX_ACTIVE_GRANTS,
  unionPermissions,
} from '../permissions/effective';
import { describeExcess, type Excess, grantExcess } from '../permissions/policy';
import {
  BUILTIN_ROLE_IDS,
  builtinPermissions,
  builtinRole,
  isBuiltinRoleId,
  type RoleDefinition,
  type WorkspaceRoleSettings,
} from '../permissions/roles';
import { TEMPLATE_BY_ID } from '../permissions/templates';
import type { Member } from '../table/members/member';
import { getRole } from '../table/roles/read';
import type { RoleRecord } from '../table/roles/record';
import type { WorkspaceRecord } from '../table/workspaces/record';

export interface ResolvedRole extends RoleDefinition {
  /** The stored custom role (absent for built-ins and templates). */
  record?: RoleRecord;
}

export function customDefinition(r: RoleRecord): ResolvedRole {
  return { id: r.id, name: r.name, description: r.description, kind: 'custom', permissions: r.permissions, record: r };
}

/** Whether a role id can only name a stored custom role (it is neither built-in nor a template). */
export const isCustomRoleId = (roleId: string): boolean => !isBuiltinRoleId(roleId) && !TEMPLATE_BY_ID.has(roleId);

/**
 * The role a role id names in this workspace, given the stored custom role when it names one (pure: callers
 * that read many roles at once, like the AuthZEN batch, pass what they read).
 */
export function roleDefinition(
  ws: Pick<WorkspaceRecord, 'settings'>,
  roleId: string,
  custom: RoleRecord | undefined,
): ResolvedRole | undefined {
  if (isBuiltinRoleId(roleId)) return builtinRole(roleId, ws.settings);
  const template = TEMPLATE_BY_ID.get(roleId);
  if (template) return template;
  return custom && custom.id === roleId ? customDefinition(custom) : undefined;
}

/** Which permissions a role grants in this workspace: built-in, template, or this workspace's custom role. */
export async function resolveRole(ws: WorkspaceRecord, roleId: string): Promise<ResolvedRole | undefined> {
  return roleDefinition(ws, roleId, isCustomRoleId(roleId) ? await getRole(ws.id, roleId) : undefined);
}

/** A role's permission set, or nothing for a role that does not resolve (fail closed). */
export async function rolePermissions(ws: WorkspaceRecord, roleId: string): Promise<PermissionSet> {
  return (await resolveRole(ws, roleId))?.permissions ?? {};
}

/** A role someone can be given (not ownership, not a template, one that exists here), or a 400 naming `path`. */
export async function assignableRole(access: Access, roleId: string, path: string): Promise<ResolvedRole> {
  const refuse = (message: string) => new InvalidRequest('Not an assignable role', [{ path, message }]);
  if (roleId === 'owner') throw refuse('Ownership moves only by POST /ownership');
  if (TEMPLATE_BY_ID.has(roleId)) throw refuse('Templates are starting points: clone one into a custom role first');
  const role = await resolveRole(access.workspace, roleId);
  if (!role) throw refuse(`No role "${roleId}" in this workspace`);
  return role;
}

/** What in `set` exceeds what the actor may grant (empty: nothing). Asked without throwing by previews. */
export function excessOf(
  access: Pick<Access, 'roleId' | 'permissions' | 'companyAdmin'>,
  set: PermissionSet,
): Excess[] {
  return grantExcess(
    { roleId: access.roleId, permissions: access.permissions, companyAdmin: access.companyAdmin },
    set,
  );
}

/** The no-escalation rule: granting `set` (in any way) must not exceed what the actor may grant. */
export function assertMayGrant(access: Access, set: PermissionSet, what: string): void {
  const excess = excessOf(access, set);
  if (excess.length > 0) {
    throw new Forbidden(`${describeExcess(excess)} (${what})`, { permission: excess[0]?.permission, exceeds: excess });
  }
}

/** Assigning a role: `teammates.manage`-free paths (invitations, API keys) use `assertMayGrant` directly. */
export async function assertMayAssign(access: Access, roleId: string, what: string, path: string) {
  const role = await assignableRole(access, roleId, path);
  assertMayGrant(access, role.permissions, what);
  return role;
}

/**
 * Touching a member (changing their role, removing, deactivating) needs the right to grant what they hold
 * now; nobody changes their own standing this way, and nobody but ownership transfer touches the Owner.
 */
export async function assertMayManage(access: Access, target: Member, verb: string): Promise<void> {
  if (isOwnerTarget(target)) {
    throw new Forbidden(`The Owner cannot be ${verb}; the Owner hands over ownership with POST /ownership`);
  }
  assertMayGrant(access, await heldBy(access.workspace, target), `${verb} a member whose role holds more than yours`);
}

/**
 * Everything a member holds or will hold again: its role now, the role a running term goes back to, and its
 * extra grants in force. Managing the member in any way needs the right to grant all of it.
 */
export async function heldBy(ws: WorkspaceRecord, target: Member): Promise<PermissionSet> {
  const roles = new Map<string, PermissionSet>();
  for (const id of rolesHeldBy(target)) roles.set(id, await rolePermissions(ws, id));
  return heldFrom(target, nowMs(), (id) => roles.get(id)) as PermissionSet;
}

/** The roles `heldFrom` asks about: the role stored now and the one a term goes back to. */
const rolesHeldBy = (target: Pick<Member, 'roleId' | 'previousRoleId'>): string[] =>
  target.previousRoleId ? [target.roleId, target.previousRoleId] : [target.roleId];

/**
 * `heldBy` on roles already read (batch readers: AuthZEN's `member` resource); `undefined` while one of
 * `rolesHeldBy` is not read yet.
 */
export function heldFrom(
  target: Pick<Member, 'roleId' | 'previousRoleId' | 'roleUntil' | 'grants'>,
  atMs: number,
  roleOf: (roleId: string) => PermissionSet | undefined,
): PermissionSet | undefined {
  const sets = rolesHeldBy(target).map(roleOf);
  if (sets.some((s) => s === undefined)) return undefined;
  const roles = (sets as PermissionSet[]).reduce<PermissionSet>((acc, s) => unionPermissions(acc, s), {});
  return unionPermissions(roles, effectiveGrants(target, atMs).extra);
}

/** Whether managing this member is managing the Owner (now, or after a running term). */
export const isOwnerTarget = (target: Pick<Member, 'roleId' | 'previousRoleId'>): boolean =>
  target.roleId === 'owner' || target.previousRoleId === 'owner';

/**
 * What a member may do now: nothing once deactivated; else the role in force (a time-bound role until its
 * end, then the previous one) and the extra grants in force, each compared with the clock now.
 */
export async function effectivePermissionsOf(
  ws: WorkspaceRecord,
  member: Member,
  /** Custom roles' sets as a change about to commit leaves them (an edited role), instead of what is stored. */
  roles?: ReadonlyMap<string, PermissionSet>,
): Promise<{ permissions: PermissionSet; grants: EffectiveGrants; rolePermissions: PermissionSet }> {
  const at = nowMs();
  const inForce = effectiveGrants(member, at).roleId;
  const role = member.status === 'deactivated' ? {} : (roles?.get(inForce) ?? (await rolePermissions(ws, inForce)));
  const { permissions, grants, rolePermissions: rolePerms } = effectiveSet(member, at, () => role) as EffectiveSet;
  return { permissions, grants, rolePermissions: rolePerms };
}

/**
 * Whether `target` is the person acting, whatever the credential: a member signed in, that member's own API key, a
 * company admin (by user, member or not) or that admin's key. Every rule about "oneself" asks here, on the actor
 * the access loader computed (`Access.actor`); a credential of the workspace (SCIM) is nobody.
 */
export function isSelf(
  access: Pick<Access, 'memberId' | 'actor'>,
  target: { id: string; userId?: string | null | undefined },
): boolean {
  const { actor } = access;
  return (
    target.id === access.memberId ||
    (actor.memberId !== null && target.id === actor.memberId) ||
    (actor.userId !== null && target.userId !== undefined && target.userId === actor.userId)
  );
}

/** Deactivating or reactivating a member: `teammates.manage` (the route), never yourself, never the Owner. */
export async function assertMayChangeStatus(access: Access, target: Member, verb: string): Promise<void> {
  if (isSelf(access, target)) throw new Forbidden(`Nobody can be ${verb} by themselves`);
  await assertMayManage(access, target, verb);
}

/** The longest a time-bound grant may run. */
export const MAX_GRANT_DAYS = 366;

/** `until` of a time-bound grant: in the future, within MAX_GRANT_DAYS; its canonical ISO form. */
export function grantEnd(until: string, path: string): string {
  const at = Date.parse(until);
  const now = nowMs();
  if (!(at > now)) throw new InvalidRequest('A grant must end in the future', [{ path, message: 'Not in the future' }]);
  if (at - now > MAX_GRANT_DAYS * 86_400_000) {
    throw new InvalidRequest('A grant runs at most a year', [
      { path, message: `At most ${MAX_GRANT_DAYS} days ahead` },
    ]);
  }
  return new Date(at).toISOString();
}

/**
 * Giving a member extra permissions for a period (directly, or by approving their request): the right to
 * manage the member (`teammates.manage`, what they hold), never yourself, and the no-escalation rule for
 * the permissions given; at most MAX_ACTIVE_GRANTS in force at once (all ride on the item the authorizer reads).
 */
export async function assertMayGrantExtra(
  access: Access,
  target: Member,
  permissions: PermissionSet,
  what: string,
): Promise<void> {
  if (isSelf(access, target)) throw new Forbidden('Nobody grants themselves permissions');
  if (target.status === 'deactivated') throw new Conflict('The member is deactivated: reactivate them first');
  assertManagesTeammates(access);
  await assertMayManage(access, target, 'given permissions as');
  assertMayGrant(access, permissions, what);
  if (effectiveGrants(target, nowMs()).grants.length >= MAX_ACTIVE_GRANTS) {
    throw new InvalidRequest(`A member holds at most ${MAX_ACTIVE_GRANTS} grants at once`, [
      { path: 'body', message: 'Remove or wait out a grant first' },
    ]);
  }
}

/** Changing a member's role (directly, for a period, or by approving a request): the same checks everywhere. */
export async function assertMayChangeRole(access: Access, target: Member, roleId: string): Promise<ResolvedRole> {
  if (isSelf(access, target)) throw new Forbidden('Nobody changes their own role');
  if (target.status === 'deactivated') throw new Conflict('The member is deactivated: reactivate them first');
  assertManagesTeammates(access);
  await assertMayManage(access, target, 'changed');
  return assertMayAssign(access, roleId, 'assigning a role', 'body.roleId');
}

/**
 * Handing over ownership: the Owner alone starts it, to another member who is active. A deactivated member made
 * Owner would leave the workspace with nobody holding the Owner's rights, and nobody could reactivate them (the
 * Owner is touched by nobody); the transfer's transaction holds the target at the version read, so a deactivation
 * racing it makes it fail.
 */
export function assertMayTransferOwnership(access: Access, target: Member): void {
  if (access.roleId !== 'owner') throw new Forbidden('Only the Owner transfers ownership');
  if (isSelf(access, target)) {
    throw new InvalidRequest('You are already the Owner', [{ path: 'body.memberId', message: 'Pick another member' }]);
  }
  if (target.status === 'deactivated') throw new Conflict('The member is deactivated: reactivate them first');
}

function assertManagesTeammates(access: Access) {
  // A SCIM token manages teammates by what it is (made by a teammates.manage holder for that): what it may give
  // is bounded by its ceiling's permissions, which is why teammates.manage is not among them.
  const exempt = access.roleId === 'owner' || access.companyAdmin || access.actor.credential === 'scim';
  if (!exempt && access.permissions['teammates.manage'] === undefined) {
    throw new Forbidden('Your role does not have the permission "teammates.manage"', {
      permission: 'teammates.manage',
    });
  }
}

/**
 * `requireApprovalFor` binds everyone but the Owner: only the Owner (or a company admin) changes it, so nobody
 * it binds lifts it to grant without approval.
 */
export function assertMayChangeGuardrails(
  access: Access,
  before: WorkspaceRoleSettings & { requireApprovalFor?: string[] },
  after: WorkspaceRoleSettings & { requireApprovalFor?: string[] },
): void {
  const same = JSON.stringify(before.requireApprovalFor ?? []) === JSON.stringify(after.requireApprovalFor ?? []);
  if (!same && access.roleId !== 'owner' && !access.companyAdmin) {
    throw new Forbidden('Only the Owner changes requireApprovalFor');
  }
}

/**
 * Workspace setting `requireApprovalFor` (role ids and permission keys): a grant by anyone but the Owner (or
 * a company admin) that gives one of them becomes an access request instead of taking effect. Asked here by
 * every path this guard calls a grant, with what that path gives (`set`) and the roles it gives (`roleIds`):
 * a role change, an extra grant, an invitation (members/service, members/grants, invitations/service), editing
 * a custom role (`addedPermissions`), moving a deleted role's holders (`reassignTo`), a setting that changes a
 * built-in role (`settingsGranted`), and an API key's role (roles/service, workspaces/service, api-keys/service).
 */
export function needsApproval(access: Access, set: PermissionSet, roleIds?: string | readonly string[]): boolean {
  if (access.roleId === 'owner' || access.companyAdmin) return false;
  const roles: readonly string[] = roleIds === undefined ? [] : typeof roleIds === 'string' ? [roleIds] : roleIds;
  const listed = access.workspace.settings.requireApprovalFor ?? [];
  return listed.some((x) => roles.includes(x) || (isPermission(x) && set[x] !== undefined));
}

/** What editing a role from `before` to `after` gives its holders: each permission new or at another scope. */
export function addedPermissions(before: PermissionSet, after: PermissionSet): PermissionSet {
  const added: PermissionSet = {};
  for (const def of PERMISSIONS) {
    const b = before[def.key];
    const a = after[def.key];
    if (a !== undefined && JSON.stringify(a) !== JSON.stringify(b)) added[def.key] = a;
  }
  return added;
}

/** What a settings change gives the holders of built-in roles (`settingsGrant` without what it takes away). */
export function settingsGranted(before: WorkspaceRoleSettings, after: WorkspaceRoleSettings): PermissionSet {
  const granted: PermissionSet = {};
  for (const id of BUILTIN_ROLE_IDS) {
    for (const [key, value] of Object.entries(
      addedPermissions(builtinPermissions(id, before), builtinPermissions(id, after)),
    )) {
      if (value !== undefined) granted[key as Permission] = value;
    }
  }
  return granted;
}

const configurePermission = (visibility: 'public' | 'private'): Permission =>
  visibility === 'public' ? 'inboxes.public.configure' : 'inboxes.private.configure';

/**
 * Giving or taking someone's reach to inboxes — directly, through a team's inboxes, or by joining or
 * leaving a team — is configuring those inboxes: public ones need `inboxes.public.configure`, private
 * ones `inboxes.private.configure`, whichever way the reach changes.
 */
export function assertMayChangeInboxReach(
  access: Access,
  // What of an inbox the rule reads (an InboxRecord fits): the guard judges inboxes without importing their folder.
  inboxes: readonly { kind: string; visibility: 'public' | 'private' }[],
  what: string,
): void {
  const needed = new Set(inboxes.filter((i) => i.kind === 'shared').map((i) => configurePermission(i.visibility)));
  for (const permission of ['inboxes.public.configure', 'inboxes.private.configure'] as const) {
    if (needed.has(permission) && access.permissions[permission] === undefined) {
      throw new Forbidden(`Your role does not have the permission "${permission}" (${what})`, { permission });
    }
  }
}

/**
 * A setting that changes what a built-in role holds (`agentsCanManageAttributes`) grants or takes those
 * permissions from every holder: the actor must be able to grant each permission that changes.
 */
export function settingsGrant(before: WorkspaceRoleSettings, after: WorkspaceRoleSettings): PermissionSet {
  const changed: PermissionSet = {};
  for (const id of BUILTIN_ROLE_IDS) {
    const a = builtinPermissions(id, before);
    const b = builtinPermissions(id, after);
    for (const def of PERMISSIONS) {
      const key = def.key;
      if (a[key] !== b[key]) changed[key] = b[key] ?? a[key] ?? true;
    }
  }
  return changed;
}

/**
 * What stops the actor from moving holders of `from` to `to` (changing members' roles): `null` when
 * nothing does. Needs `teammates.manage` and the right to grant both sets, like a role change.
 */
export function moveRefusal(
  access: Access,
  from: PermissionSet,
  to: PermissionSet,
): { permission: Permission; exceeds: Excess[] } | null {
  const actor = { roleId: access.roleId, permissions: access.permissions, companyAdmin: access.companyAdmin };
  const exceeds = [...grantExcess(actor, from), ...grantExcess(actor, to)];
  if (exceeds.length > 0) return { permission: exceeds[0]!.permission, exceeds };
  const exempt = access.roleId === 'owner' || access.companyAdmin;
  if (!exempt && access.permissions['teammates.manage'] === undefined) {
    return { permission: 'teammates.manage', exceeds: [] };
  }
  return null;
}
