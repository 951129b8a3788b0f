// The local event source mapping: reads the table's stream from DynamoDB Local and invokes a Lambda
// handler with the same DynamoDBStreamEvent shape Lambda delivers, in order, per shard.
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

export interface StreamPoller {
  stop(): Promise<void>;
}

export async function startStreamPoller(opts: {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  intervalMs?: number;
}): Promise<StreamPoller> {
  const config = {
    endpoint: opts.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const ddb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const table = await ddb.send(new DescribeTableCommand({ TableName: opts.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${opts.tableName} has no stream`);
  const iterators = new Map<string, string | undefined>();
  const done = new Set<string>();
  let stopped = false;

  const discover = async () => {
    const desc = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || iterators.has(id) || done.has(id)) continue;
      const it = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      iterators.set(id, it.ShardIterator);
    }
  };

  const context = {
    functionName: 'mailer',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 60_000,
  } as Context;

  const pollOnce = async (): Promise<number> => {
    await discover();
    let delivered = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) {
        iterators.delete(shardId);
        done.add(shardId);
        continue;
      }
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      iterators.set(shardId, out.NextShardIterator);
      const records = out.Records ?? [];
      if (records.length === 0) continue;
      delivered += records.length;
      const event = {
        Records: records.map((r) => ({
          ...r,
          eventSourceARN: streamArn,
          dynamodb: {
            ...r.dynamodb,
            ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
              ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
              : undefined,
          },
        })),
      } as unknown as DynamoDBStreamEvent;
      await opts.handler(event, context);
    }
    return delivered;
  };

  const loop = (async () => {
    while (!stopped) {
      let delivered = 0;
      try {
        delivered = await pollOnce();
      } catch (err) {
        if (!stopped) process.stderr.write(`[streams] ${(err as Error).message}\n`);
      }
      if (delivered === 0) await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      await loop;
      ddb.destroy();
      streams.destroy();
    },
  };
}
