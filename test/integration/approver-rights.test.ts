// Who may approve a change request (requireApprovalFor), over HTTP against DynamoDB Local: only someone who
// could make that change themselves now — the change's own route permission (apiKeys.manage for an API key,
// roles.manage for a role edit, workspace.settings.manage for a settings change) and the guard's grant checks —
// and never the requester. Before this, any member could approve an API key with the Admin role.
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
  const w = await createWorkspace(t, 'unlimited', 'Approver rights');
  const base = `/v1/workspaces/${w.ws}`;
  const listed = await t.call('PATCH', base, {
    token: w.token,
    body: { settings: { requireApprovalFor: ['admin', 'attributes.manage'] } },
  });
  expect(listed.status, listed.text).toBe(200);
  const approve = (requestId: string, token: string) =>
    t.call('POST', `${base}/access-requests/${requestId}/approve`, { token });
  return { ...w, base, approve };
}

describe('approving a change request needs the rights to make the change', () => {
  it('an API key with the Admin role: an Agent or an Admin without apiKeys.manage is refused; the Owner approves', async () => {
    const w = await setUp();
    const requester = await addMember(t, w.ws, 'admin');
    const agent = await addMember(t, w.ws, 'agent');
    const otherAdmin = await addMember(t, w.ws, 'admin');
    const grant = await t.call('POST', `${w.base}/members/${requester.memberId}/grants`, {
      token: w.token,
      body: {
        permissions: { 'apiKeys.manage': true },
        until: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'integrations',
      },
    });
    expect(grant.status, grant.text).toBe(201);
    const body = { name: 'k', roleId: 'admin' };
    const ask = await t.call('POST', `${w.base}/api-keys`, { token: requester.token, body });
    expect(ask.status, ask.text).toBe(202);
    expect(ask.body).toMatchObject({ kind: 'change', change: { action: 'apiKey.create' } });

    const byAgent = await w.approve(ask.body.id, agent.token);
    expect(byAgent.status, byAgent.text).toBe(403);
    const byAdmin = await w.approve(ask.body.id, otherAdmin.token);
    expect(byAdmin.status, byAdmin.text).toBe(403);
    expect(byAdmin.body.error).toMatchObject({ permission: 'apiKeys.manage' });
    // Neither refusal approved it: the requester still gets a request, not a key.
    const early = await t.call('POST', `${w.base}/api-keys`, { token: requester.token, body });
    expect(early.status, early.text).toBe(202);
    // Nor may they deny it.
    expect((await t.call('POST', `${w.base}/access-requests/${ask.body.id}/deny`, { token: agent.token })).status).toBe(
      403,
    );

    const byOwner = await w.approve(ask.body.id, w.token);
    expect(byOwner.status, byOwner.text).toBe(200);
    const made = await t.call('POST', `${w.base}/api-keys`, { token: requester.token, body });
    expect(made.status, made.text).toBe(201);
    const me = await t.call('GET', `${w.base}/me`, { token: made.body.key });
    expect(me.status, me.text).toBe(200);
    expect(me.body.role.id).toBe('admin');
  });

  it('a role edit needs roles.manage and a settings change workspace.settings.manage, not just holding what they give', async () => {
    const w = await setUp();
    const admin = await addMember(t, w.ws, 'admin');
    // A Manager holds attributes.manage (so no grant excess) but neither roles.manage nor workspace.settings.manage.
    const manager = await addMember(t, w.ws, 'manager');
    const role = await t.call('POST', `${w.base}/roles`, {
      token: w.token,
      body: { name: 'Desk', description: 'test role', cloneFrom: 'agent' },
    });
    expect(role.status, role.text).toBe(201);
    const edit = await t.call('PATCH', `${w.base}/roles/${role.body.id}`, {
      token: admin.token,
      body: { permissions: { 'attributes.manage': true } },
    });
    expect(edit.status, edit.text).toBe(202);
    const editByManager = await w.approve(edit.body.id, manager.token);
    expect(editByManager.status, editByManager.text).toBe(403);
    expect(editByManager.body.error).toMatchObject({ permission: 'roles.manage' });
    expect(
      (await t.call('GET', `${w.base}/roles/${role.body.id}`, { token: w.token })).body.permissions,
    ).not.toHaveProperty('attributes.manage');

    const settings = await t.call('PATCH', w.base, {
      token: admin.token,
      body: { settings: { agentsCanManageAttributes: true } },
    });
    expect(settings.status, settings.text).toBe(202);
    const settingsByManager = await w.approve(settings.body.id, manager.token);
    expect(settingsByManager.status, settingsByManager.text).toBe(403);
    expect(settingsByManager.body.error).toMatchObject({ permission: 'workspace.settings.manage' });
    expect((await t.call('GET', w.base, { token: w.token })).body.settings.agentsCanManageAttributes).not.toBe(true);

    // The Owner approves both; each is made.
    expect((await w.approve(edit.body.id, w.token)).status).toBe(200);
    expect((await w.approve(settings.body.id, w.token)).status).toBe(200);
    expect(
      (await t.call('GET', `${w.base}/roles/${role.body.id}`, { token: w.token })).body.permissions,
    ).toHaveProperty('attributes.manage');
    expect((await t.call('GET', w.base, { token: w.token })).body.settings.agentsCanManageAttributes).toBe(true);
  });
});
