// A credential is its person (issue 16, class 1): every rule about "oneself" (no self-grant, no own role change,
// not oneself for deactivation, requester ≠ approver) compares the person behind the credential, so a member's
// own API key is that member; and a key never holds more than its owner may grant now (owner demoted: the key is
// capped; owner removed: the key stops). Over HTTP through the real authorizer and handlers, DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();

/**
 * A workspace with a member whose custom role holds `teammates.manage`, `teammates.invite` and `apiKeys.manage`
 * (so it may give the Agent role), its own key with that role, and a Member.
 */
async function setup() {
  const w = await createWorkspace(t, 'unlimited', 'Person behind keys');
  const base = `/v1/workspaces/${w.ws}`;
  const role = await t.call('POST', `${base}/roles`, {
    token: w.token,
    body: {
      name: 'Key keeper',
      permissions: { 'teammates.manage': true, 'teammates.invite': true, 'apiKeys.manage': true },
    },
  });
  expect(role.status, role.text).toBe(201);
  const keeper = await addMember(t, w.ws, role.body.id);
  const created = await t.call('POST', `${base}/api-keys`, {
    token: keeper.token,
    body: { name: 'my key', roleId: role.body.id },
  });
  expect(created.status, created.text).toBe(201);
  const other = await addMember(t, w.ws, 'member');
  return { w, base, keeper, key: created.body.key as string, keyId: created.body.id as string, other };
}

describe("a member's own API key is that member", () => {
  it('does not grant its owner permissions (403 signed in, and 403 by key)', async () => {
    const { base, keeper, key } = await setup();
    const body = { permissions: { 'messages.view': 'all' }, until: hourFromNow(), reason: 'mine' };
    const signedIn = await t.call('POST', `${base}/members/${keeper.memberId}/grants`, { token: keeper.token, body });
    expect(signedIn.status).toBe(403);
    const byKey = await t.call('POST', `${base}/members/${keeper.memberId}/grants`, { token: key, body });
    expect(byKey.status, byKey.text).toBe(403);
    const me = await t.call('GET', `${base}/me`, { token: keeper.token });
    expect(me.body.permissions['messages.view']).toBeUndefined();
  });

  it("does not change its owner's role, nor deactivate its owner", async () => {
    const { w, base, keeper, key } = await setup();
    const role = await t.call('PATCH', `${base}/members/${keeper.memberId}`, { token: key, body: { roleId: 'agent' } });
    expect(role.status, role.text).toBe(403);
    const off = await t.call('POST', `${base}/members/${keeper.memberId}/deactivate`, { token: key });
    expect(off.status, off.text).toBe(403);
    const member = await t.call('GET', `${base}/members/${keeper.memberId}`, { token: w.token });
    expect(member.body).toMatchObject({ status: 'active' });
    expect(member.body.roleId).not.toBe('agent');
  });

  it("does not approve its owner's own access request", async () => {
    const { base, keeper, key } = await setup();
    const asked = await t.call('POST', `${base}/access-requests`, {
      token: keeper.token,
      body: { permissions: { 'messages.view': 'all' }, until: hourFromNow(), reason: 'let me read' },
    });
    expect(asked.status, asked.text).toBe(201);
    const approve = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: key });
    expect(approve.status, approve.text).toBe(403);
    const deny = await t.call('POST', `${base}/access-requests/${asked.body.id}/deny`, { token: key });
    expect(deny.status, deny.text).toBe(403);
    const me = await t.call('GET', `${base}/me`, { token: keeper.token });
    expect(me.body.permissions['messages.view']).toBeUndefined();
  });

  it('does not approve the requireApprovalFor request its owner raised, nor its owner the one it raised', async () => {
    const { w, base, keeper, key, other } = await setup();
    const set = await t.call('PATCH', base, { token: w.token, body: { settings: { requireApprovalFor: ['agent'] } } });
    expect(set.status, set.text).toBe(200);
    // Raised signed in, approved by the key.
    const change = await t.call('PATCH', `${base}/members/${other.memberId}`, {
      token: keeper.token,
      body: { roleId: 'agent' },
    });
    expect(change.status, change.text).toBe(202);
    const byKey = await t.call('POST', `${base}/access-requests/${change.body.id}/approve`, { token: key });
    expect(byKey.status, byKey.text).toBe(403);
    // Raised by the key, approved signed in.
    const third = await addMember(t, w.ws, 'member');
    const raised = await t.call('PATCH', `${base}/members/${third.memberId}`, {
      token: key,
      body: { roleId: 'agent' },
    });
    expect(raised.status, raised.text).toBe(202);
    const signedIn = await t.call('POST', `${base}/access-requests/${raised.body.id}/approve`, {
      token: keeper.token,
    });
    expect(signedIn.status, signedIn.text).toBe(403);
    for (const m of [other, third]) {
      expect((await t.call('GET', `${base}/members/${m.memberId}`, { token: w.token })).body.roleId).toBe('member');
    }
    // Someone else may approve both.
    for (const id of [change.body.id, raised.body.id]) {
      const ok = await t.call('POST', `${base}/access-requests/${id}/approve`, { token: w.token });
      expect(ok.status, ok.text).toBe(200);
    }
  });
});

describe('a key holds no more than its owner may grant now', () => {
  it('owner demoted: the key loses what the owner can no longer grant; owner removed: the key stops', async () => {
    const { w, base, keeper, key, other } = await setup();
    expect((await t.call('GET', `${base}/me`, { token: key })).body.permissions['teammates.manage']).toBe(true);
    const demoted = await t.call('PATCH', `${base}/members/${keeper.memberId}`, {
      token: w.token,
      body: { roleId: 'agent' },
    });
    expect(demoted.status, demoted.text).toBe(200);
    const me = await t.call('GET', `${base}/me`, { token: key });
    expect(me.status, me.text).toBe(200);
    expect(me.body.permissions['teammates.manage']).toBeUndefined();
    expect(me.body.permissions['apiKeys.manage']).toBeUndefined();
    const change = await t.call('PATCH', `${base}/members/${other.memberId}`, {
      token: key,
      body: { roleId: 'agent' },
    });
    expect(change.status, change.text).toBe(403);
    const keyMade = await t.call('POST', `${base}/api-keys`, {
      token: key,
      body: { name: 'another', roleId: 'agent' },
    });
    expect(keyMade.status, keyMade.text).toBe(403);

    expect((await t.call('DELETE', `${base}/members/${keeper.memberId}`, { token: w.token })).status).toBe(204);
    expect((await t.call('GET', `${base}/me`, { token: key })).status).toBe(401);
    expect((await t.call('PATCH', base, { token: key, body: { name: 'after removal' } })).status).toBe(401);
  });

  it("the Owner's key keeps its whole role", async () => {
    const w = await createWorkspace(t, 'unlimited', 'Owner key');
    const base = `/v1/workspaces/${w.ws}`;
    const created = await t.call('POST', `${base}/api-keys`, { token: w.token, body: { name: 'k', roleId: 'admin' } });
    expect(created.status, created.text).toBe(201);
    const me = await t.call('GET', `${base}/me`, { token: created.body.key });
    const admin = await t.call('GET', `${base}/roles/admin`, { token: w.token });
    expect(me.body.permissions).toEqual(admin.body.permissions);
  });
});
