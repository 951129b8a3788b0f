import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db, dynamoInterceptors, type Interceptor, QueryCommand, tableName } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function membershipsOf(userId: string) {
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ws)',
      ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':ws': 'WS#' },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

/** Every stored Idempotency-Key record, raw, as one string to search. */
async function idempotencyRecordsText() {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY#api' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

describe('Idempotency-Key', () => {
  it('returns the first answer to a retry and changes nothing', async () => {
    const user = uniqueUser('idem');
    const token = await t.token(user);
    const headers = { 'Idempotency-Key': `create-${user}` };
    const first = await t.call('POST', '/v1/workspaces', { token, headers, body: { name: 'Once' } });
    const again = await t.call('POST', '/v1/workspaces', { token, headers, body: { name: 'Once' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.workspace.id).toBe(first.body.workspace.id);
    expect(await membershipsOf(user)).toHaveLength(1);
    // Without the key, the same body creates another workspace.
    await t.call('POST', '/v1/workspaces', { token, body: { name: 'Once' } });
    expect(await membershipsOf(user)).toHaveLength(2);
  });

  it('a first attempt that never finished (its function timed out) holds the key for that function time only', async () => {
    const user = uniqueUser('idem-stuck');
    const token = await t.token(user);
    const request = { token, headers: { 'Idempotency-Key': `stuck-${user}` }, body: { name: 'Stuck' } };
    // The first attempt's write never answers, as when its function times out: it leaves its key in progress.
    let fail: (err: Error) => void = () => {};
    const never = new Promise<never>((_, reject) => {
      fail = reject;
    });
    let held = false;
    const hold: Interceptor = (call, next) => {
      if (held || call.operation !== 'TransactWriteItems') return next();
      held = true;
      return never;
    };
    dynamoInterceptors.add(hold);
    const first = t.call('POST', '/v1/workspaces', request);
    try {
      await vi.waitFor(() => expect(held).toBe(true), { timeout: 10_000 });
      dynamoInterceptors.delete(hold);
      const meanwhile = await t.call('POST', '/v1/workspaces', request);
      expect(meanwhile.status).toBe(409);
      // Past the function's time (the local gateway gives 29 s, as API Gateway waits), that attempt cannot still be
      // running: a retry runs, instead of a 409 for the key's whole 24 hours.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 30_000);
      const retry = await t.call('POST', '/v1/workspaces', request);
      expect(retry.status, retry.text).toBe(201);
      expect(await membershipsOf(user)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      dynamoInterceptors.delete(hold);
      fail(new Error('the function timed out'));
      await first;
    }
  });

  it('refuses the same key with another body, and keeps keys apart between callers', async () => {
    const a = uniqueUser('idem-a');
    const b = uniqueUser('idem-b');
    const key = { 'Idempotency-Key': 'shared-key-1' };
    const tokenA = await t.token(a);
    expect((await t.call('POST', '/v1/workspaces', { token: tokenA, headers: key, body: { name: 'A' } })).status).toBe(
      201,
    );
    const other = await t.call('POST', '/v1/workspaces', { token: tokenA, headers: key, body: { name: 'B' } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    const byB = await t.call('POST', '/v1/workspaces', { token: await t.token(b), headers: key, body: { name: 'A' } });
    expect(byB.status).toBe(201);
    expect(await membershipsOf(b)).toHaveLength(1);
    const bad = await t.call('POST', '/v1/workspaces', {
      token: tokenA,
      headers: { 'Idempotency-Key': 'no spaces allowed' },
      body: { name: 'A' },
    });
    expect(bad.status).toBe(400);
  });

  it('does not send a second invitation email or refresh the invitation on a retried invite', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = `${uniqueUser('idem-inv')}@example.test`;
    const headers = { 'Idempotency-Key': 'invite-1' };
    const first = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      headers,
      body: { email, roleId: 'agent' },
    });
    const retry = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      headers,
      body: { email, roleId: 'agent' },
    });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].sendCount).toBe(1);
  });

  it('never stores a created API key, and a replay answers without it, also after revocation', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const headers = { 'Idempotency-Key': 'create-key-1' };
    const body = { name: 'CRM sync', roleId: 'agent' };
    const first = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, { token, headers, body });
    expect(first.status).toBe(201);
    const key = first.body.key as string;
    expect(key).toMatch(/^ak_/);
    expect((await t.call('GET', `/v1/workspaces/${ws}/me`, { token: key })).status).toBe(200);

    const stored = await idempotencyRecordsText();
    expect(stored).toContain(first.body.id); // the answer was recorded…
    expect(stored).not.toContain(key); // …without the key

    const replay = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, { token, headers, body });
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: first.body.id, prefix: first.body.prefix, secretsWithheld: ['key'] });
    expect(replay.body.key).toBeUndefined();
    expect(replay.text).not.toContain(key);
    // Still one key: the replay created nothing.
    expect((await t.call('GET', `/v1/workspaces/${ws}/api-keys`, { token })).body.items).toHaveLength(1);

    expect((await t.call('DELETE', `/v1/workspaces/${ws}/api-keys/${first.body.id}`, { token })).status).toBe(204);
    const afterRevoke = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, { token, headers, body });
    expect(afterRevoke.status).toBe(201);
    expect(afterRevoke.text).not.toContain(key);
    expect(afterRevoke.body.key).toBeUndefined();
    expect(await idempotencyRecordsText()).not.toContain(key);
  });

  it('compares the query string too: the same key with another ?reassignTo= is a 409', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Night shift', permissions: { 'messages.view': 'all' } },
    });
    expect(role.status).toBe(201);
    const holder = await addMember(t, ws, role.body.id);
    const headers = { 'Idempotency-Key': 'delete-role-1' };
    const path = `/v1/workspaces/${ws}/roles/${role.body.id}`;
    expect((await t.call('DELETE', `${path}?reassignTo=member`, { token, headers })).status).toBe(204);
    // The same request again is a replay…
    expect((await t.call('DELETE', `${path}?reassignTo=member`, { token, headers })).status).toBe(204);
    // …another one under the same key is refused, not answered with the first one's result.
    const other = await t.call('DELETE', `${path}?reassignTo=agent`, { token, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    const noQuery = await t.call('DELETE', path, { token, headers });
    expect(noQuery.status).toBe(409);
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: holder.token });
    expect(me.body.member.roleId).toBe('member');
  });
});
