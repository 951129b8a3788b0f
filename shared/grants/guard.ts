// The one place a change of anyone's access is checked. Every path that changes what someone may do —
// assigning or editing a role, inviting, creating an API key, a plan change, a team or inbox assignment,
// a setting that changes a built-in role — asks here, so the no-escalation rule (PRODUCT.md §5) cannot
// be walked around by combining features. Race-freedom is the repositories' part: each such write is
// conditioned on the facts checked here (role versions and holder counters, member versions).
import type { Access } from '../auth/access';
import { Forbidden, InvalidRequest } from '../errors';
import type { InboxRecord } from '../inboxes/repository';
import type { Member } from '../members/schema';
import { PERMISSIONS, type Permission, type PermissionSet } from '../permissions/catalog';
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
import { getRole, type RoleRecord } from '../roles/repository';
import type { WorkspaceRecord } from '../workspaces/repository';

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
  if (target.roleId === 'owner') {
    throw new Forbidden(`The Owner cannot be ${verb}; the Owner hands over ownership with POST /ownership`);
  }
  const current = await rolePermissions(access.workspace, target.roleId);
  assertMayGrant(access, current, `${verb} a member whose role holds more than yours`);
}

const configurePermission = (visibility: 'public' | 'private'): Permission =>
  visibility === 'public' ? 'inboxes.public.configure' : 'inboxes.private.configure';

/**
 * Giving or taking someone's reach to inboxes — directly, through a team's inboxes, or by joining or
 * leaving a team — is configuring those inboxes: public ones need `inboxes.public.configure`, private
 * ones `inboxes.private.configure`, whichever way the reach changes.
 */
export function assertMayChangeInboxReach(access: Access, inboxes: readonly InboxRecord[], what: string): void {
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
