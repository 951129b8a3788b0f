import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('organizations and company admins', () => {
  it('gives company admins full access in every workspace of the organization, and nothing outside it', async () => {
    const a = await createWorkspace(t, 'unlimited', 'Org WS A');
    const b = await createWorkspace(t, 'unlimited', 'Org WS B');
    const outside = await createWorkspace(t, 'unlimited', 'Outside');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Acme Group' } });
    expect(org.status).toBe(201);
    const orgId = org.body.id;
    // B's owner must be a company admin to move B in: A's owner adds them first.
    expect(
      (await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: a.token, body: { userId: b.owner } })).status,
    ).toBe(201);
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${b.ws}`, { token: b.token })).status).toBe(200);

    const cadmin = uniqueUser('cadmin');
    const added = await t.call('POST', `/v1/organizations/${orgId}/admins`, {
      token: a.token,
      body: { userId: cadmin, email: `${cadmin}@example.test` },
    });
    expect(added.body.workspaceIds.sort()).toEqual([a.ws, b.ws].sort());
    const token = await t.token(cadmin);
    for (const ws of [a.ws, b.ws]) {
      const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
      expect(me.status).toBe(200);
      expect(me.body.role.id).toBe('companyAdmin');
      expect(me.body.permissions['apiKeys.manage']).toBe(true);
      // Full access includes administration the custom roles would limit, e.g. granting admins.
      const inv = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
        token,
        body: { email: `${uniqueUser('byca')}@example.test`, roleId: 'admin' },
      });
      expect(inv.status).toBe(201);
    }
    expect([403, 404]).toContain((await t.call('GET', `/v1/workspaces/${outside.ws}/me`, { token })).status);

    // Plans still apply to company admins.
    await t.call('PUT', `/v1/workspaces/${a.ws}/plan`, { token: a.token, body: { plan: 'basic' } });
    const check = await t.call('POST', `/v1/workspaces/${a.ws}/authz/check`, {
      token,
      body: { action: 'analytics.view' },
    });
    expect(check.body).toMatchObject({ allowed: false, code: 'plan_limit' });

    // Removing the company admin removes their access everywhere.
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${cadmin}`, { token: a.token })).status).toBe(
      204,
    );
    expect([403, 404]).toContain((await t.call('GET', `/v1/workspaces/${b.ws}/me`, { token })).status);
  });

  it('hides an organization from non-admins and keeps at least one admin', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Solo' } });
    const stranger = await t.token(uniqueUser('stranger'));
    expect((await t.call('GET', `/v1/organizations/${org.body.id}`, { token: stranger })).status).toBe(404);
    expect((await t.call('GET', '/v1/organizations/org_nope', { token: stranger })).status).toBe(404);
    expect(
      (await t.call('DELETE', `/v1/organizations/${org.body.id}/admins/${a.owner}`, { token: a.token })).status,
    ).toBe(409);
  });

  it('lets only the Owner (also a company admin) attach a workspace, once', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Group' } });
    const admin = await addMember(t, a.ws, 'admin');
    await t.call('POST', `/v1/organizations/${org.body.id}/admins`, { token: a.token, body: { userId: admin.userId } });
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${a.ws}`, { token: admin.token })).status,
    ).toBe(403);
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${a.ws}`, { token: a.token })).status,
    ).toBe(200);
    const other = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Other group' } });
    expect(
      (await t.call('PUT', `/v1/organizations/${other.body.id}/workspaces/${a.ws}`, { token: a.token })).status,
    ).toBe(409);
    const outsider = await createWorkspace(t, 'unlimited');
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${outsider.ws}`, { token: outsider.token }))
        .status,
    ).toBe(404);
  });
});
