// The local gateway caches authorizer answers as API Gateway does (identity sources: token, method,
// resource, path; TTL from config). A cached answer never serves another workspace or route, and a
// revoked permission stops working for writes at once because handlers re-check on fresh data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ authorizerCacheTtlSeconds: 30 });
});
afterAll(async () => {
  await t.stop();
});

describe('authorizer cache', () => {
  it('keys answers on token, method, route and path: one workspace never answers for another', async () => {
    const a = await createWorkspace(t, 'unlimited', 'Cache A');
    const b = await createWorkspace(t, 'unlimited', 'Cache B');
    const stats = t.api.gateway.stats;
    const before = stats.authorizerCalls;
    expect((await t.call('GET', `/v1/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    expect((await t.call('GET', `/v1/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    expect(stats.authorizerCalls - before).toBe(1);
    // Same token, same route, other workspace: decided afresh, and refused.
    expect([403, 404]).toContain((await t.call('GET', `/v1/workspaces/${b.ws}`, { token: a.token })).status);
    // Same token and workspace, other route: decided afresh.
    expect((await t.call('GET', `/v1/workspaces/${a.ws}/me`, { token: a.token })).status).toBe(200);
    expect(stats.authorizerCalls - before).toBe(3);
  });

  it('lets a revoked permission linger for reads within the TTL, never for writes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    expect(
      (await t.call('PATCH', `/v1/workspaces/${ws}`, { token: admin.token, body: { name: 'By admin' } })).status,
    ).toBe(200);
    expect((await t.call('GET', `/v1/workspaces/${ws}/members`, { token: admin.token })).status).toBe(200);
    expect(
      (await t.call('PATCH', `/v1/workspaces/${ws}/members/${admin.memberId}`, { token, body: { roleId: 'member' } }))
        .status,
    ).toBe(200);
    // The cached Allow still answers reads (documented: at most the TTL)…
    expect((await t.call('GET', `/v1/workspaces/${ws}/members`, { token: admin.token })).status).toBe(200);
    // …but the write is re-checked on fresh data in the handler and refused at once.
    const write = await t.call('PATCH', `/v1/workspaces/${ws}`, { token: admin.token, body: { name: 'Still admin?' } });
    expect(write.status).toBe(403);
    expect(write.body.error.permission).toBe('workspace.settings.manage');
    t.api.gateway.clearAuthorizerCache();
    expect((await t.call('PATCH', `/v1/workspaces/${ws}`, { token: admin.token, body: { name: 'x' } })).status).toBe(
      403,
    );
  });
});
