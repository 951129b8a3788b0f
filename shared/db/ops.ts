// The few DynamoDB shapes every repository uses, written once: a create-only put, a transaction whose
// conditional failure is a Conflict, reading many items by key, paging through a query, counting it, reading
// one page with a cursor.
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, db, GetCommand, QueryCommand, TransactWriteCommand, tableName } from './client';
import { mapDbError, transactionCancellation } from './errors';
import { decodeCursor, encodeCursor, type Page } from './pagination';

type Item = Record<string, unknown>;
export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** A put that only creates (used for every new item and every audit entry). */
export const putNew = (Item: Item): TransactItem => ({
  Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
});

/** Optimistic concurrency: replace or delete only if the item is still at `version`. */
export const putIfVersion = (Item: Item, version: number): TransactItem => ({
  Put: {
    TableName: tableName,
    Item,
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': version },
  },
});
export const deleteIfVersion = (Key: { PK: string; SK: string }, version: number): TransactItem => ({
  Delete: {
    TableName: tableName,
    Key,
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': version },
  },
});

/** Attempts of a transaction cancelled for transient reasons (the SDK does not retry cancellations). */
const TRANSACTION_ATTEMPTS = 3;

/**
 * All or nothing; a failed condition is a 409 with `conflictMessage`. A transaction cancelled only by
 * throttling or a competing transaction wrote nothing, so it is sent again (full-jitter backoff, a few
 * tens of ms); if that keeps happening it is a 503 with Retry-After.
 */
export async function transact(items: TransactItem[], conflictMessage?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS || transactionCancellation(err) !== 'transient')
        mapDbError(err, conflictMessage);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
  }
}

export async function getItem<T>(Key: { PK: string; SK: string }, consistent = true): Promise<T | undefined> {
  try {
    const res = await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: consistent }));
    return res.Item as T | undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

type Key = { PK: string; SK: string };

/**
 * Items by key, any number of them, in BatchGetItem rounds of 100 (absent ones are missing, in no particular
 * order). Keys DynamoDB leaves unprocessed are asked again with backoff; after 5 attempts it is a 503.
 */
export async function batchGetAll(keys: readonly Key[], consistent: boolean): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Key[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 5) mapDbError({ name: 'ThrottlingException' });
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
      try {
        const res = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        out.push(...((res.Responses?.[tableName] ?? []) as Item[]));
        pending = (res.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      } catch (err) {
        return mapDbError(err);
      }
    }
  }
  return out;
}

type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Select'>;

/** Every item of a query, page after page (bounded lists: a workspace's roles, a role's holders). */
export async function queryAll(input: Query): Promise<Item[]> {
  const out: Item[] = [];
  let start: Item | undefined;
  try {
    do {
      const res = await db.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: start }));
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return out;
}

export async function countAll(input: Query): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({ ...input, TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return count;
}

/** One page: its cost follows `limit`, not the size of the workspace. */
export async function queryPage<T>(
  input: Query,
  page: { limit: number; cursor?: string | undefined },
  cursorMustMatch: Parameters<typeof decodeCursor>[1],
  map: (item: Item) => T,
): Promise<Page<T>> {
  const start = decodeCursor(page.cursor, cursorMustMatch);
  try {
    const res = await db.send(
      new QueryCommand({ ...input, TableName: tableName, Limit: page.limit, ExclusiveStartKey: start }),
    );
    return { items: (res.Items ?? []).map(map), nextCursor: encodeCursor(res.LastEvaluatedKey) };
  } catch (err) {
    return mapDbError(err);
  }
}

/**
 * One page of a query with a `FilterExpression`: DynamoDB applies `Limit` before the filter, so the page is
 * filled by reading on from where the last read stopped, `limit` minus what is already kept each time (never
 * more: the cursor is then always the last key read), for at most `maxReads` reads; a page cut short by that
 * bound still carries the right cursor.
 */
export async function queryFilteredPage<T>(
  input: Query,
  page: { limit: number; cursor?: string | undefined },
  cursorMustMatch: Parameters<typeof decodeCursor>[1],
  map: (item: Item) => T,
  maxReads = 5,
): Promise<Page<T>> {
  let start: Item | undefined = decodeCursor(page.cursor, cursorMustMatch);
  const items: T[] = [];
  try {
    for (let read = 0; read < maxReads && items.length < page.limit; read++) {
      const res = await db.send(
        new QueryCommand({
          ...input,
          TableName: tableName,
          Limit: page.limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []).map(map));
      start = res.LastEvaluatedKey;
      if (!start) break;
    }
  } catch (err) {
    return mapDbError(err);
  }
  return { items, nextCursor: encodeCursor(start) };
}

/** Items of one kind in one partition (`SK` starts with `prefix`): a list states it once for query and cursor. */
export interface Collection {
  pk: string;
  prefix: string;
}

/** One page of a collection; its cursor is accepted only for this collection. */
export function queryCollectionPage<T>(
  c: Collection,
  page: { limit: number; cursor?: string | undefined },
  map: (item: Item) => T,
  options: Pick<Query, 'ScanIndexForward'> = {},
): Promise<Page<T>> {
  return queryPage({ ...inPartition(c.pk, c.prefix), ...options }, page, { PK: c.pk, SK: { prefix: c.prefix } }, map);
}

/** Every item of a collection, strongly consistent (bounded lists and admin-side cascades only). */
export function queryCollection(c: Collection, extra: Omit<Query, 'KeyConditionExpression'> = {}): Promise<Item[]> {
  const q = inPartition(c.pk, c.prefix);
  return queryAll({
    ...q,
    ConsistentRead: true,
    ...extra,
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ...extra.ExpressionAttributeValues },
  });
}

/** `PK = :pk AND begins_with(SK, :prefix)` */
export const inPartition = (pk: string, prefix: string): Query => ({
  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
  ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
});
