// The role holder counters' transaction items: every write that makes a member, an invitation or an API key
// hold a role carries these (shared/roles/repository.ts explains the counters), so they live on the table's
// ground floor, where any repository can use them without importing the roles repository.
import { tableName } from '../../db/client';
import type { TransactItem } from '../../db/ops';
import { versionBump } from '../../db/versions';
import { BUILTIN_ROLE_IDS, isBuiltinRoleId } from '../../permissions/roles';
import { workspaceKey } from '../workspaces/keys';
import { roleHoldersKey, roleKey } from './keys';

type Item = Record<string, unknown>;

export type RoleHolderKind = 'memberCount' | 'inviteCount' | 'keyCount';

/**
 * The transaction item that makes one more (or one fewer) thing hold `roleId`: for a custom role, its
 * counter moves and the role must still exist; built-in roles cannot be deleted and need nothing.
 */
export function roleHolderUpdate(wsId: string, roleId: string, kind: RoleHolderKind, delta: 1 | -1): TransactItem[] {
  if (isBuiltinRoleId(roleId)) return [];
  return [
    {
      Update: {
        TableName: tableName,
        Key: roleKey(wsId, roleId),
        UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :d',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#c': kind },
        ExpressionAttributeValues: { ':zero': 0, ':d': delta },
      },
    },
  ];
}

/**
 * The transaction items of a write that makes something name a custom role without holding it (a SCIM token's
 * ceiling): the role must still exist, and the workspace's `rolesVersion` moves on, so a deletion of the role decided
 * before this write (it found nothing naming the role) fails instead of leaving the name pointing at nothing.
 */
export function roleReference(wsId: string, roleId: string): TransactItem[] {
  if (isBuiltinRoleId(roleId)) return [];
  const rolesBump = versionBump(0, 'rolesVersion');
  return [
    {
      ConditionCheck: { TableName: tableName, Key: roleKey(wsId, roleId), ConditionExpression: 'attribute_exists(PK)' },
    },
    {
      Update: {
        TableName: tableName,
        Key: workspaceKey(wsId),
        UpdateExpression: `SET ${rolesBump.set}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: rolesBump.values,
      },
    },
  ];
}

/** Moving a holder from one role to another: both counters in the same transaction (nothing if unchanged). */
export function roleHolderMove(wsId: string, from: string, to: string, kind: RoleHolderKind): TransactItem[] {
  if (from === to) return [];
  return [...roleHolderUpdate(wsId, from, kind, -1), ...roleHolderUpdate(wsId, to, kind, 1)];
}

/**
 * Built-in roles are not items, so their holders are counted on a counter item each (`roleHoldersKey`): the
 * members whose current role it is (what `countMembersWithRole` counts on GSI1), moved in the same transaction
 * as the member item's role, so a page of roles reads every count in one BatchGet instead of a Query per role.
 * `counted` marks a counter that holds the whole count (written at the workspace's creation, or by the first
 * read's recount); a counter made by a move alone (a workspace from before the counters) is recounted once.
 */
export function builtinHolderUpdate(wsId: string, roleId: string, delta: number): TransactItem[] {
  if (!isBuiltinRoleId(roleId) || delta === 0) return [];
  return [
    {
      Update: {
        TableName: tableName,
        Key: roleHoldersKey(wsId, roleId),
        UpdateExpression: 'SET entity = :e, roleId = :r ADD memberCount :d',
        ExpressionAttributeValues: { ':e': 'RoleHolders', ':r': roleId, ':d': delta },
      },
    },
  ];
}

/** A member's current role moving from one role to another: the built-in counters on both sides. */
export function builtinHolderMove(wsId: string, from: string, to: string): TransactItem[] {
  return builtinHolderMoves(wsId, [[from, to]]);
}

/**
 * Several members' moves in one transaction (an ownership transfer: owner → admin and the target → owner), as one
 * net update per counter: a transaction may not touch an item twice.
 */
export function builtinHolderMoves(wsId: string, moves: readonly (readonly [string, string])[]): TransactItem[] {
  const net = new Map<string, number>();
  for (const [from, to] of moves) {
    if (from === to) continue;
    net.set(from, (net.get(from) ?? 0) - 1);
    net.set(to, (net.get(to) ?? 0) + 1);
  }
  return [...net].flatMap(([roleId, d]) => builtinHolderUpdate(wsId, roleId, d));
}

/** The counters of a new workspace: every built-in role counted, its owner holding `ownerRoleId`. */
export const newBuiltinHolderItems = (wsId: string, ownerRoleId: string): Item[] =>
  BUILTIN_ROLE_IDS.map((roleId) => ({
    ...roleHoldersKey(wsId, roleId),
    entity: 'RoleHolders',
    roleId,
    memberCount: roleId === ownerRoleId ? 1 : 0,
    counted: true,
  }));
