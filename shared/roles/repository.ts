// Custom roles. A role is two items kept in step by transactions: the role itself (with its permission
// set, read by the authorizer in the same batch as the membership) and its name lock. The workspace item
// counts custom roles and carries `rolesVersion`, which every role create/delete bumps: concurrent role
// writes, a plan change and the plan's role limit serialize on it.
//
// A role item also counts what refers to it (members, pending invitations, API keys). Every write that
// makes something hold a custom role adds to the counter in the same transaction, on the condition that
// the role still exists; deleting a role requires every counter at zero. So nothing can land on a role
// that is being deleted, and no reference ever points at a deleted role.

import * as z from 'zod';
import { tableName } from '../db/client';
import {
  batchGetAll,
  deleteIfVersion,
  putNew,
  queryCollection,
  queryCollectionPage,
  type TransactItem,
  transact,
} from '../db/ops';
import { decodeCursor, type Page } from '../db/pagination';
import { versionBump, versionIs } from '../db/versions';
import { Conflict } from '../errors';
import type { RoleHolderKind } from '../table/roles/holders';
import { ROLE_PREFIX, roleHoldersKey, roleKey, roleNameKey } from '../table/roles/keys';
import { parseRole } from '../table/roles/read';
import type { RoleRecord } from '../table/roles/record';
import { SCIM_TOKEN_PREFIX } from '../table/scim/keys';
import { workspaceKey, wsCollection, wsPk } from '../table/workspaces/keys';

type Item = Record<string, unknown>;

const roleItem = (r: RoleRecord): Item => ({ ...roleKey(r.workspaceId, r.id), entity: 'Role', ...r });
const nameLock = (r: RoleRecord): Item => ({
  ...roleNameKey(r.workspaceId, r.nameKey),
  entity: 'RoleName',
  roleId: r.id,
});

const fromItem = parseRole;

const RoleHolders = z.object({ roleId: z.string(), memberCount: z.number().int(), counted: z.boolean().optional() });

/** The counted built-in holder counts of `roleIds`, in one BatchGet; a role without a counted counter is absent. */
export async function builtinHolderCounts(wsId: string, roleIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (roleIds.length === 0) return counts;
  for (const item of await batchGetAll(
    roleIds.map((id) => roleHoldersKey(wsId, id)),
    false,
  )) {
    const c = RoleHolders.safeParse(item);
    if (c.success && c.data.counted) counts.set(c.data.roleId, c.data.memberCount);
  }
  return counts;
}

/**
 * Records a recount as the counter (a workspace from before the counters): once, unless a recount got there first.
 * A move committed between the count and this write is lost to it; the count it replaces was read from the same
 * eventually consistent index, so it is as right as the answer before the counters.
 */
export async function recordBuiltinHolderCount(wsId: string, roleId: string, memberCount: number): Promise<void> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName,
          Key: roleHoldersKey(wsId, roleId),
          UpdateExpression: 'SET entity = :e, roleId = :r, memberCount = :n, counted = :t',
          ConditionExpression: 'attribute_not_exists(counted)',
          ExpressionAttributeValues: { ':e': 'RoleHolders', ':r': roleId, ':n': memberCount, ':t': true },
        },
      },
    ]);
  } catch (err) {
    if (!(err instanceof Conflict)) throw err;
  }
}

/**
 * A role write is conditioned on the workspace's roles not having changed since they were read. A workspace item
 * from before roles were counted has no `rolesVersion` and reads as 0: at 0 the missing attribute matches too, and
 * the first write sets it to 1, so a second write decided on the same read (expecting 0) fails like any other.
 */
function workspaceRolesUpdate(wsId: string, expectedRolesVersion: number, countDelta: number, planId?: string) {
  const rolesAsRead = versionIs(expectedRolesVersion, 0, 'rolesVersion');
  const bump = versionBump(0, 'rolesVersion');
  return {
    Update: {
      TableName: tableName,
      Key: workspaceKey(wsId),
      UpdateExpression: `SET ${bump.set}, customRoleCount = if_not_exists(customRoleCount, :zero) + :d`,
      ConditionExpression: planId ? `${rolesAsRead.condition} AND planId = :plan` : rolesAsRead.condition,
      ExpressionAttributeValues: {
        ...rolesAsRead.values,
        ...bump.values,
        ':zero': 0,
        ':d': countDelta,
        ...(planId ? { ':plan': planId } : {}),
      },
    },
  };
}

export { getRole } from '../table/roles/read';

const rolesOf = (wsId: string) => wsCollection(wsId, ROLE_PREFIX);

/** One page of custom roles, oldest first (ids are ULIDs). */
export function listRolesPage(
  wsId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<RoleRecord>> {
  return queryCollectionPage(rolesOf(wsId), page, fromItem);
}

/** Whether `cursor` continues a page of this workspace's custom roles (rather than the fixed roles). */
export function isRolePageCursor(wsId: string, cursor: string | undefined): boolean {
  if (cursor === undefined) return false;
  try {
    return decodeCursor(cursor, { PK: wsPk(wsId), SK: { prefix: ROLE_PREFIX } }) !== undefined;
  } catch {
    return false;
  }
}

export async function listRoles(wsId: string): Promise<RoleRecord[]> {
  return (await queryCollection(rolesOf(wsId))).map(fromItem);
}

/** Creates a role if the workspace's roles and plan are still those the limit was checked against. */
export function createRole(role: RoleRecord, expectedRolesVersion: number, planId: string, audit: Item) {
  return transact(
    [
      putNew(roleItem(role)),
      putNew(nameLock(role)),
      workspaceRolesUpdate(role.workspaceId, expectedRolesVersion, 1, planId),
      putNew(audit),
    ],
    'A role with this name exists, or roles or the plan changed meanwhile; reload and retry',
  );
}

/** Changes name, description and permissions only (the holder counters move with their own writes). */
export function updateRole(
  before: RoleRecord,
  after: RoleRecord,
  audit: Item,
  also: TransactItem[] = [],
): Promise<void> {
  const renamed = before.nameKey !== after.nameKey;
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: roleKey(after.workspaceId, after.id),
          UpdateExpression:
            'SET #n = :name, nameKey = :nameKey, description = :d, #p = :perms, version = :next, updatedAt = :at',
          ConditionExpression: 'version = :v',
          ExpressionAttributeNames: { '#n': 'name', '#p': 'permissions' },
          ExpressionAttributeValues: {
            ':name': after.name,
            ':nameKey': after.nameKey,
            ':d': after.description,
            ':perms': after.permissions,
            ':next': after.version,
            ':at': after.updatedAt,
            ':v': before.version,
          },
        },
      },
      ...(renamed
        ? [
            { Delete: { TableName: tableName, Key: roleNameKey(before.workspaceId, before.nameKey) } },
            putNew(nameLock(after)),
          ]
        : []),
      putNew(audit),
      ...also,
    ],
    'The role changed meanwhile (stale version) or the name is taken; reload and retry',
  );
}

/** The items of deleting a role (not the workspace's count): only while nothing holds it. */
function deleteRoleItems(role: RoleRecord): TransactItem[] {
  const del = deleteIfVersion(roleKey(role.workspaceId, role.id), role.version).Delete!;
  return [
    {
      Delete: {
        ...del,
        ConditionExpression: `${del.ConditionExpression} AND ${HOLDER_KINDS.map(
          (k) => `(attribute_not_exists(${k}) OR ${k} = :zero)`,
        ).join(' AND ')}`,
        ExpressionAttributeValues: { ...del.ExpressionAttributeValues, ':zero': 0 },
      },
    },
    { Delete: { TableName: tableName, Key: roleNameKey(role.workspaceId, role.nameKey) } },
  ];
}

/** Deletes roles (none may have holders) in one transaction, if the workspace's roles are as read. */
export function deleteRoles(
  wsId: string,
  roles: readonly RoleRecord[],
  expectedRolesVersion: number,
  audits: Item[],
): Promise<void> {
  return transact(
    [
      ...roles.flatMap(deleteRoleItems),
      workspaceRolesUpdate(wsId, expectedRolesVersion, -roles.length),
      ...audits.map(putNew),
    ],
    'The role changed or gained holders meanwhile; reload and retry',
  );
}

export function deleteRole(role: RoleRecord, expectedRolesVersion: number, audit: Item): Promise<void> {
  return deleteRoles(role.workspaceId, [role], expectedRolesVersion, [audit]);
}

/** The SCIM tokens whose ceiling is `roleId` (a workspace has few tokens): read consistently, ids only. */
export async function scimTokensNaming(wsId: string, roleId: string): Promise<string[]> {
  const tokens = await queryCollection(wsCollection(wsId, SCIM_TOKEN_PREFIX));
  return tokens.filter((t) => t.maxRoleId === roleId).map((t) => String(t.id));
}

export const HOLDER_KINDS: readonly RoleHolderKind[] = ['memberCount', 'inviteCount', 'keyCount'];

export const newRoleCounters = (): Pick<RoleRecord, RoleHolderKind> => ({
  memberCount: 0,
  inviteCount: 0,
  keyCount: 0,
});
