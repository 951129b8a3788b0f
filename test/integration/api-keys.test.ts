import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('API keys', () => {
  it('acts as a member with its role, shows the key once, audits as API key, and stops at revocation', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const created = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'CRM sync', roleId: 'admin' },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^ak_/);
    const list = await t.call('GET', `/v1/workspaces/${ws}/api-keys`, { token });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(key);

    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: key });
    expect(me.status).toBe(200);
    expect(me.body.role.id).toBe('admin');
    expect(
      (await t.call('PATCH', `/v1/workspaces/${ws}`, { token: key, body: { name: 'Renamed by key' } })).status,
    ).toBe(200);
    // Admins cannot send messages; nor can the key.
    const check = await t.call('POST', `/v1/workspaces/${ws}/authz/check`, {
      token: key,
      body: { action: 'messages.send' },
    });
    expect(check.body.allowed).toBe(false);
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.body.items[0]).toMatchObject({ action: 'workspace.update', actor: { source: 'apiKey' } });
    // Keys act only inside their workspace.
    expect((await t.call('POST', '/v1/workspaces', { token: key, body: { name: 'x' } })).status).toBe(403);
    const other = await createWorkspace(t, 'pro');
    expect([401, 403, 404]).toContain((await t.call('GET', `/v1/workspaces/${other.ws}`, { token: key })).status);

    expect((await t.call('DELETE', `/v1/workspaces/${ws}/api-keys/${created.body.id}`, { token })).status).toBe(204);
    expect((await t.call('GET', `/v1/workspaces/${ws}/me`, { token: key })).status).toBe(401);
  });

  it('needs the plan feature and apiKeys.manage, and never a role above the creator', async () => {
    const basic = await createWorkspace(t, 'basic');
    const refused = await t.call('POST', `/v1/workspaces/${basic.ws}/api-keys`, {
      token: basic.token,
      body: { name: 'k', roleId: 'member' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'plan_limit', feature: 'apiKeys' });
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    const res = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token: admin.token,
      body: { name: 'k', roleId: 'member' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('apiKeys.manage');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Key maker', permissions: { 'apiKeys.manage': true, 'contacts.update': true } },
    });
    const maker = await addMember(t, ws, role.body.id);
    const above = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token: maker.token,
      body: { name: 'k', roleId: 'manager' },
    });
    expect(above.status).toBe(403);
    expect(above.body.error.exceeds.length).toBeGreaterThan(0);
    expect(
      (
        await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
          token: maker.token,
          body: { name: 'k', roleId: role.body.id },
        })
      ).status,
    ).toBe(201);
  });
});
