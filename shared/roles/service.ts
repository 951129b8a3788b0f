// Custom roles: name rules, cloning, sections, the no-escalation check, plan limits, reassignment.
import { ulid } from 'ulid';
import { auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { pageInMemory } from '../db/pagination';
import { Conflict, Forbidden, InvalidRequest, NotFound, PlanLimit } from '../http/errors';
import { changeMemberRole, countMembersWithRole, membersWithRole } from '../members/repository';
import {
  PERMISSION_BY_KEY,
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
} from '../permissions/catalog';
import { describeExcess, grantExcess } from '../permissions/policy';
import {
  BUILTIN_ROLE_IDS,
  builtinRole,
  imitatesBuiltinName,
  isBuiltinRoleId,
  normaliseRoleName,
  type RoleDefinition,
} from '../permissions/roles';
import { TEMPLATE_BY_ID, TEMPLATES } from '../permissions/templates';
import type { WorkspaceRecord } from '../workspaces/repository';
import type { RoleRecord } from './repository';
import * as repo from './repository';
import type { CreateRoleBody, Role, UpdateRoleBody } from './schema';

type PermissionsInput = Record<string, boolean | PermissionGrant>;
type SectionsInput = Partial<Record<string, 'full' | 'none'>>;

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
    const k = key as Permission;
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

/** Any role visible in the workspace: built-in, template or this workspace's custom role. */
async function findRole(ws: WorkspaceRecord, roleId: string): Promise<RoleDefinition | undefined> {
  if (isBuiltinRoleId(roleId)) return builtinRole(roleId, ws.settings);
  const tpl = TEMPLATE_BY_ID.get(roleId);
  if (tpl) return tpl;
  const custom = await repo.getRole(ws.id, roleId);
  return custom ? customDefinition(custom) : undefined;
}

/** The permissions `cloneFrom` names (any built-in, template or this workspace's custom role), or `fallback`. */
async function cloneBase(
  ws: WorkspaceRecord,
  cloneFrom: string | undefined,
  fallback: PermissionSet,
): Promise<PermissionSet> {
  if (!cloneFrom) return fallback;
  const source = await findRole(ws, cloneFrom);
  if (!source)
    throw new InvalidRequest('Unknown role to clone', [{ path: 'body.cloneFrom', message: `No role "${cloneFrom}"` }]);
  return source.permissions;
}

function customDefinition(r: RoleRecord): RoleDefinition {
  return { id: r.id, name: r.name, description: r.description, kind: 'custom', permissions: r.permissions };
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

function assertCanGrant(access: Access, set: PermissionSet, what: string) {
  const excess = grantExcess(
    { roleId: access.roleId, permissions: access.permissions, companyAdmin: access.companyAdmin },
    set,
  );
  if (excess.length > 0) {
    throw new Forbidden(`${describeExcess(excess)} (${what})`, {
      permission: excess[0]?.permission,
      exceeds: excess,
    });
  }
}

function checkName(name: string) {
  if (imitatesBuiltinName(name)) {
    throw new InvalidRequest('The name imitates a built-in role', [
      { path: 'body.name', message: `"${name}" is reserved for a built-in role` },
    ]);
  }
}

function actorOf(access: Access) {
  return { memberId: access.memberId, userId: access.userId, source: access.source };
}

export async function listRoles(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const ws = access.workspace;
  const custom = (await repo.listRoles(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
  const builtin = BUILTIN_ROLE_IDS.map((id) => builtinRole(id, ws.settings));
  const counted: { def: RoleDefinition; record?: RoleRecord }[] = [
    ...builtin.map((def) => ({ def })),
    ...custom.map((r) => ({ def: customDefinition(r), record: r })),
  ];
  const counts = await Promise.all(counted.map((c) => countMembersWithRole(ws.id, c.def.id)));
  const items = counted.map((c, i) => toRole(c.def, counts[i] ?? 0, c.record));
  items.splice(builtin.length, 0, ...TEMPLATES.map((t) => toRole(t, 0)));
  return pageInMemory(items, page, (r) => r.id);
}

export async function getRoleView(access: Access, roleId: string): Promise<Role> {
  const ws = access.workspace;
  if (isBuiltinRoleId(roleId) || TEMPLATE_BY_ID.has(roleId)) {
    const def = (await findRole(ws, roleId))!;
    return toRole(def, def.kind === 'template' ? 0 : await countMembersWithRole(ws.id, roleId));
  }
  const record = await repo.getRole(ws.id, roleId);
  if (!record) throw new NotFound('Role');
  return toRole(customDefinition(record), await countMembersWithRole(ws.id, roleId), record);
}

export async function createRole(access: Access, input: CreateRoleBody): Promise<Role> {
  const ws = access.workspace;
  const limit = access.plan.limits.customRoles;
  const held = Object.keys(ws.customRoles ?? {}).length;
  if (limit !== null && held >= limit) {
    throw new PlanLimit(`The ${access.plan.id} plan allows ${limit} custom role${limit === 1 ? '' : 's'}`, {
      limit: 'customRoles',
      max: limit,
    });
  }
  checkName(input.name);
  const base = await cloneBase(ws, input.cloneFrom, {});
  const permissions = buildPermissionSet(base, input.sections, input.permissions);
  assertCanGrant(access, permissions, 'creating a role');
  const now = new Date().toISOString();
  const record: RoleRecord = {
    id: `role_${ulid()}`,
    workspaceId: ws.id,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    description: input.description ?? '',
    permissions,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const audit = auditItem({
    workspaceId: ws.id,
    actor: actorOf(access),
    action: 'role.create',
    target: { type: 'role', id: record.id },
    before: null,
    after: { name: record.name, description: record.description, permissions },
  });
  await repo.createRole(record, ws.rolesVersion ?? 0, audit);
  return { ...toRole(customDefinition(record), 0, record), warnings: dangerousWarnings(permissions) };
}

async function customRoleOrRefuse(ws: WorkspaceRecord, roleId: string): Promise<RoleRecord> {
  if (isBuiltinRoleId(roleId) || TEMPLATE_BY_ID.has(roleId)) {
    throw new Conflict('Built-in roles and templates cannot be edited or deleted; clone them instead');
  }
  const record = await repo.getRole(ws.id, roleId);
  if (!record) throw new NotFound('Role');
  return record;
}

export async function updateRole(access: Access, roleId: string, input: UpdateRoleBody): Promise<Role> {
  const ws = access.workspace;
  const before = await customRoleOrRefuse(ws, roleId);
  if (input.version !== undefined && input.version !== before.version) {
    throw new Conflict('The role changed since you read it (stale version)', { version: before.version });
  }
  if (input.name !== undefined) checkName(input.name);
  const base = await cloneBase(ws, input.cloneFrom, before.permissions);
  const permissions = buildPermissionSet(base, input.sections, input.permissions);
  // Editing a role is granting its new set, and touching its holders: the actor must be able to grant both.
  assertCanGrant(access, before.permissions, 'editing a role that holds more than you');
  assertCanGrant(access, permissions, 'editing a role');
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
  await repo.updateRole(before, after, ws.rolesVersion ?? 0, audit);
  const count = await countMembersWithRole(ws.id, roleId);
  return { ...toRole(customDefinition(after), count, after), warnings: dangerousWarnings(permissions) };
}

/** Moves every holder of `fromRoleId` to `toRoleId`, one member transaction at a time, each audited. */
export async function reassignHolders(
  access: Pick<Access, 'workspace' | 'memberId' | 'userId' | 'source'>,
  fromRoleId: string,
  toRoleId: string,
  reason: string,
): Promise<number> {
  const ws = access.workspace;
  const holders = await membersWithRole(ws.id, fromRoleId);
  for (const member of holders) {
    const audit = auditItem({
      workspaceId: ws.id,
      actor: actorOf(access as Access),
      action: 'member.role.change',
      target: { type: 'member', id: member.id },
      before: { roleId: fromRoleId },
      after: { roleId: toRoleId, reason },
    });
    await changeMemberRole(ws.id, member, fromRoleId, toRoleId, [audit]);
  }
  return holders.length;
}

export async function deleteRole(access: Access, roleId: string, reassignTo: string | undefined): Promise<void> {
  const ws = access.workspace;
  const role = await customRoleOrRefuse(ws, roleId);
  assertCanGrant(access, role.permissions, 'deleting a role that holds more than you');
  const holders = await countMembersWithRole(ws.id, roleId);
  if (holders > 0) {
    if (!reassignTo) {
      throw new Conflict(`${holders} member(s) hold this role; give ?reassignTo= to move them`, {
        memberCount: holders,
      });
    }
    if (reassignTo === roleId || reassignTo === 'owner' || TEMPLATE_BY_ID.has(reassignTo)) {
      throw new InvalidRequest('Cannot move members to that role', [
        { path: 'query.reassignTo', message: 'Not an assignable role' },
      ]);
    }
    const target = await findRole(ws, reassignTo);
    if (!target) {
      throw new InvalidRequest('Unknown role to move members to', [
        { path: 'query.reassignTo', message: `No role "${reassignTo}"` },
      ]);
    }
    assertCanGrant(access, target.permissions, 'moving members to that role');
    await reassignHolders(access, roleId, reassignTo, `role ${roleId} deleted`);
  }
  await removeRole(access, role, 'role.delete');
}

export async function removeRole(
  access: Pick<Access, 'workspace' | 'memberId' | 'userId' | 'source'>,
  role: RoleRecord,
  action: string,
  rolesVersion = access.workspace.rolesVersion ?? 0,
): Promise<void> {
  const audit = auditItem({
    workspaceId: role.workspaceId,
    actor: actorOf(access as Access),
    action,
    target: { type: 'role', id: role.id },
    before: { name: role.name, description: role.description, permissions: role.permissions },
    after: null,
  });
  await repo.deleteRole(role, rolesVersion, audit);
}
