import { tableName } from '../db/client';
import { countAll, getItem, inPartition, putNew, queryAll, queryPage, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import { removeFromTeams } from '../teams/repository';
import { memberItemKeys, memberItems } from './items';
import { MEMBER_PREFIX, memberKey, memberRoleIndexKey, membershipKey } from './keys';
import type { Member } from './schema';

type Item = Record<string, unknown>;

export function toMember(item: Item): Member {
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

export async function getMember(wsId: string, memberId: string, consistent = false): Promise<Member | undefined> {
  const item = await getItem<Item>(memberKey(wsId, memberId), consistent);
  return item ? toMember(item) : undefined;
}

/** Adds a member's items together; fails with Conflict if the user or the email is already a member. */
export function putMember(wsId: string, member: Member): Promise<void> {
  return transact(memberItems(wsId, member).map(putNew), 'Already a member of this workspace');
}

const byRole = (wsId: string, roleId: string) => ({
  IndexName: 'GSI1',
  KeyConditionExpression: 'GSI1PK = :pk',
  ExpressionAttributeValues: { ':pk': memberRoleIndexKey(wsId, roleId, '').GSI1PK },
});

/** Members holding a role, through GSI1 (eventually consistent: a just-made change may lag briefly). */
export async function membersWithRole(wsId: string, roleId: string): Promise<Member[]> {
  return (await queryAll(byRole(wsId, roleId))).map(toMember);
}

export function countMembersWithRole(wsId: string, roleId: string): Promise<number> {
  return countAll(byRole(wsId, roleId));
}

/** Every member of a workspace (admin-side cascades only; lists page with `listMembers`). */
export async function listAllMembers(wsId: string): Promise<Member[]> {
  return (await queryAll({ ...inPartition(`WS#${wsId}`, MEMBER_PREFIX), ConsistentRead: true })).map(toMember);
}

/** Active members of a workspace (strongly consistent count). */
export function countMembers(wsId: string): Promise<number> {
  return countAll({ ...inPartition(`WS#${wsId}`, MEMBER_PREFIX), ConsistentRead: true });
}

export function listMembers(
  wsId: string,
  opts: { limit: number; cursor?: string; roleId?: string },
): Promise<Page<Member>> {
  const partition = { PK: `WS#${wsId}`, SK: { prefix: MEMBER_PREFIX } };
  if (opts.roleId === undefined) return queryPage(inPartition(`WS#${wsId}`, MEMBER_PREFIX), opts, partition, toMember);
  const q = byRole(wsId, opts.roleId);
  return queryPage(
    q,
    opts,
    { ...partition, GSI1PK: q.ExpressionAttributeValues[':pk'], GSI1SK: { prefix: MEMBER_PREFIX } },
    toMember,
  );
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

/**
 * Moves a member from one role to another: the member item (and its role index keys) and the user's
 * membership pointer change together, and only if the member still holds `fromRoleId`.
 */
export function changeMemberRole(
  wsId: string,
  member: Member,
  fromRoleId: string,
  toRoleId: string,
  extra: Item[] = [],
) {
  return transact(
    [...roleChange(wsId, member, fromRoleId, toRoleId), ...extra.map(putNew)],
    "The member's role changed meanwhile",
  );
}

/** Removes every item of the member (and them from their teams), if it still holds its role. */
export function deleteMember(wsId: string, member: Member, extra: Item[] = []): Promise<void> {
  const [memberItemKey, ...rest] = memberItemKeys(wsId, member);
  return transact(
    [
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
      ...extra.map(putNew),
    ],
    "The member's role changed meanwhile",
  );
}

/** The owner becomes `admin` and the target becomes `owner`, together: exactly one Owner before and after. */
export function transferOwnership(wsId: string, owner: Member, target: Member, extra: Item[] = []): Promise<void> {
  return transact(
    [
      ...roleChange(wsId, owner, 'owner', 'admin'),
      ...roleChange(wsId, target, target.roleId, 'owner'),
      ...extra.map(putNew),
    ],
    'Roles changed meanwhile; reload and retry',
  );
}
