// Custom roles: name rules, cloning, sections, the no-escalation check, plan limits, reassignment.

import type { Access } from '../access';
import { apiKeysWithRole, changeApiKeyRole } from '../api-keys/repository';
import type { ChangeRequest } from '../change-request';
import { pageInMemory, writeAfterCursor } from '../db/pagination';
import { Conflict, InvalidRequest, NotFound, PlanLimit } from '../errors';
import {
  addedPermissions,
  assertMayAssign,
  assertMayGrant,
  customDefinition,
  needsApproval,
  type ResolvedRole,
  resolveRole,
} from '../grants/guard';
import { newId } from '../ids';
import { changeInvitationRole, pendingInvitationsWithRole } from '../invitations/repository';
import { changeMemberRole, countMembersWithRole, getMember, membersWithRole } from '../members/repository';
import { scimSettingsOf } from '../members/scim-settings';
import {
  PERMISSION_BY_KEY,
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  type SectionId,
} from '../permissions/catalog';
import {
  BUILTIN_ROLE_IDS,
  builtinRole,
  imitatesBuiltinName,
  isBuiltinRoleId,
  normaliseRoleName,
  type RoleDefinition,
} from '../permissions/roles';
import { TEMPLATE_BY_ID, TEMPLATES } from '../permissions/templates';
import type { Releases } from '../releases';
import { actorOf, auditItem } from '../table/audit/entry';
import type { RoleRecord } from '../table/roles/record';
import type { WorkspaceRecord } from '../table/workspaces/record';
import * as repo from './repository';
import type { CreateRoleBody, Role, UpdateRoleBody } from './schema';

type PermissionsInput = Partial<Record<Permission, boolean | PermissionGrant>>;
type SectionsInput = Partial<Record<SectionId, 'full' | 'none'>>;

/** cloneFrom base, then whole sections, then single permissions (false removes). Pure. */
export function buildPermissionSet(
  base: PermissionSet,
  sections: SectionsInput = {},
  permissions: PermissionsInput = {},
): PermissionSet {
  const out: PermissionSet = { ...base };
  for (const [section, mode] of Object.entries(sections)) {
    for (const def of PERMISSIONS) {
      if (def.section !== section) continue;
      if (mode === 'full') out[def.key] = def.scoped ? 'all' : true;
      else delete out[def.key];
    }
  }
  for (const [key, value] of Object.entries(permissions)) {
    const def = PERMISSION_BY_KEY.get(key);
    if (!def) continue;
    const k = def.key;
    if (value === false) delete out[k];
    else if (value === true) out[k] = def.scoped ? 'all' : true;
    else out[k] = def.scoped ? value : true;
  }
  return out;
}

export function dangerousWarnings(set: PermissionSet) {
  return PERMISSIONS.filter((p) => 'dangerous' in p && set[p.key] !== undefined).map((p) => ({
    permission: p.key,
    warning: (p as { dangerous: string }).dangerous,
  }));
}

function toRole(def: RoleDefinition, memberCount: number, record?: RoleRecord): Role {
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    kind: def.kind,
    permissions: def.permissions,
    memberCount,
    assignable: def.kind === 'custom' || (def.kind === 'builtin' && def.id !== 'owner'),
    ...(record ? { version: record.version, createdAt: record.createdAt, updatedAt: record.updatedAt } : {}),
  };
}

/** The permissions `cloneFrom` names (any built-in, template or this workspace's custom role), or `fallback`. */
export async function cloneBase(
  ws: WorkspaceRecord,
  cloneFrom: string | undefined,
  fallback: PermissionSet,
): Promise<PermissionSet> {
  if (!cloneFrom) return fallback;
  const source = await resolveRole(ws, cloneFrom);
  if (!source)
    throw new InvalidRequest('Unknown role to clone', [{ path: 'body.cloneFrom', message: `No role "${cloneFrom}"` }]);
  return source.permissions;
}

function checkName(name: string) {
  if (imitatesBuiltinName(name)) {
    throw new InvalidRequest('The name imitates a built-in role', [
      { path: 'body.name', message: `"${name}" is reserved for a built-in role` },
    ]);
  }
}

/** A built-in role's holders are counted (five roles at most a page); custom roles keep their own count. */
async function viewOf(ws: WorkspaceRecord, def: ResolvedRole): Promise<Role> {
  if (def.record) return toRole(def, def.record.memberCount, def.record);
  return toRole(def, def.kind === 'builtin' ? await countMembersWithRole(ws.id, def.id) : 0);
}

/**
 * The views of a page of roles: custom roles carry their count, built-in roles' counts are read in one BatchGet
 * of their counters. A workspace from before the counters is counted as it was before (a GSI1 count a role),
 * once: the count is recorded as the counter, which the member writes keep from then on.
 */
async function viewsOf(ws: WorkspaceRecord, defs: readonly ResolvedRole[]): Promise<Role[]> {
  const builtins = defs.filter((d) => !d.record && d.kind === 'builtin').map((d) => d.id);
  const counts = await repo.builtinHolderCounts(ws.id, builtins);
  await Promise.all(
    builtins
      .filter((id) => !counts.has(id))
      .map(async (id) => {
        const n = await countMembersWithRole(ws.id, id);
        await repo.recordBuiltinHolderCount(ws.id, id, n);
        counts.set(id, n);
      }),
  );
  return defs.map((d) =>
    d.record
      ? toRole(d, d.record.memberCount, d.record)
      : toRole(d, d.kind === 'builtin' ? (counts.get(d.id) ?? 0) : 0),
  );
}

/**
 * Built-in roles, then templates, then custom roles (oldest first). A page costs two reads whatever it holds:
 * the fixed roles page in memory (their counts in one BatchGet), custom roles through a Query with the page's limit.
 */
export async function listRoles(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const ws = access.workspace;
  const fixed: ResolvedRole[] = [...BUILTIN_ROLE_IDS.map((id) => builtinRole(id, ws.settings)), ...TEMPLATES];
  let defs: ResolvedRole[] = [];
  let customCursor: string | undefined;
  if (repo.isRolePageCursor(ws.id, page.cursor)) customCursor = page.cursor;
  else {
    const first = pageInMemory(fixed, page, (r) => r.id);
    defs = first.items;
    if (first.nextCursor) return { items: await viewsOf(ws, defs), nextCursor: first.nextCursor };
  }
  let nextCursor: string | null = null;
  const room = page.limit - defs.length;
  const last = defs[defs.length - 1];
  if (room > 0) {
    const custom = await repo.listRolesPage(ws.id, { limit: room, cursor: customCursor });
    defs = [...defs, ...custom.items.map(customDefinition)];
    nextCursor = custom.nextCursor;
  } else if (last) {
    // The page ended with the fixed roles: the next one starts at the custom roles.
    nextCursor = writeAfterCursor(last.id);
  }
  return { items: await viewsOf(ws, defs), nextCursor };
}

export async function getRoleView(access: Access, roleId: string): Promise<Role> {
  const role = await resolveRole(access.workspace, roleId);
  if (!role) throw new NotFound('Role');
  return viewOf(access.workspace, role);
}

export async function createRole(access: Access, input: CreateRoleBody): Promise<Role> {
  const ws = access.workspace;
  const limit = access.plan.limits.customRoles;
  if (limit !== null && ws.customRoleCount >= limit) {
    throw new PlanLimit(`The ${access.plan.id} plan allows ${limit} custom role${limit === 1 ? '' : 's'}`, {
      limit: 'customRoles',
      max: limit,
    });
  }
  checkName(input.name);
  const base = await cloneBase(ws, input.cloneFrom, {});
  const permissions = buildPermissionSet(base, input.sections, input.permissions);
  assertMayGrant(access, permissions, 'creating a role');
  const now = new Date().toISOString();
  const record: RoleRecord = {
    id: newId('role'),
    workspaceId: ws.id,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    description: input.description ?? '',
    permissions,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...repo.newRoleCounters(),
  };
  const audit = auditItem({
    workspaceId: ws.id,
    actor: actorOf(access),
    action: 'role.create',
    target: { type: 'role', id: record.id },
    before: null,
    after: { name: record.name, description: record.description, permissions },
  });
  // Conditioned on the roles and the plan the limit was checked against: a concurrent create or a
  // downgrade in between makes this a 409, never one role too many.
  await repo.createRole(record, ws.rolesVersion, ws.planId, audit);
  return { ...toRole(customDefinition(record), 0, record), warnings: dangerousWarnings(permissions) };
}

export async function customRoleOrRefuse(ws: WorkspaceRecord, roleId: string): Promise<RoleRecord> {
  if (isBuiltinRoleId(roleId) || TEMPLATE_BY_ID.has(roleId)) {
    throw new Conflict('Built-in roles and templates cannot be edited or deleted; clone them instead');
  }
  const record = await repo.getRole(ws.id, roleId);
  if (!record) throw new NotFound('Role');
  return record;
}

/** requireApprovalFor: the checked change is handed to this (an access request) instead of being made. */
export type ToRequest = (change: ChangeRequest) => Promise<unknown>;

export async function updateRole(
  access: Access,
  roleId: string,
  input: UpdateRoleBody,
  /** releases: what taking reach releases (conversations', passed in by the handler). */
  options: { releases: Releases; toRequest?: ToRequest },
): Promise<Role | { pending: unknown }> {
  const ws = access.workspace;
  const before = await customRoleOrRefuse(ws, roleId);
  if (input.version !== undefined && input.version !== before.version) {
    throw new Conflict('The role changed since you read it (stale version)', { version: before.version });
  }
  if (input.name !== undefined) checkName(input.name);
  const base = await cloneBase(ws, input.cloneFrom, before.permissions);
  const permissions = buildPermissionSet(base, input.sections, input.permissions);
  // Editing a role is granting its new set, and touching its holders: the actor must be able to grant both.
  assertMayGrant(access, before.permissions, 'editing a role that holds more than you');
  assertMayGrant(access, permissions, 'editing a role');
  // What the edit gives the role's holders is a grant: a listed permission, or any addition to a listed role.
  const added = addedPermissions(before.permissions, permissions);
  if (options.toRequest && needsApproval(access, added, Object.keys(added).length > 0 ? roleId : undefined)) {
    return { pending: await options.toRequest({ action: 'role.update', roleId, body: { ...input } }) };
  }
  const after: RoleRecord = {
    ...before,
    name: input.name ?? before.name,
    nameKey: input.name ? normaliseRoleName(input.name) : before.nameKey,
    description: input.description ?? before.description,
    permissions,
    version: before.version + 1,
    updatedAt: new Date().toISOString(),
  };
  const audit = auditItem({
    workspaceId: ws.id,
    actor: actorOf(access),
    action: 'role.update',
    target: { type: 'role', id: roleId },
    before: { name: before.name, description: before.description, permissions: before.permissions },
    after: { name: after.name, description: after.description, permissions },
  });
  // Holders who no longer see an inbox with what the role keeps lose what they were assigned there, in this
  // transaction (shared/conversations/reach-release.ts); only an edit that takes something can take reach.
  const taken = Object.keys(addedPermissions(permissions, before.permissions)).length > 0;
  const releases = taken
    ? await options.releases.lostReach(
        ws,
        actorOf(access),
        { members: await membersWithRole(ws.id, roleId), inboxIds: 'all', roles: new Map([[roleId, permissions]]) },
        ROLE_EDIT_ROOM,
      )
    : undefined;
  await repo.updateRole(before, after, audit, releases?.items);
  await releases?.afterCommit();
  return { ...toRole(customDefinition(after), after.memberCount, after), warnings: dangerousWarnings(permissions) };
}

/** Items a member's role move leaves for releases (its own: member items, role counters, audit: ≤ 10). */
const ROLE_CHANGE_ROOM = 90;

/** Items a role edit's transaction leaves for releases (its own: the role, its name lock, the audit: ≤ 4). */
const ROLE_EDIT_ROOM = 95;

type Actor = Pick<Access, 'workspace' | 'memberId' | 'userId' | 'source'>;

/**
 * Moves everything that holds `fromRoleId` — members, pending invitations, API keys — to `toRoleId`, one
 * conditional, audited transaction each. What the GSI has not shown yet keeps the role's counter above
 * zero, so the role's deletion afterwards fails (409) rather than leave it holding a deleted role.
 */
export async function reassignHolders(
  actor: Actor,
  fromRoleId: string,
  toRoleId: string,
  reason: string,
  release: Releases,
) {
  const ws = actor.workspace;
  const entry = (type: string, id: string) =>
    auditItem({
      workspaceId: ws.id,
      actor: actorOf(actor),
      action: `${type}.role.change`,
      target: { type, id },
      before: { roleId: fromRoleId },
      after: { roleId: toRoleId, reason },
    });
  const [members, invitations, keys] = await Promise.all([
    membersWithRole(ws.id, fromRoleId),
    pendingInvitationsWithRole(ws.id, fromRoleId),
    apiKeysWithRole(ws.id, fromRoleId),
  ]);
  for (const listed of members) {
    // The index lags and carries an older version: the move is decided on the member read afresh (its term's
    // previous role lets go too), and one that moved meanwhile is not this role's to move.
    const m = await getMember(ws.id, listed.id, true);
    if (m?.roleId !== fromRoleId) continue;
    // A role that does not see an inbox the old one did releases what the holder was assigned there, in the move's
    // own transaction (shared/conversations/reach-release.ts).
    const releases = await release.lostReach(
      ws,
      actorOf(actor),
      { members: [{ ...m, roleId: toRoleId }], inboxIds: 'all' },
      ROLE_CHANGE_ROOM,
    );
    await changeMemberRole(ws.id, m, fromRoleId, toRoleId, [entry('member', m.id)], undefined, releases.items);
    await releases.afterCommit();
  }
  for (const i of invitations) await changeInvitationRole(i, toRoleId, entry('invitation', i.id));
  for (const k of keys) await changeApiKeyRole(k, toRoleId, entry('apiKey', k.id));
  return { members: members.length, invitations: invitations.length, apiKeys: keys.length };
}

const holdersOf = (r: RoleRecord) => r.memberCount + r.inviteCount + r.keyCount;

/**
 * Removing custom roles (a deletion, a plan downgrade's surplus) that SCIM relies on is refused (409): while
 * settings.scim names one (defaultRoleId, groupRoles) or a SCIM token's ceiling is one, provisioning would fail on a
 * role that is gone. Like requireApprovalFor, a change of settings.scim's roles and a token made with a custom
 * ceiling move `rolesVersion` on, so such a write after `ws` was read makes the removal's transaction fail.
 */
export async function assertScimDoesNotName(ws: WorkspaceRecord, roleIds: readonly string[]): Promise<void> {
  const scim = scimSettingsOf(ws);
  const named = roleIds.filter((id) => scim.defaultRoleId === id || scim.groupRoles.some((g) => g.roleId === id));
  if (named.length > 0) {
    throw new Conflict(
      'The workspace setting scim (defaultRoleId or groupRoles) names this role; change the setting first',
      { setting: 'scim', roleIds: named },
    );
  }
  const tokens = (await Promise.all(roleIds.map((id) => repo.scimTokensNaming(ws.id, id)))).flat();
  if (tokens.length > 0) {
    throw new Conflict(`The role is the ceiling of ${tokens.length} SCIM token(s); revoke them first`, {
      scimTokenIds: tokens,
    });
  }
}

export async function deleteRole(
  access: Access,
  roleId: string,
  reassignTo: string | undefined,
  options: { releases: Releases; toRequest?: ToRequest },
): Promise<undefined | { pending: unknown }> {
  const ws = access.workspace;
  const role = await customRoleOrRefuse(ws, roleId);
  assertMayGrant(access, role.permissions, 'deleting a role that holds more than you');
  // A role the workspace's requireApprovalFor names is not deleted under it (only the Owner edits that setting):
  // 409 until the Owner takes it off the list. A change of the list moves rolesVersion on, so a list naming
  // this role written after `ws` was read makes the deletion's transaction below fail (409) too.
  if ((ws.settings.requireApprovalFor ?? []).includes(roleId)) {
    throw new Conflict(
      'This role is listed in the workspace setting requireApprovalFor; the Owner removes it from there first',
      { setting: 'requireApprovalFor' },
    );
  }
  // A role SCIM relies on is not deleted under it (assertScimDoesNotName); a settings.scim or token write after `ws`
  // was read moves rolesVersion on, so the deletion below fails.
  await assertScimDoesNotName(ws, [roleId]);
  if (holdersOf(role) > 0) {
    if (!reassignTo) {
      throw new Conflict(
        `This role is held by ${role.memberCount} member(s), ${role.inviteCount} pending invitation(s) and ${role.keyCount} API key(s); give ?reassignTo= to move them`,
        { memberCount: role.memberCount, invitationCount: role.inviteCount, apiKeyCount: role.keyCount },
      );
    }
    if (reassignTo === roleId) {
      throw new InvalidRequest('Cannot move members to that role', [
        { path: 'query.reassignTo', message: 'Not an assignable role' },
      ]);
    }
    const target = await assertMayAssign(access, reassignTo, 'moving members to that role', 'query.reassignTo');
    // Moving the holders gives them the role they move to: a grant like a role change.
    if (options.toRequest && needsApproval(access, target.permissions, reassignTo)) {
      return { pending: await options.toRequest({ action: 'role.delete', roleId, reassignTo }) };
    }
    await reassignHolders(access, roleId, reassignTo, `role ${roleId} deleted`, options.releases);
  }
  const audit = auditItem({
    workspaceId: role.workspaceId,
    actor: actorOf(access),
    action: 'role.delete',
    target: { type: 'role', id: role.id },
    before: { name: role.name, description: role.description, permissions: role.permissions },
    after: null,
  });
  const current = await repo.getRole(ws.id, roleId);
  if (!current) return;
  await repo.deleteRole(current, ws.rolesVersion, audit);
}
