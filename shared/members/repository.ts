import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { decodeCursor, encodeCursor, type Page } from '../db/pagination';
import { removeFromTeams } from '../teams/repository';
import { memberItemKeys, memberItems } from './items';
import { MEMBER_PREFIX, memberKey, memberRoleIndexKey, membershipKey } from './keys';
import type { Member } from './schema';

export async function getMember(wsId: string, memberId: string, consistent = false): Promise<Member | undefined> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: memberKey(wsId, memberId), ConsistentRead: consistent }),
    );
    return res.Item ? toMember(res.Item) : undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

export function toMember(item: Record<string, unknown>): Member {
  return {
    id: item.id as string,
    userId: item.userId as string,
    email: item.email as string,
    roleId: item.roleId as string,
    inboxIds: (item.inboxIds as string[] | undefined) ?? [],
    // A string set in the table (teams ADD/DELETE themselves atomically); a sorted list in the API.
    teamIds: [...((item.teamIds as Iterable<string> | undefined) ?? [])].sort(),
    joinedAt: item.joinedAt as string,
  };
}

/** Adds a member and its membership pointer together; fails with Conflict if the user is already a member. */
export async function putMember(wsId: string, member: Member): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: memberItems(wsId, member).map((Item) => ({
          Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
        })),
      }),
    );
  } catch (err) {
    mapDbError(err, 'Already a member of this workspace');
  }
}

/** Members holding a role, through GSI1 (eventually consistent: a just-made change may lag briefly). */
export async function membersWithRole(wsId: string, roleId: string): Promise<Member[]> {
  const out: Member[] = [];
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': memberRoleIndexKey(wsId, roleId, '').GSI1PK },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map(toMember));
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return out;
}

export async function countMembersWithRole(wsId: string, roleId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': memberRoleIndexKey(wsId, roleId, '').GSI1PK },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return count;
}

/** Active members of a workspace (strongly consistent count). */
export async function countMembers(wsId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': 'MEMBER#' },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return count;
}

/**
 * Moves a member from one role to another: the member item (and its role index keys) and the user's
 * membership pointer change together, and only if the member still holds `fromRoleId`.
 */
export async function changeMemberRole(
  wsId: string,
  member: Member,
  fromRoleId: string,
  toRoleId: string,
  extra: Record<string, unknown>[] = [],
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          ...roleChange(wsId, member, fromRoleId, toRoleId),
          ...extra.map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, "The member's role changed meanwhile");
  }
}

export async function listMembers(
  wsId: string,
  opts: { limit: number; cursor?: string; roleId?: string },
): Promise<Page<Member>> {
  const byRole = opts.roleId !== undefined;
  const gsiPk = byRole ? memberRoleIndexKey(wsId, opts.roleId!, '').GSI1PK : '';
  const start = decodeCursor(
    opts.cursor,
    byRole
      ? { PK: `WS#${wsId}`, SK: { prefix: MEMBER_PREFIX }, GSI1PK: gsiPk, GSI1SK: { prefix: MEMBER_PREFIX } }
      : { PK: `WS#${wsId}`, SK: { prefix: MEMBER_PREFIX } },
  );
  try {
    const res = await db.send(
      new QueryCommand(
        byRole
          ? {
              TableName: tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :pk',
              ExpressionAttributeValues: { ':pk': gsiPk },
              Limit: opts.limit,
              ExclusiveStartKey: start,
            }
          : {
              TableName: tableName,
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': MEMBER_PREFIX },
              Limit: opts.limit,
              ExclusiveStartKey: start,
            },
      ),
    );
    return { items: (res.Items ?? []).map(toMember), nextCursor: encodeCursor(res.LastEvaluatedKey) };
  } catch (err) {
    return mapDbError(err);
  }
}

/** Removes every item of the member, if it still holds `roleId`. */
export async function deleteMember(wsId: string, member: Member, extra: Record<string, unknown>[] = []): Promise<void> {
  const [memberItemKey, ...rest] = memberItemKeys(wsId, member);
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: memberItemKey,
              ConditionExpression: 'roleId = :role',
              ExpressionAttributeValues: { ':role': member.roleId },
            },
          },
          ...rest.map((Key) => ({ Delete: { TableName: tableName, Key } })),
          ...removeFromTeams(wsId, member.id, member.teamIds),
          ...extra.map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, "The member's role changed meanwhile");
  }
}

function roleChange(wsId: string, member: Member, fromRoleId: string, toRoleId: string) {
  const idx = memberRoleIndexKey(wsId, toRoleId, member.id);
  return [
    {
      Update: {
        TableName: tableName,
        Key: memberKey(wsId, member.id),
        UpdateExpression: 'SET roleId = :to, GSI1PK = :gpk, GSI1SK = :gsk ADD version :one',
        ConditionExpression: 'roleId = :from',
        ExpressionAttributeValues: {
          ':to': toRoleId,
          ':from': fromRoleId,
          ':gpk': idx.GSI1PK,
          ':gsk': idx.GSI1SK,
          ':one': 1,
        },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: membershipKey(member.userId, wsId),
        UpdateExpression: 'SET roleId = :to',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':to': toRoleId },
      },
    },
  ];
}

/** The owner becomes `admin` and the target becomes `owner`, together: exactly one Owner before and after. */
export async function transferOwnership(
  wsId: string,
  owner: Member,
  target: Member,
  extra: Record<string, unknown>[] = [],
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          ...roleChange(wsId, owner, 'owner', 'admin'),
          ...roleChange(wsId, target, target.roleId, 'owner'),
          ...extra.map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'Roles changed meanwhile; reload and retry');
  }
}
