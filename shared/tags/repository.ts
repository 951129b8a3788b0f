// Tags in DynamoDB; items parsed with the zod record schemas on the way out.

import { tableName } from '../db/client';
import { itemParser, parseItem } from '../db/items';
import {
  batchGetAll,
  deleteIfVersion,
  getItem,
  putIfVersion,
  putNew,
  queryCollectionPage,
  type TransactItem,
  transact,
} from '../db/ops';
import type { Page } from '../db/pagination';
import { conversationKey } from '../table/conversations/keys';
import {
  conversationTagsKey,
  privateTagKey,
  privateTagPrefix,
  SHARED_TAG_PREFIX,
  sharedTagKey,
  tagNameKey,
} from '../table/tags/keys';
import { wsCollection } from '../table/workspaces/keys';
import { ConversationTagsRecord, TagRecord } from './schema';

type Item = Record<string, unknown>;

const fromItem = itemParser(TagRecord, 'Tag');
export const tagKeyOf = (wsId: string, ref: { id: string; ownerMemberId: string | null }) =>
  ref.ownerMemberId === null ? sharedTagKey(wsId, ref.id) : privateTagKey(wsId, ref.ownerMemberId, ref.id);
const tagItem = (t: TagRecord): Item => ({ ...tagKeyOf(t.workspaceId, t), entity: 'Tag', ...t });
const nameLock = (t: TagRecord) =>
  putNew({ ...tagNameKey(t.workspaceId, t.ownerMemberId, t.nameKey), entity: 'TagName', tagId: t.id });
const dropNameLock = (t: TagRecord): TransactItem => ({
  Delete: { TableName: tableName, Key: tagNameKey(t.workspaceId, t.ownerMemberId, t.nameKey) },
});

/** The shared tag `tagId`, or `memberId`'s own private tag `tagId` (another member's private tag is not found). */
export async function getTagFor(wsId: string, tagId: string, memberId: string): Promise<TagRecord | undefined> {
  const items = await batchGetAll([sharedTagKey(wsId, tagId), privateTagKey(wsId, memberId, tagId)], true);
  const item = items[0];
  return item ? fromItem(item) : undefined;
}

/** Several tags the caller may use: shared ones, or `memberId`'s private ones (others are left out). */
export async function getTagsFor(wsId: string, tagIds: readonly string[], memberId: string): Promise<TagRecord[]> {
  const unique = [...new Set(tagIds)];
  const items = await batchGetAll(
    unique.flatMap((id) => [sharedTagKey(wsId, id), privateTagKey(wsId, memberId, id)]),
    true,
  );
  return items.map(fromItem);
}

export async function getTags(
  wsId: string,
  refs: readonly { id: string; ownerMemberId: string | null }[],
): Promise<TagRecord[]> {
  return (
    await batchGetAll(
      refs.map((r) => tagKeyOf(wsId, r)),
      false,
    )
  ).map(fromItem);
}

export function listSharedTags(
  wsId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TagRecord>> {
  return queryCollectionPage(wsCollection(wsId, SHARED_TAG_PREFIX), page, fromItem);
}

export function listPrivateTags(
  wsId: string,
  memberId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TagRecord>> {
  return queryCollectionPage(wsCollection(wsId, privateTagPrefix(memberId)), page, fromItem);
}

export function createTag(t: TagRecord, audit: Item | null): Promise<void> {
  return transact([putNew(tagItem(t)), nameLock(t), ...(audit ? [putNew(audit)] : [])], 'A tag with this name exists');
}

export function updateTag(before: TagRecord, after: TagRecord, audit: Item | null): Promise<void> {
  const renamed = before.nameKey !== after.nameKey;
  return transact(
    [
      putIfVersion(tagItem(after), before.version),
      ...(renamed ? [dropNameLock(before), nameLock(after)] : []),
      ...(audit ? [putNew(audit)] : []),
    ],
    'A tag with this name exists, or the tag changed meanwhile',
  );
}

/** Conversations that carry it drop it when read (their tags resolve) and at their next tag change. */
export function deleteTag(t: TagRecord, audit: Item | null): Promise<void> {
  return transact(
    [deleteIfVersion(tagKeyOf(t.workspaceId, t), t.version), dropNameLock(t), ...(audit ? [putNew(audit)] : [])],
    'The tag changed meanwhile; reload and retry',
  );
}

/** A conversation's tags (none, at version 0, before the first PUT). */
export async function getConversationTags(wsId: string, conversationId: string, consistent = true) {
  const item = await getItem<Item>(conversationTagsKey(wsId, conversationId), consistent);
  return item ? parseItem(ConversationTagsRecord, item, 'Conversation tags') : { tags: [], version: 0 };
}

/** Replaces a conversation's tags on the condition of the version read, with the checks the caller adds. */
export function setConversationTags(
  wsId: string,
  conversationId: string,
  tags: ConversationTagsRecord['tags'],
  readVersion: number,
  checks: TransactItem[],
): Promise<void> {
  const Item = {
    ...conversationTagsKey(wsId, conversationId),
    entity: 'ConversationTags',
    conversationId,
    tags,
    version: readVersion + 1,
  };
  return transact(
    [
      ...checks,
      readVersion === 0
        ? { Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } }
        : putIfVersion(Item, readVersion),
    ],
    "The conversation's tags changed meanwhile, or a tag or the conversation was removed; reload and retry",
  );
}

/** The tag still exists (a tag applied in the same transaction as a delete loses). */
export const tagStillExists = (wsId: string, ref: { id: string; ownerMemberId: string | null }): TransactItem => ({
  ConditionCheck: { TableName: tableName, Key: tagKeyOf(wsId, ref), ConditionExpression: 'attribute_exists(PK)' },
});

/** The conversation still exists (tags never land on a deleted one). */
export const conversationStillExists = (wsId: string, conversationId: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: conversationKey(wsId, conversationId),
    ConditionExpression: 'attribute_exists(PK)',
  },
});
