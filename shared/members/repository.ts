import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { memberItems } from '../workspaces/repository';
import { memberKey } from './keys';
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
