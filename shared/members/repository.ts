import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { memberItems } from '../workspaces/repository';
import { memberKey, memberRoleIndexKey, membershipKey } from './keys';
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
    teamIds: (item.teamIds as string[] | undefined) ?? [],
    joinedAt: item.joinedAt as string,
  };
}

/** Adds a member and its membership pointer together; fails with Conflict if the user is already a member. */
export async function putMember(wsId: string, member: Member): Promise<void> {
  const { member: item, membership } = memberItems(wsId, member);
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: tableName, Item: membership, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
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
  const idx = memberRoleIndexKey(wsId, toRoleId, member.id);
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
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
