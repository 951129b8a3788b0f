// SCIM's items (keys.ts): the SCIM user document beside its member, its index items (one per filterable value),
// per-member group membership items. DynamoDB only: the services decide.
import * as z from 'zod/mini';
import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { parseItem } from '../db/items';
import { batchGetAll, queryAll, type TransactItem } from '../db/ops';
import { memberKey } from '../table/members/keys';
import {
  lowerKey,
  SCIM_GROUP_MEMBER_PREFIX,
  SCIM_INDEX,
  SCIM_USER_PREFIX,
  type ScimIndex,
  scimGroupMemberKey,
  scimIndexKey,
  scimLockKey,
  scimUserKey,
} from '../table/scim/keys';
import { teamKey } from '../table/teams/keys';
import { wsPk } from '../table/workspaces/keys';
import type { FilterAttr, Lookup } from './filter';
import type { UserDoc } from './patch';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

export const ScimUserRecord = z.object({
  memberId: z.string(),
  userName: z.string(),
  externalId: z.optional(z.string()),
  displayName: z.optional(z.string()),
  name: z.optional(
    z.object({
      givenName: z.optional(z.string()),
      familyName: z.optional(z.string()),
      formatted: z.optional(z.string()),
    }),
  ),
  emails: z.optional(
    z.array(z.object({ value: z.string(), type: z.optional(z.string()), primary: z.optional(z.boolean()) })),
  ),
  roles: z.optional(z.array(z.object({ value: z.string(), primary: z.optional(z.boolean()) }))),
  created: z.string(),
  lastModified: z.string(),
  version: z.int(),
  tokenId: z.string(),
});
export type ScimUserRecord = z.output<typeof ScimUserRecord>;

export const toScimUser = (item: Item) => parseItem(ScimUserRecord, item, 'SCIM user');

export const scimUserItem = (wsId: string, r: ScimUserRecord): Item => ({
  ...scimUserKey(wsId, r.memberId),
  entity: 'ScimUser',
  ...r,
});

/** The index items of a user: the userName lock, then externalId, displayName and work emails. */
export function userIndexItems(wsId: string, memberId: string, doc: UserDoc): Item[] {
  const entry = (key: Key, value: string) => ({ ...key, entity: 'ScimIndex', memberId, value });
  const items = [entry(scimLockKey(wsId, 'userName', doc.userName), doc.userName)];
  if (doc.externalId) items.push(entry(scimIndexKey(wsId, 'userExternalId', doc.externalId, memberId), doc.externalId));
  if (doc.displayName)
    items.push(entry(scimIndexKey(wsId, 'userDisplayName', doc.displayName, memberId), doc.displayName));
  const seen = new Set<string>();
  for (const e of doc.emails ?? []) {
    if (e.type !== 'work' || seen.has(lowerKey(e.value))) continue;
    seen.add(lowerKey(e.value));
    items.push(entry(scimIndexKey(wsId, 'userEmail', e.value, memberId), e.value));
  }
  return items;
}

/** Index writes moving `before` to `after`: deletes of keys gone, create-only puts of new keys (the lock fails on a taken userName). */
export function indexMoves(before: Item[], after: Item[]): TransactItem[] {
  const id = (i: Item) => `${i.PK}|${i.SK}`;
  const had = new Set(before.map(id));
  const has = new Set(after.map(id));
  return [
    ...before
      .filter((i) => !has.has(id(i)))
      .map(
        (i): TransactItem => ({ Delete: { TableName: tableName, Key: { PK: i.PK as string, SK: i.SK as string } } }),
      ),
    ...after
      .filter((i) => !had.has(id(i)))
      .map(
        (Item): TransactItem => ({
          Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
        }),
      ),
  ];
}

const USER_INDEX: Record<FilterAttr, ScimIndex | undefined> = {
  id: undefined,
  userName: 'userName',
  externalId: 'userExternalId',
  displayName: 'userDisplayName',
  workEmail: 'userEmail',
};
const GROUP_INDEX: Record<FilterAttr, ScimIndex | undefined> = {
  id: undefined,
  userName: undefined,
  externalId: 'groupExternalId',
  displayName: 'groupDisplayName',
  workEmail: undefined,
};

/** Counts of DynamoDB calls made by lookups (the bench reads them). */
export const lookupStats = { queries: 0 };

/**
 * The ids a compiled filter finds: ONE Query on the index's key range (exact value, prefix, or the whole index
 * for `pr` and `co`), or the resource's own key for `id eq`. Strongly consistent: a user just created is found.
 */
export async function lookupIds(wsId: string, type: 'User' | 'Group', lookup: Lookup): Promise<string[]> {
  if (lookup.attr === 'id') return [lookup.value];
  const index = (type === 'User' ? USER_INDEX : GROUP_INDEX)[lookup.attr];
  if (!index) return [];
  const prefix = SCIM_INDEX[index];
  const unique = index === 'userName' || index === 'groupDisplayName';
  const sk =
    lookup.mode === 'exact'
      ? `${prefix}${lowerKey(lookup.value)}${unique ? '' : '#'}`
      : lookup.mode === 'prefix'
        ? `${prefix}${lowerKey(lookup.value)}`
        : prefix;
  const exact = lookup.mode === 'exact' && unique;
  lookupStats.queries++;
  const items = await queryAll({
    KeyConditionExpression: exact ? 'PK = :pk AND SK = :sk' : 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': wsPk(wsId), ':sk': sk },
    ConsistentRead: true,
  });
  const field = type === 'User' ? 'memberId' : 'teamId';
  return [...new Set(items.map((i) => i[field] as string))];
}

/** Every SCIM user's member id, in creation order (ids are ULIDs). */
export async function allUserIds(wsId: string): Promise<string[]> {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': wsPk(wsId), ':sk': SCIM_USER_PREFIX },
    ProjectionExpression: 'memberId',
    ConsistentRead: true,
  });
  return items.map((i) => i.memberId as string);
}

/** Members and their SCIM documents, by member id (either may be missing). */
export async function readUsers(wsId: string, memberIds: readonly string[]) {
  const keys = memberIds.flatMap((id) => [memberKey(wsId, id), scimUserKey(wsId, id)]);
  const items = await batchGetAll(keys, true);
  const byKey = new Map(items.map((i) => [`${i.SK}`, i]));
  return memberIds.map((id) => ({
    id,
    member: byKey.get(`MEMBER#${id}`),
    scim: byKey.get(`${SCIM_USER_PREFIX}${id}`),
  }));
}

/** Teams by id (for `groups[].display`). */
export async function readTeams(wsId: string, teamIds: readonly string[]): Promise<Item[]> {
  if (teamIds.length === 0) return [];
  return batchGetAll(
    teamIds.map((t) => teamKey(wsId, t)),
    true,
  );
}

/** The member ids of a SCIM group, from its per-member items (one Query). */
export async function groupMemberIds(wsId: string, teamId: string): Promise<string[]> {
  const prefix = `${SCIM_GROUP_MEMBER_PREFIX}${teamId}#`;
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': wsPk(wsId), ':sk': prefix },
    ProjectionExpression: 'SK',
    ConsistentRead: true,
  });
  return items.map((i) => (i.SK as string).slice(prefix.length));
}

export const groupMemberItem = (wsId: string, teamId: string, memberId: string, at: string): Item => ({
  ...scimGroupMemberKey(wsId, teamId, memberId),
  entity: 'ScimGroupMember',
  teamId,
  memberId,
  addedAt: at,
});

/** One Query, returning the raw response (the bench counts calls). */
export async function queryOnce(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
  try {
    return await db.send(new QueryCommand({ ...input, TableName: tableName }));
  } catch (err) {
    return mapDbError(err);
  }
}
