// Contacts in DynamoDB. Items are parsed with the zod record schema on the way out.
import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser } from '../db/items';
import {
  batchGetAll,
  getItem,
  putIfVersion,
  putNew,
  queryCollectionPage,
  type TransactItem,
  transact,
} from '../db/ops';
import type { Page } from '../db/pagination';
import {
  CONTACT_PREFIX,
  contactCreatorIndexKey,
  contactInboxKey,
  contactKey,
  inboxContactIndexKey,
} from '../table/contacts/keys';
import { ContactRecord } from '../table/contacts/record';
import { wsCollection } from '../table/workspaces/keys';

type Item = Record<string, unknown>;

const fromItem = itemParser(ContactRecord, 'Contact');

function contactItem(c: ContactRecord): Item {
  const { inboxIds, ...rest } = c;
  return {
    ...contactKey(c.workspaceId, c.id),
    ...contactCreatorIndexKey(c.workspaceId, c.createdBy, c.id),
    entity: 'Contact',
    ...rest,
    // A string set: a conversation's create or move ADDs its inbox atomically (see contactTalkedToInbox).
    ...(inboxIds.length > 0 ? { inboxIds: new Set(inboxIds) } : {}),
  };
}

/**
 * A contact of this workspace, or undefined (another workspace's id is simply not found here).
 * Conversations validate their `contactId` with it.
 */
export async function getContact(wsId: string, contactId: string, consistent = false) {
  const item = await getItem<Item>(contactKey(wsId, contactId), consistent);
  return item ? fromItem(item) : undefined;
}

/** Several contacts by id (missing ones are left out), in BatchGetItem rounds of 100. */
export async function getContacts(wsId: string, ids: readonly string[], consistent = false): Promise<ContactRecord[]> {
  const items = await batchGetAll(
    [...new Set(ids)].map((id) => contactKey(wsId, id)),
    consistent,
  );
  return items.map(fromItem);
}

/** A page of every contact of the workspace, in id (creation) order. */
export function listContacts(
  wsId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ContactRecord>> {
  return queryCollectionPage(wsCollection(wsId, CONTACT_PREFIX), page, fromItem);
}

/** Which index partition lists a set of contact ids: a creator's contacts, or the contacts of an inbox. */
export type ContactSource = { creator: string } | { inbox: string };

/**
 * Up to `limit` contact ids of one source after `after` (GSI1, in id order), and whether more follow.
 * Eventually consistent, like every GSI read.
 */
export async function contactIdsOf(
  wsId: string,
  source: ContactSource,
  after: string | undefined,
  limit: number,
): Promise<{ ids: string[]; more: boolean }> {
  const pk =
    'creator' in source
      ? contactCreatorIndexKey(wsId, source.creator, '').GSI1PK
      : inboxContactIndexKey(wsId, source.inbox, '').GSI1PK;
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression:
          after === undefined ? 'GSI1PK = :pk AND begins_with(GSI1SK, :p)' : 'GSI1PK = :pk AND GSI1SK > :after',
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(after === undefined ? { ':p': CONTACT_PREFIX } : { ':after': `${CONTACT_PREFIX}${after}` }),
        },
        ProjectionExpression: 'GSI1SK',
        Limit: limit,
      }),
    );
    const ids = (res.Items ?? []).map((i) => String(i.GSI1SK).slice(CONTACT_PREFIX.length));
    return { ids, more: res.LastEvaluatedKey !== undefined };
  } catch (err) {
    return mapDbError(err);
  }
}

export function createContact(c: ContactRecord, audit: Item): Promise<void> {
  return transact([putNew(contactItem(c)), putNew(audit)]);
}

/** Replaces the contact if it is still at the version read (a conversation landing on it meanwhile moves it). */
export function updateContact(before: ContactRecord, after: ContactRecord, audit: Item): Promise<void> {
  return transact(
    [putIfVersion(contactItem(after), before.version), putNew(audit)],
    'The contact changed meanwhile; reload and retry',
  );
}

/**
 * Deletes the contact, its "talked to" links and whatever else the caller removes with it (the opt-out
 * list's update), on the condition it is still at the version read: a conversation created with it
 * meanwhile makes this a 409, never a link to a deleted contact.
 */
export function deleteContact(c: ContactRecord, also: TransactItem[], audit: Item): Promise<void> {
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: contactKey(c.workspaceId, c.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': c.version },
        },
      },
      ...c.inboxIds.map((inboxId) => ({
        Delete: { TableName: tableName, Key: contactInboxKey(c.workspaceId, c.id, inboxId) },
      })),
      ...also,
      putNew(audit),
    ],
    'The contact changed meanwhile; reload and retry',
  );
}

/**
 * For conversations: put these items in the transaction that creates a conversation with a contact, or
 * moves one into another inbox. They record that the contact has talked to `inboxId` (what `private`
 * contacts visibility reads) and fail the transaction (409) if the contact was deleted meanwhile.
 * Idempotent: the same contact and inbox again change nothing but the contact's version.
 */
export function contactTalkedToInbox(wsId: string, contactId: string, inboxId: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: contactKey(wsId, contactId),
        UpdateExpression: 'ADD inboxIds :inbox, version :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':inbox': new Set([inboxId]), ':one': 1 },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...contactInboxKey(wsId, contactId, inboxId),
          ...inboxContactIndexKey(wsId, inboxId, contactId),
          entity: 'ContactInbox',
          contactId,
          inboxId,
        },
      },
    },
  ];
}

/** Deletes "talked to" links in transactions of 100 (those of a contact being deleted). */
export async function deleteLinks(wsId: string, contactId: string, inboxIds: readonly string[]): Promise<void> {
  for (let i = 0; i < inboxIds.length; i += 100) {
    await transact(
      inboxIds.slice(i, i + 100).map((inboxId) => ({
        Delete: { TableName: tableName, Key: contactInboxKey(wsId, contactId, inboxId) },
      })),
    );
  }
}
