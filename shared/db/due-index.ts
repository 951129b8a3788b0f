// Walking a sparse GSI2 family for what is due: the grant sweep (grant ends, release markers) and the scheduled
// message delivery use it. GSI2 holds keys only and is eventually consistent: callers re-read each item strongly
// consistent and decide on that read.
import { db, QueryCommand, tableName } from './client';
import { mapDbError } from './errors';
import { dueBefore } from './time-keys';

type Item = Record<string, unknown>;

/** DynamoDB takes at most 100 values in one `IN`. */
const IN_LIMIT = 100;

/**
 * Keys (`PK`, `SK`) of the items a sparse GSI2 family (`pk(shard)` for each shard, sort keys `<iso>#…`) holds at or
 * before `nowIso`, shard after shard, page by page. Scoped to some workspaces' partitions (tests, the /dev/ job
 * routes; the caller names them, db/ knows no key design), the same Queries keep those partitions' items only.
 */
export async function* dueKeys(
  pk: (shard: number) => string,
  shards: number,
  nowIso: string,
  partitionKeys?: readonly string[],
): AsyncGenerator<{ PK: string; SK: string }> {
  const scopes: (readonly string[] | undefined)[] = [];
  if (partitionKeys === undefined) scopes.push(undefined);
  else for (let i = 0; i < partitionKeys.length; i += IN_LIMIT) scopes.push(partitionKeys.slice(i, i + IN_LIMIT));
  try {
    for (let shard = 0; shard < shards; shard++) {
      for (const scope of scopes) {
        const pks = scope?.map((partition, i) => [`:ws${i}`, partition] as const) ?? [];
        let start: Item | undefined;
        do {
          const res = await db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'GSI2',
              KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :due',
              ...(scope ? { FilterExpression: `PK IN (${pks.map(([name]) => name).join(', ')})` } : {}),
              ExpressionAttributeValues: {
                ':pk': pk(shard),
                ':due': dueBefore(nowIso),
                ...Object.fromEntries(pks),
              },
              ExclusiveStartKey: start,
            }),
          );
          for (const item of res.Items ?? []) yield { PK: String(item.PK), SK: String(item.SK) };
          start = res.LastEvaluatedKey;
        } while (start);
      }
    }
  } catch (err) {
    mapDbError(err);
  }
}
