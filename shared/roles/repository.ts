// Custom roles. A role is three items kept in step by transactions: the role itself, its name lock, and
// its permission set inside the workspace item (what the authorizer reads, so edits apply at once).
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
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

function roleItem(r: RoleRecord): Item {
  return { ...roleKey(r.workspaceId, r.id), entity: 'Role', ...r };
}

function nameLock(r: RoleRecord): Item {
  return { ...roleNameKey(r.workspaceId, r.nameKey), entity: 'RoleName', roleId: r.id };
}

/** Bumps the workspace's roles version: concurrent role writes (and the plan's role limit) serialize on it. */
function workspaceRolesUpdate(
  wsId: string,
  expectedRolesVersion: number,
  update: { set?: [string, PermissionSet]; remove?: string },
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedRolesVersion, ':one': 1 };
  let expr = 'SET rolesVersion = rolesVersion + :one';
  if (update.set) {
    names['#rid'] = update.set[0];
    values[':perms'] = update.set[1];
    expr += ', customRoles.#rid = :perms';
  }
  if (update.remove) {
    names['#rid'] = update.remove;
    expr += ' REMOVE customRoles.#rid';
  }
  return {
    Update: {
      TableName: tableName,
      Key: workspaceKey(wsId),
      UpdateExpression: expr,
      ConditionExpression: 'rolesVersion = :expected',
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

const put = (Item: Item, condition = 'attribute_not_exists(PK)') => ({
  Put: { TableName: tableName, Item, ConditionExpression: condition },
});

export async function getRole(wsId: string, roleId: string, consistent = true): Promise<RoleRecord | undefined> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: roleKey(wsId, roleId), ConsistentRead: consistent }),
    );
    return res.Item as RoleRecord | undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

export async function listRoles(wsId: string): Promise<RoleRecord[]> {
  const out: RoleRecord[] = [];
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': ROLE_PREFIX },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...((res.Items ?? []) as RoleRecord[]));
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return out;
}

export async function createRole(role: RoleRecord, expectedRolesVersion: number, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          put(roleItem(role)),
          put(nameLock(role)),
          workspaceRolesUpdate(role.workspaceId, expectedRolesVersion, { set: [role.id, role.permissions] }),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'A role with this name exists, or roles changed meanwhile; reload and retry');
  }
}

export async function updateRole(
  before: RoleRecord,
  after: RoleRecord,
  expectedRolesVersion: number,
  audit: Item,
): Promise<void> {
  const renamed = before.nameKey !== after.nameKey;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: roleItem(after),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': before.version },
            },
          },
          ...(renamed
            ? [
                { Delete: { TableName: tableName, Key: roleNameKey(before.workspaceId, before.nameKey) } },
                put(nameLock(after)),
              ]
            : []),
          workspaceRolesUpdate(after.workspaceId, expectedRolesVersion, { set: [after.id, after.permissions] }),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The role changed meanwhile (stale version) or the name is taken; reload and retry');
  }
}

export async function deleteRole(role: RoleRecord, expectedRolesVersion: number, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: roleKey(role.workspaceId, role.id),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': role.version },
            },
          },
          { Delete: { TableName: tableName, Key: roleNameKey(role.workspaceId, role.nameKey) } },
          workspaceRolesUpdate(role.workspaceId, expectedRolesVersion, { remove: role.id }),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The role changed meanwhile; reload and retry');
  }
}
