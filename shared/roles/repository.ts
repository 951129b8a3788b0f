// Custom roles. A role is three items kept in step by transactions: the role itself, its name lock, and
// its permission set inside the workspace item (what the authorizer reads, so edits apply at once).
import { tableName } from '../db/client';
import { deleteIfVersion, getItem, inPartition, putIfVersion, putNew, queryAll, transact } from '../db/ops';
import type { PermissionSet } from '../permissions/catalog';
import { workspaceKey } from '../workspaces/keys';
import { ROLE_PREFIX, roleKey, roleNameKey } from './keys';

export interface RoleRecord {
  id: string;
  workspaceId: string;
  name: string;
  nameKey: string;
  description: string;
  permissions: PermissionSet;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Item = Record<string, unknown>;

const roleItem = (r: RoleRecord): Item => ({ ...roleKey(r.workspaceId, r.id), entity: 'Role', ...r });
const nameLock = (r: RoleRecord): Item => ({
  ...roleNameKey(r.workspaceId, r.nameKey),
  entity: 'RoleName',
  roleId: r.id,
});

/** Bumps the workspace's roles version: concurrent role writes (and the plan's role limit) serialize on it. */
function workspaceRolesUpdate(
  wsId: string,
  expectedRolesVersion: number,
  update: { set: [string, PermissionSet] } | { remove: string },
) {
  const set = 'set' in update;
  return {
    Update: {
      TableName: tableName,
      Key: workspaceKey(wsId),
      UpdateExpression: set
        ? 'SET rolesVersion = rolesVersion + :one, customRoles.#rid = :perms'
        : 'SET rolesVersion = rolesVersion + :one REMOVE customRoles.#rid',
      ConditionExpression: 'rolesVersion = :expected',
      ExpressionAttributeNames: { '#rid': set ? update.set[0] : update.remove },
      ExpressionAttributeValues: {
        ':expected': expectedRolesVersion,
        ':one': 1,
        ...(set ? { ':perms': update.set[1] } : {}),
      },
    },
  };
}

export function getRole(wsId: string, roleId: string, consistent = true): Promise<RoleRecord | undefined> {
  return getItem<RoleRecord>(roleKey(wsId, roleId), consistent);
}

export async function listRoles(wsId: string): Promise<RoleRecord[]> {
  return (await queryAll(inPartition(`WS#${wsId}`, ROLE_PREFIX))) as unknown as RoleRecord[];
}

export function createRole(role: RoleRecord, expectedRolesVersion: number, audit: Item): Promise<void> {
  return transact(
    [
      putNew(roleItem(role)),
      putNew(nameLock(role)),
      workspaceRolesUpdate(role.workspaceId, expectedRolesVersion, { set: [role.id, role.permissions] }),
      putNew(audit),
    ],
    'A role with this name exists, or roles changed meanwhile; reload and retry',
  );
}

export function updateRole(
  before: RoleRecord,
  after: RoleRecord,
  expectedRolesVersion: number,
  audit: Item,
): Promise<void> {
  const renamed = before.nameKey !== after.nameKey;
  return transact(
    [
      putIfVersion(roleItem(after), before.version),
      ...(renamed
        ? [
            { Delete: { TableName: tableName, Key: roleNameKey(before.workspaceId, before.nameKey) } },
            putNew(nameLock(after)),
          ]
        : []),
      workspaceRolesUpdate(after.workspaceId, expectedRolesVersion, { set: [after.id, after.permissions] }),
      putNew(audit),
    ],
    'The role changed meanwhile (stale version) or the name is taken; reload and retry',
  );
}

export function deleteRole(role: RoleRecord, expectedRolesVersion: number, audit: Item): Promise<void> {
  return transact(
    [
      deleteIfVersion(roleKey(role.workspaceId, role.id), role.version),
      { Delete: { TableName: tableName, Key: roleNameKey(role.workspaceId, role.nameKey) } },
      workspaceRolesUpdate(role.workspaceId, expectedRolesVersion, { remove: role.id }),
      putNew(audit),
    ],
    'The role changed meanwhile; reload and retry',
  );
}
