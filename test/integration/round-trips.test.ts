// Reads are decided once (by the authorizer, whose answer API Gateway caches); writes re-read the
// caller's access on fresh data once, then write. Counted in DynamoDB calls, as a user's bill would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ authorizerCacheTtlSeconds: 30 });
});
afterAll(async () => {
  await t.stop();
});

async function dynamoCalls(fn: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  const name = `trips-${Math.random()}`;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await fn();
  } finally {
    dynamo.middlewareStack.remove(name);
  }
  return calls;
}

describe('DynamoDB round trips per request', () => {
  it('a cached read costs only its data read', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const path = `/v1/workspaces/${ws}/members?limit=10`;
    expect((await t.call('GET', path, { token })).status).toBe(200); // the authorizer decides and is cached
    const calls = await dynamoCalls(async () => expect((await t.call('GET', path, { token })).status).toBe(200));
    expect(calls).toEqual(['QueryCommand']);
  });

  it('a custom-role read decides on the authorizer context too', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Viewer', permissions: { 'teammates.invite': true } },
    });
    const viewer = await addMember(t, ws, role.body.id);
    const path = `/v1/workspaces/${ws}/invitations`;
    expect((await t.call('GET', path, { token: viewer.token })).status).toBe(200);
    const calls = await dynamoCalls(async () => (await t.call('GET', path, { token: viewer.token })).status);
    expect(calls).toEqual(['QueryCommand']);
  });

  it('a write reads the caller once, fresh, then writes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const path = `/v1/workspaces/${ws}/members/${agent.memberId}`;
    expect((await t.call('PATCH', path, { token, body: { roleId: 'member' } })).status).toBe(200);
    const calls = await dynamoCalls(async () => {
      expect((await t.call('PATCH', path, { token, body: { roleId: 'manager' } })).status).toBe(200);
    });
    // The fresh access batch, the target member, then one transaction.
    expect(calls[0]).toBe('BatchGetItemCommand');
    expect(calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(calls.at(-1)).toBe('TransactWriteItemsCommand');
  });
});
