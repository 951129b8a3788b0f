import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, tableName } from '../../shared/db/client';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

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
});
