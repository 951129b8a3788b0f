// How the access loader (shared/auth/access.ts) reads items: one GetItem, or one BatchGetItem of a few keys,
// for the authorizer and for the handlers' write re-checks alike. DynamoDB's failures come back as typed errors
// (mapDbError), and a partial batch as unavailable, never half the facts.
import { BatchGetCommand, db, GetCommand, tableName } from './client';
import { mapDbError } from './errors';

export type Key = { PK: string; SK: string };
export type Item = Record<string, unknown>;

export interface ItemReader {
  getOne(key: Key, consistent: boolean): Promise<Item | undefined>;
  batchGet(keys: Key[], consistent: boolean): Promise<Item[]>;
}

export const itemReader: ItemReader = {
  async getOne(key, consistent) {
    try {
      return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }))).Item;
    } catch (err) {
      return mapDbError(err);
    }
  },
  async batchGet(keys, consistent) {
    try {
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: consistent } } }),
      );
      if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) {
        // Partial answers happen under throttling: treat as unavailable rather than decide on half the facts.
        return mapDbError({ name: 'ThrottlingException' });
      }
      return (res.Responses?.[tableName] ?? []) as Item[];
    } catch (err) {
      return mapDbError(err);
    }
  },
};
