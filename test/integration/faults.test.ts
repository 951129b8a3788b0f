// Faults injected inside the SDK's retry loop (the real client, against DynamoDB Local): transient
// throttling and timeouts are retried with backoff; persistent ones end in 503 + Retry-After, with
// nothing written.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db, dynamo, tableName } from '../../shared/db/client';
import { startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  dynamo.middlewareStack.remove('inject-fault');
});

/** Fails the first `failures` attempts of every TransactWriteItems call with `error()`. */
function injectIntoTransactions(failures: number, error: () => Error) {
  const attempts = new WeakMap<object, number>();
  let total = 0;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      total++;
      const n = (attempts.get(args.input as object) ?? 0) + 1;
      attempts.set(args.input as object, n);
      if (n <= failures) throw error();
      return next(args);
    },
    // After the retry middleware (finalizeRequest, high), so every attempt passes here.
    { step: 'deserialize', name: 'inject-fault' },
  );
  return { attempts: () => total };
}

const throttling = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
const timeout = () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });

async function membershipsOf(userId: string) {
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `USER#${userId}` },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

describe('DynamoDB faults', () => {
  it.each([
    ['throttling', throttling],
    ['timeouts', timeout],
  ])('retries transient %s with backoff and succeeds', async (_label, error) => {
    const probe = injectIntoTransactions(2, error);
    const user = uniqueUser('retry');
    const res = await t.call('POST', '/v1/workspaces', { token: await t.token(user), body: { name: 'Survives' } });
    expect(res.status).toBe(201);
    expect(probe.attempts()).toBe(3);
    expect(await membershipsOf(user)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the fault persists, and writes nothing', async () => {
    const probe = injectIntoTransactions(Number.POSITIVE_INFINITY, throttling);
    const user = uniqueUser('outage');
    const res = await t.call('POST', '/v1/workspaces', { token: await t.token(user), body: { name: 'Lost' } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(probe.attempts()).toBe(3);
    dynamo.middlewareStack.remove('inject-fault');
    expect(await membershipsOf(user)).toHaveLength(0);
  });
});
