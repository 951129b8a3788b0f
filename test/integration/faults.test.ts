// Faults injected inside the client's retry loop (the real client, against DynamoDB Local), each attempt failing
// as DynamoDB's answer would (shared/db/signed-request.ts's DynamoError): transient
// throttling and timeouts are retried with backoff; persistent ones end in 503 + Retry-After, with
// nothing written. A cancelled transaction means what its reasons say: a failed condition is a 409,
// throttling or a competing transaction is sent again and then a 503, an invalid request is our 500.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db, dynamoInterceptors, type Interceptor, QueryCommand, tableName } from '../../shared/db/client';
import { DynamoError } from '../../shared/db/signed-request';
import { startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});
let fault: Interceptor | undefined;
const inject = (f: Interceptor) => {
  fault = f;
  dynamoInterceptors.add(f);
};
const removeFault = () => {
  if (fault) dynamoInterceptors.delete(fault);
};
afterEach(removeFault);

/** Fails the first `failures` attempts of every TransactWriteItems call with `error()`. */
function injectIntoTransactions(failures: number, error: () => Error) {
  let total = 0;
  // Every attempt passes here, retries included (`call.attempt` counts them).
  inject(async (call, next) => {
    if (call.operation !== 'TransactWriteItems') return next();
    total++;
    if (call.attempt <= failures) throw error();
    return next();
  });
  return { attempts: () => total };
}

const throttling = () => new DynamoError('ThrottlingException', 'Rate of requests exceeds the allowed throughput', 400);
const timeout = () => new DynamoError('TimeoutError', 'DynamoDB unreachable: socket timed out');

/**
 * Cancels the next `times` TransactWriteItems calls as DynamoDB does: a 400 whose reasons name, item by
 * item, why (`codes` for the first items, `None` for the others). The SDK does not retry a cancellation.
 */
function cancelTransactions(times: number, ...codes: string[]) {
  let calls = 0;
  inject(async (call, next) => {
    if (call.operation !== 'TransactWriteItems') return next();
    calls++;
    if (calls > times) return next();
    const items = (call.input as { TransactItems?: unknown[] }).TransactItems ?? [];
    const reasons = items.map((_, i) => {
      const code = codes[i] ?? 'None';
      return code === 'None' ? { Code: code } : { Code: code, Message: `${code} on this item` };
    });
    throw new DynamoError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  });
  return { calls: () => calls };
}

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
    removeFault();
    expect(await membershipsOf(user)).toHaveLength(0);
  });

  it.each(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'TransactionConflict'])(
    'answers 503 with Retry-After, not 409, to a transaction cancelled for %s every time, and writes nothing',
    async (code) => {
      const probe = cancelTransactions(Number.POSITIVE_INFINITY, code);
      const user = uniqueUser('cancelled');
      const res = await t.call('POST', '/v1/workspaces', { token: await t.token(user), body: { name: 'Busy' } });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(probe.calls()).toBe(3); // tried again twice before giving up
      removeFault();
      expect(await membershipsOf(user)).toHaveLength(0);
    },
  );

  it.each(['TransactionConflict', 'ThrottlingError'])(
    'sends a transaction cancelled once for %s again, and it succeeds',
    async (code) => {
      const probe = cancelTransactions(1, code);
      const user = uniqueUser('raced');
      const res = await t.call('POST', '/v1/workspaces', { token: await t.token(user), body: { name: 'Raced' } });
      expect(res.status).toBe(201);
      expect(probe.calls()).toBe(2);
      expect(await membershipsOf(user)).toHaveLength(1);
    },
  );

  it('answers 409 when a condition failed, even beside a throttled item, without retrying', async () => {
    const probe = cancelTransactions(Number.POSITIVE_INFINITY, 'ThrottlingError', 'ConditionalCheckFailed');
    const user = uniqueUser('refused');
    const res = await t.call('POST', '/v1/workspaces', { token: await t.token(user), body: { name: 'Refused' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(probe.calls()).toBe(1);
  });

  it('answers 500 without details to a transaction DynamoDB refused as invalid (our bug, not a conflict)', async () => {
    const probe = cancelTransactions(Number.POSITIVE_INFINITY, 'ValidationError');
    const res = await t.call('POST', '/v1/workspaces', {
      token: await t.token(uniqueUser('bug')),
      body: { name: 'x' },
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    expect(probe.calls()).toBe(1);
  });
});
