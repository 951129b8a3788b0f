// Walking a sparse GSI2 family for what is due: the grant sweep (grant ends, release markers) and the scheduled
// message delivery use it. GSI2 holds keys only and is eventually consistent: callers re-read each item strongly
// consistent and decide on that read.
import { db, QueryCommand, tableName } from './client';
import { mapDbError } from './errors';
import { dueBefore } from './time-keys';

type Item = Record<string, unknown>;

/** DynamoDB takes at most 100 values in one `IN`. */
const IN_LIMIT = 100;
/** First pages asked at once: a family's shards (8). */
const AHEAD = 8;

/**
 * Keys (`PK`, `SK`) of the items a sparse GSI2 family (`pk(shard)` for each shard, sort keys `<iso>#…`) holds at or
 * before `nowIso`, shard after shard, page by page. Scoped to some workspaces' partitions (tests, the /dev/ job
 * routes; the caller names them, db/ knows no key design), the same Queries keep those partitions' items only.
 * Every shard's first page is asked at once: a run with nothing due (most runs of a job every minute or five) then
 * waits one round trip instead of one per shard (issue 19). The keys still come shard after shard, in the same
 * order; the shards' first pages are read before the caller acts on the first key, which changes nothing a caller
 * could see: what it writes for an item is due later, or in the item's own shard (its key hashes to it).
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
  const page = (shard: number, scope: readonly string[] | undefined, start: Item | undefined) => {
    const pks = scope?.map((partition, i) => [`:ws${i}`, partition] as const) ?? [];
    return db.send(
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
  };
  const walks = Array.from({ length: shards }, (_, shard) => scopes.map((scope) => ({ shard, scope }))).flat();
  const firsts: ReturnType<typeof page>[] = [];
  // Up to AHEAD shards' first pages in flight (more only when scoped to hundreds of workspaces). One failing while an
  // earlier shard is read is thrown when its turn comes (or never, if the caller stops first), not left unhandled.
  const askAhead = (from: number) => {
    for (let j = firsts.length; j < Math.min(from + AHEAD, walks.length); j++) {
      const { shard, scope } = walks[j] as (typeof walks)[number];
      const first = page(shard, scope, undefined);
      first.catch(() => {});
      firsts.push(first);
    }
  };
  try {
    for (const [i, { shard, scope }] of walks.entries()) {
      askAhead(i);
      let res = await (firsts[i] as ReturnType<typeof page>);
      for (;;) {
        for (const item of res.Items ?? []) yield { PK: String(item.PK), SK: String(item.SK) };
        if (!res.LastEvaluatedKey) break;
        res = await page(shard, scope, res.LastEvaluatedKey);
      }
    }
  } catch (err) {
    mapDbError(err);
  }
}
