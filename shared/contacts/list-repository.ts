// Workspace lists: one item each, replaced whole on the condition of the version read.
import * as z from 'zod';
import { BatchGetCommand, db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { getItem, putNew, type TransactItem, transact } from '../db/ops';
import { type ListValue, ListValues } from '../table/contacts/lists';
import { type ListName, listKey, optOutMarkerKey } from '../table/lists/keys';

export interface StoredList<N extends ListName> {
  values: ListValue<N>;
  /** 0 when the list was never written. */
  version: number;
}

type Item = Record<string, unknown>;

function parse<N extends ListName>(name: N, item: Item | undefined): StoredList<N> {
  const schema: (typeof ListValues)[N] = ListValues[name];
  if (!item) return { values: schema.parse([]) as ListValue<N>, version: 0 };
  return { values: schema.parse(item.values) as ListValue<N>, version: z.number().int().parse(item.version) };
}

export async function getList<N extends ListName>(wsId: string, name: N, consistent = false): Promise<StoredList<N>> {
  return parse(name, await getItem<Item>(listKey(wsId, name), consistent));
}

/** The two lists a message is checked against, in one strongly consistent round trip. */
export async function getSendLists(
  wsId: string,
): Promise<{ optOuts: StoredList<'optOuts'>; restrictedWords: StoredList<'restrictedWords'> }> {
  const keys = sendListKeys(wsId);
  let items: Item[];
  try {
    const res = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
    );
    if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) return mapDbError({ name: 'ThrottlingException' });
    items = (res.Responses?.[tableName] ?? []) as Item[];
  } catch (err) {
    return mapDbError(err);
  }
  return sendListsFrom(wsId, items);
}

/** The keys of the two lists a message is checked against (for a caller that reads them in its own batch). */
export const sendListKeys = (wsId: string) => [listKey(wsId, 'optOuts'), listKey(wsId, 'restrictedWords')];

/**
 * The two send lists among items read elsewhere (a batch that asked for `sendListKeys`): a list whose item is
 * absent was never written, so it is empty.
 */
export function sendListsFrom(
  wsId: string,
  items: readonly Item[],
): { optOuts: StoredList<'optOuts'>; restrictedWords: StoredList<'restrictedWords'> } {
  const find = (k: { PK: string; SK: string }) => items.find((i) => i.PK === k.PK && i.SK === k.SK);
  return {
    optOuts: parse('optOuts', find(listKey(wsId, 'optOuts'))),
    restrictedWords: parse('restrictedWords', find(listKey(wsId, 'restrictedWords'))),
  };
}

/**
 * A message's condition that its contact has not opted out: the contact's marker is absent. Only this contact's
 * item, so concurrent sends to other contacts never meet on it (in DynamoDB, transactions naming one item,
 * ConditionChecks included, cancel each other); an opt-out committed between the send's read and its
 * transaction makes the send fail and be decided again.
 */
export function contactNotOptedOut(wsId: string, contactId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: optOutMarkerKey(wsId, contactId),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * The marker items that follow an opt-out list change, for the list's own transaction: one written for each
 * contact added, deleted for each removed (a contact listed before markers existed has none: deleting nothing
 * is fine). Unconditional: the list's version condition already orders the changes.
 */
export function optOutMarkerChanges(
  wsId: string,
  added: readonly string[],
  removed: readonly string[],
): TransactItem[] {
  const at = new Date().toISOString();
  return [
    ...added.map(
      (contactId): TransactItem => ({
        Put: {
          TableName: tableName,
          Item: { ...optOutMarkerKey(wsId, contactId), entity: 'OptOutMarker', contactId, createdAt: at },
        },
      }),
    ),
    ...removed.map(
      (contactId): TransactItem => ({ Delete: { TableName: tableName, Key: optOutMarkerKey(wsId, contactId) } }),
    ),
  ];
}

/** Replaces a list if it is still at the version read (absent when it was 0). */
export function listWrite<N extends ListName>(
  wsId: string,
  name: N,
  values: ListValue<N>,
  readVersion: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...listKey(wsId, name),
        entity: 'WorkspaceList',
        list: name,
        values,
        version: readVersion + 1,
        updatedAt: new Date().toISOString(),
      },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': readVersion } }),
    },
  };
}

export function putList<N extends ListName>(
  wsId: string,
  name: N,
  values: ListValue<N>,
  readVersion: number,
  audit: Item,
  also: TransactItem[] = [],
): Promise<void> {
  return transact(
    [listWrite(wsId, name, values, readVersion), putNew(audit), ...also],
    'The list changed meanwhile (or a contact in it was deleted); reload and retry',
  );
}
