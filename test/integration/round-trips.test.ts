// Reads are decided once (by the authorizer, whose answer API Gateway caches); writes re-read the
// caller's access on fresh data once, then write. Counted in DynamoDB calls, as a user's bill would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { dynamoCalls } from '../fixtures/dynamo-calls';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ authorizerCacheTtlSeconds: 30 });
});
afterAll(async () => {
  await t.stop();
});

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

  it('a page of roles costs two reads, whatever the built-in roles hold (issue 19)', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'manager');
    const path = `/v1/workspaces/${ws}/roles`;
    expect((await t.call('GET', path, { token })).status).toBe(200); // the authorizer decides and is cached
    const calls = await dynamoCalls(async () => expect((await t.call('GET', path, { token })).status).toBe(200));
    // The built-in roles' counters in one batch, and the custom roles' Query (was a count Query per built-in role).
    expect(calls.sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
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

describe('DynamoDB round trips of the conversation hot paths', () => {
  /** A workspace with a public inbox, a contact and both send lists written, and one conversation with it. */
  async function setup() {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const base = `/v1/workspaces/${ws}`;
    const inbox = await t.call('POST', `${base}/inboxes`, {
      token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    const contact = await t.call('POST', `${base}/contacts`, { token, body: { name: 'Ada' } });
    const other = await t.call('POST', `${base}/contacts`, { token, body: { name: 'Opted out' } });
    expect((await t.call('PUT', `${base}/opt-outs`, { token, body: { contactIds: [other.body.id] } })).status).toBe(
      200,
    );
    expect((await t.call('PUT', `${base}/restricted-words`, { token, body: { words: ['scam'] } })).status).toBe(200);
    const conv = await t.call('POST', `${base}/inboxes/${inbox.body.id}/conversations`, {
      token,
      body: { contactId: contact.body.id },
    });
    expect(conv.status, conv.text).toBe(201);
    return { ws, base, agent, inboxId: inbox.body.id as string, conversationId: conv.body.conversation.id as string };
  }

  it('a send costs ≤ 3: the authorizer batch, the fresh check (with the send lists), one transaction', async () => {
    const { base, agent, conversationId } = await setup();
    const path = `${base}/conversations/${conversationId}/messages`;
    // First send on this path: the authorizer decides (not cached yet).
    const cold = await dynamoCalls(async () => {
      const res = await t.call('POST', path, { token: agent.token, body: { body: 'Hello' } });
      expect(res.status, res.text).toBe(201);
    });
    expect(cold).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // The authorizer's answer is cached: the fresh check and the transaction.
    const warm = await dynamoCalls(async () => {
      const res = await t.call('POST', path, { token: agent.token, body: { body: 'Again' } });
      expect(res.status, res.text).toBe(201);
    });
    expect(warm).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
  });

  it('the send lists read with the access check still refuse: restricted word 422, opted-out contact 409', async () => {
    const { base, agent, inboxId, conversationId } = await setup();
    const path = `${base}/conversations/${conversationId}/messages`;
    expect((await t.call('POST', path, { token: agent.token, body: { body: 'warm' } })).status).toBe(201);
    const refused = await dynamoCalls(async () => {
      const res = await t.call('POST', path, { token: agent.token, body: { body: 'This is a SCAM!' } });
      expect(res.status, res.text).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'restricted_word', word: 'scam' });
    });
    expect(refused).toEqual(['BatchGetItemCommand']);
    const optOuts = await t.call('GET', `${base}/opt-outs`, { token: agent.token });
    const opted = optOuts.body.contactIds[0] as string;
    const conv = await t.call('POST', `${base}/inboxes/${inboxId}/conversations`, {
      token: agent.token,
      body: { contactId: opted },
    });
    const res = await t.call('POST', `${base}/conversations/${conv.body.conversation.id}/messages`, {
      token: agent.token,
      body: { body: 'Hi' },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'opted_out', contactId: opted });
  });

  it("a cached page of an inbox's conversations costs the inbox read and one Query", async () => {
    const { base, agent, inboxId } = await setup();
    const path = `${base}/inboxes/${inboxId}/conversations?limit=20`;
    expect((await t.call('GET', path, { token: agent.token })).status).toBe(200);
    const calls = await dynamoCalls(async () =>
      expect((await t.call('GET', path, { token: agent.token })).status).toBe(200),
    );
    expect(calls).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });
});
