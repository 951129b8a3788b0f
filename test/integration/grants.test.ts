// Time-bound grants (PRODUCT.md §10, issue 11): a role until a time and extra permissions for a period, within
// the granter's no-escalation rule, honoured to the millisecond by the authorizer and the handlers with the
// injected clock (no sleeping), before any sweep; the sweep then reverts and records `grant.expired`.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, type TestApi, testApiForFile } from '../fixtures/api';

const t = testApiForFile({ resetClock: true });

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const justBefore = (iso: string) => setClockForTests(Date.parse(iso) - 1);
const justAfter = (iso: string) => setClockForTests(Date.parse(iso) + 1);

async function auditActions(api: TestApi, ws: string, token: string) {
  const res = await api.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.items as { action: string; before: unknown; after: unknown }[];
}

describe('extra permissions for a period', () => {
  it('allowed just before `until`, refused just after (reads and writes) without the sweep; the sweep records grant.expired', async () => {
    const w = await createWorkspace(t, 'pro', 'Grants');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const grant = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: w.token,
      body: { permissions: { 'logs.export': true, 'workspace.settings.manage': true }, until, reason: 'Quarter close' },
    });
    expect(grant.status, grant.text).toBe(201);
    expect(grant.body).toMatchObject({ until, reason: 'Quarter close', grantedBy: w.ownerMemberId });

    justBefore(until);
    expect((await t.call('GET', `${base}/audit-log`, { token: agent.token })).status).toBe(200);
    expect((await t.call('PATCH', base, { token: agent.token, body: { name: 'Before T' } })).status).toBe(200);
    const me = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(me.body.grants).toEqual([
      {
        id: grant.body.id,
        permissions: { 'logs.export': true, 'workspace.settings.manage': true },
        until,
        reason: 'Quarter close',
      },
    ]);
    expect(me.body.permissions['logs.export']).toBe(true);
    const check = await t.call('POST', `${base}/authz/check`, { token: agent.token, body: { action: 'logs.export' } });
    expect(check.body).toMatchObject({ allowed: true, reason: `A grant gives "logs.export" until ${until}` });
    expect(check.body.grants).toEqual([{ id: grant.body.id, permissions: grant.body.permissions, until }]);

    justAfter(until);
    const read = await t.call('GET', `${base}/audit-log`, { token: agent.token });
    expect(read.status).toBe(403);
    expect(read.body.error.permission).toBe('logs.export');
    const write = await t.call('PATCH', base, { token: agent.token, body: { name: 'After T' } });
    expect(write.status).toBe(403);
    expect(write.body.error.permission).toBe('workspace.settings.manage');
    const after = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(after.body.grants).toEqual([]);
    expect(after.body.permissions['logs.export']).toBeUndefined();

    // Not swept yet: the item still carries it, and nothing is audited as expired.
    expect((await auditActions(t, w.ws, w.token)).some((e) => e.action === 'grant.expired')).toBe(false);
    const sweep = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
    expect(sweep.status, sweep.text).toBe(200);
    expect(sweep.body).toMatchObject({ expired: 1, failed: 0 });
    const expired = (await auditActions(t, w.ws, w.token)).filter((e) => e.action === 'grant.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.before).toMatchObject({ grantId: grant.body.id, until });
    const member = await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token });
    expect(member.body.grants).toBeUndefined();
    // A rerun finds nothing.
    expect((await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } })).body.expired).toBe(0);
  });

  it('within the granter’s no-escalation rule; never oneself; ends in the future; at most 10; revocable', async () => {
    const w = await createWorkspace(t, 'pro', 'Grant rules');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const over = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: admin.token,
      body: { permissions: { 'apiKeys.manage': true }, until, reason: 'x' },
    });
    expect(over.status).toBe(403);
    expect(over.body.error.exceeds).toEqual([{ permission: 'apiKeys.manage', requested: true, held: null }]);
    const self = await t.call('POST', `${base}/members/${admin.memberId}/grants`, {
      token: admin.token,
      body: { permissions: { 'logs.export': true }, until, reason: 'x' },
    });
    expect(self.status).toBe(403);
    const past = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: admin.token,
      body: { permissions: { 'logs.export': true }, until: new Date(Date.now() - 1000).toISOString(), reason: 'x' },
    });
    expect(past.status).toBe(400);
    const unknown = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: admin.token,
      body: { permissions: { 'no.such': true }, until, reason: 'x' },
    });
    expect(unknown.status).toBe(400);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const g = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
        token: admin.token,
        body: { permissions: { 'logs.export': true }, until, reason: `#${i}` },
      });
      expect(g.status, g.text).toBe(201);
      ids.push(g.body.id);
    }
    const eleventh = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: admin.token,
      body: { permissions: { 'logs.export': true }, until, reason: 'one too many' },
    });
    expect(eleventh.status).toBe(400);
    for (const id of ids) {
      expect(
        (await t.call('DELETE', `${base}/members/${agent.memberId}/grants/${id}`, { token: admin.token })).status,
      ).toBe(204);
    }
    expect((await t.call('GET', `${base}/audit-log`, { token: agent.token })).status).toBe(403);
    expect(
      (await t.call('DELETE', `${base}/members/${agent.memberId}/grants/${ids[0]}`, { token: admin.token })).status,
    ).toBe(404);
  });
});

describe('a role until a time', () => {
  it('holds the role until `until`, then the previous one at once; the sweep moves it back and records grant.expired', async () => {
    const w = await createWorkspace(t, 'pro', 'Role terms');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const patched = await t.call('PATCH', `${base}/members/${agent.memberId}`, {
      token: w.token,
      body: { roleId: 'admin', until },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ roleId: 'admin', roleUntil: until, previousRoleId: 'agent' });

    justBefore(until);
    expect((await t.call('PATCH', base, { token: agent.token, body: { name: 'As admin' } })).status).toBe(200);
    const me = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(me.body.role.id).toBe('admin');
    expect(me.body.roleGrant).toEqual({ roleId: 'admin', until, previousRoleId: 'agent' });

    justAfter(until);
    const refused = await t.call('PATCH', base, { token: agent.token, body: { name: 'Too late' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('workspace.settings.manage');
    const back = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(back.body.role.id).toBe('agent');
    expect(back.body.roleGrant).toBeNull();

    const sweep = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
    expect(sweep.body).toMatchObject({ expired: 1, rolesReverted: 1, failed: 0 });
    const member = await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token });
    expect(member.body.roleId).toBe('agent');
    expect(member.body.roleUntil).toBeUndefined();
    const expired = (await auditActions(t, w.ws, w.token)).filter((e) => e.action === 'grant.expired');
    expect(expired[0]).toMatchObject({ before: { roleId: 'admin', until }, after: { roleId: 'agent' } });
  });
});
