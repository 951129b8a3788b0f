// requireApprovalFor on every path that grants (issue 16 class 3), over HTTP against DynamoDB Local: editing a
// custom role, deleting one with ?reassignTo=, switching agentsCanManageAttributes and creating an API key
// with a listed role, and a plan downgrade moving holders of surplus roles to a listed member role, become pending
// access requests (202) for anyone but the Owner, like a role change, an extra grant or an invitation; approving
// makes the change (an API key: its requester may then create it once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function setUp() {
  const w = await createWorkspace(t, 'unlimited', 'Approvals');
  const base = `/v1/workspaces/${w.ws}`;
  const admin = await addMember(t, w.ws, 'admin');
  const held = await addMember(t, w.ws, 'agent');
  const role = async (name: string) => {
    const res = await t.call('POST', `${base}/roles`, {
      token: w.token,
      body: { name, description: 'test role', cloneFrom: 'agent' },
    });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  const listed = await t.call('PATCH', base, {
    token: w.token,
    body: { settings: { requireApprovalFor: ['attributes.manage', 'admin'] } },
  });
  expect(listed.status, listed.text).toBe(200);
  const approve = async (requestId: string) => {
    const res = await t.call('POST', `${base}/access-requests/${requestId}/approve`, { token: w.token });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  return { ...w, base, admin, held, role, approve };
}

const expectPending = (res: { status: number; text: string; body: any }, action: string) => {
  expect(res.status, res.text).toBe(202);
  expect(res.body).toMatchObject({ kind: 'change', status: 'pending', change: { action } });
};

describe('requireApprovalFor covers every path that grants', () => {
  it('editing a custom role to give a listed permission waits for approval; approving makes the edit', async () => {
    const w = await setUp();
    const desk = await w.role('Desk');
    const edit = await t.call('PATCH', `${w.base}/roles/${desk}`, {
      token: w.admin.token,
      body: { permissions: { 'attributes.manage': true } },
    });
    expectPending(edit, 'role.update');
    expect((await t.call('GET', `${w.base}/roles/${desk}`, { token: w.token })).body.permissions).not.toHaveProperty(
      'attributes.manage',
    );
    // An edit that gives nothing listed is made at once.
    const rename = await t.call('PATCH', `${w.base}/roles/${desk}`, { token: w.admin.token, body: { name: 'Desk 2' } });
    expect(rename.status, rename.text).toBe(200);
    await w.approve(edit.body.id);
    expect((await t.call('GET', `${w.base}/roles/${desk}`, { token: w.token })).body.permissions).toHaveProperty(
      'attributes.manage',
    );
    // The Owner is never asked.
    const owner = await t.call('PATCH', `${w.base}/roles/${desk}`, {
      token: w.token,
      body: { permissions: { 'attributes.manage': false } },
    });
    expect(owner.status, owner.text).toBe(200);
  });

  it('deleting a role with ?reassignTo= a listed role waits for approval; approving moves the holders and deletes it', async () => {
    const w = await setUp();
    const temp = await w.role('Temp');
    const moved = await t.call('PATCH', `${w.base}/members/${w.held.memberId}`, {
      token: w.token,
      body: { roleId: temp },
    });
    expect(moved.status, moved.text).toBe(200);
    const del = await t.call('DELETE', `${w.base}/roles/${temp}?reassignTo=admin`, { token: w.admin.token });
    expectPending(del, 'role.delete');
    expect((await t.call('GET', `${w.base}/roles/${temp}`, { token: w.token })).status).toBe(200);
    expect((await t.call('GET', `${w.base}/members/${w.held.memberId}`, { token: w.token })).body.roleId).toBe(temp);
    await w.approve(del.body.id);
    expect((await t.call('GET', `${w.base}/roles/${temp}`, { token: w.token })).status).toBe(404);
    expect((await t.call('GET', `${w.base}/members/${w.held.memberId}`, { token: w.token })).body.roleId).toBe('admin');
  });

  it('switching agentsCanManageAttributes on (it gives Agents attributes.manage) waits for approval', async () => {
    const w = await setUp();
    const on = await t.call('PATCH', w.base, {
      token: w.admin.token,
      body: { settings: { agentsCanManageAttributes: true } },
    });
    expectPending(on, 'workspace.update');
    const read = async () => (await t.call('GET', w.base, { token: w.token })).body.settings.agentsCanManageAttributes;
    expect(await read()).not.toBe(true);
    const refused = await t.call('PUT', `${w.base}/attributes`, {
      token: w.held.token,
      body: { attributes: [{ key: 'tier', label: 'Tier', type: 'text' }] },
    });
    expect(refused.status).toBe(403);
    await w.approve(on.body.id);
    expect(await read()).toBe(true);
  });

  it('an API key with a listed role waits for approval; once approved its requester creates it, once', async () => {
    const w = await setUp();
    // The Owner lets the Admin manage API keys (the Owner is never asked).
    const grant = await t.call('POST', `${w.base}/members/${w.admin.memberId}/grants`, {
      token: w.token,
      body: {
        permissions: { 'apiKeys.manage': true },
        until: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'integrations',
      },
    });
    expect(grant.status, grant.text).toBe(201);
    const ask = await t.call('POST', `${w.base}/api-keys`, {
      token: w.admin.token,
      body: { name: 'CRM sync', roleId: 'admin' },
    });
    expectPending(ask, 'apiKey.create');
    expect((await t.call('GET', `${w.base}/api-keys`, { token: w.token })).body.items).toHaveLength(0);
    // Nobody uses an approval that is not theirs, and a key with an unlisted role is made at once.
    const plain = await t.call('POST', `${w.base}/api-keys`, {
      token: w.admin.token,
      body: { name: 'Reader', roleId: 'member' },
    });
    expect(plain.status, plain.text).toBe(201);
    await w.approve(ask.body.id);
    const made = await t.call('POST', `${w.base}/api-keys`, {
      token: w.admin.token,
      body: { name: 'CRM sync', roleId: 'admin' },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ roleId: 'admin' });
    expect(typeof made.body.key).toBe('string');
    const again = await t.call('POST', `${w.base}/api-keys`, {
      token: w.admin.token,
      body: { name: 'CRM sync 2', roleId: 'admin' },
    });
    expectPending(again, 'apiKey.create');
  });

  it('a downgrade by an Admin that moves holders of surplus roles to a listed member role waits for approval', async () => {
    const w = await setUp();
    const listed = await t.call('PATCH', w.base, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['attributes.manage', 'admin', 'member'] } },
    });
    expect(listed.status, listed.text).toBe(200);
    // Two custom roles, each held: pro keeps one, the other's holder moves to member.
    const other = await addMember(t, w.ws, 'agent');
    const holders = [w.held.memberId, other.memberId];
    for (const [i, memberId] of holders.entries()) {
      const role = await w.role(`Desk ${i}`);
      const res = await t.call('PATCH', `${w.base}/members/${memberId}`, { token: w.token, body: { roleId: role } });
      expect(res.status, res.text).toBe(200);
    }
    const roles = async () =>
      Promise.all(
        holders.map(
          async (id) => (await t.call('GET', `${w.base}/members/${id}`, { token: w.token })).body.roleId as string,
        ),
      );
    const held = await roles();
    const plan = async () => (await t.call('GET', w.base, { token: w.token })).body.plan;

    const down = await t.call('PUT', `${w.base}/plan`, { token: w.admin.token, body: { plan: 'pro' } });
    expectPending(down, 'plan.change');
    expect(await plan()).toBe('unlimited');
    expect(await roles()).toEqual(held);
    await w.approve(down.body.id);
    expect(await plan()).toBe('pro');
    expect((await roles()).filter((r) => r === 'member')).toHaveLength(1);
  });
});
