// Effective access everywhere (issue 11 follow-up): AuthZEN subjects and the access review decide about a
// member on the same effective set as the authorizer and the guard — the role in force (a term's role until
// `roleUntil`, then the previous one), the extra grants not yet ended, nothing once deactivated — at the
// instant of the question, before any sweep (the injected clock, never sleeps). A suspended key holds nothing;
// company admins who are not members are subjects too.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, testApiForFile, uniqueUser } from '../fixtures/api';
import { parseCsv } from '../fixtures/csv';

const t = testApiForFile({ resetClock: true });

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const at = (iso: string, deltaMs: number) => setClockForTests(Date.parse(iso) + deltaMs);

type Who = { type: string; id: string };
const workspace = (ws: string) => ({ type: 'workspace', id: ws });

async function evaluate(ws: string, token: string, subject: Who, action: string, resource: Who) {
  const res = await t.call('POST', `/v1/workspaces/${ws}/access/v1/evaluation`, {
    token,
    body: { subject, action: { name: action }, resource },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { decision: boolean; context?: { reason: string; permission?: string; exceeds?: unknown[] } };
}

async function grant(ws: string, token: string, memberId: string, permissions: object, until: string) {
  const res = await t.call('POST', `/v1/workspaces/${ws}/members/${memberId}/grants`, {
    token,
    body: { permissions, until, reason: 'Quarter close' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; grantedBy: string; grantedAt: string };
}

describe('AuthZEN subjects decide on the effective set at the decision instant', () => {
  it('a grant until T counts at T-1ms and not at T, for the member and the user subject, without the sweep', async () => {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN grants');
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    await grant(w.ws, w.token, agent.memberId, { 'logs.export': true }, until);
    const subjects = [
      { type: 'member', id: agent.memberId },
      { type: 'user', id: agent.userId },
    ];

    at(until, -1);
    for (const s of subjects) {
      expect(await evaluate(w.ws, w.token, s, 'logs.export', workspace(w.ws)), s.type).toEqual({ decision: true });
    }
    // Asked by the member about itself: the same answer as the route it would call.
    expect((await evaluate(w.ws, agent.token, subjects[0]!, 'logs.export', workspace(w.ws))).decision).toBe(true);
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/audit-log`, { token: agent.token })).status).toBe(200);
    const actions = await t.call('POST', `/v1/workspaces/${w.ws}/access/v1/search/action`, {
      token: w.token,
      body: { subject: subjects[0], resource: workspace(w.ws), page: { limit: 100 } },
    });
    expect(actions.body.results).toContainEqual({ name: 'logs.export' });

    at(until, 0);
    for (const s of subjects) {
      const d = await evaluate(w.ws, w.token, s, 'logs.export', workspace(w.ws));
      expect(d, s.type).toMatchObject({ decision: false, context: { permission: 'logs.export' } });
    }
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/audit-log`, { token: agent.token })).status).toBe(403);
    const after = await t.call('POST', `/v1/workspaces/${w.ws}/access/v1/search/action`, {
      token: w.token,
      body: { subject: subjects[0], resource: workspace(w.ws), page: { limit: 100 } },
    });
    expect(after.body.results).not.toContainEqual({ name: 'logs.export' });
  });

  it('a role held until T decides until T, then the previous role does', async () => {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN terms');
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const patched = await t.call('PATCH', `/v1/workspaces/${w.ws}/members/${agent.memberId}`, {
      token: w.token,
      body: { roleId: 'admin', until },
    });
    expect(patched.status, patched.text).toBe(200);
    const subject = { type: 'member', id: agent.memberId };

    at(until, -1);
    expect(await evaluate(w.ws, w.token, subject, 'workspace.settings.manage', workspace(w.ws))).toEqual({
      decision: true,
    });
    // The Admin role does not view messages; the Agent role does.
    expect((await evaluate(w.ws, w.token, subject, 'messages.view', workspace(w.ws))).decision).toBe(false);

    at(until, 0);
    expect(await evaluate(w.ws, w.token, subject, 'workspace.settings.manage', workspace(w.ws))).toMatchObject({
      decision: false,
      context: { permission: 'workspace.settings.manage' },
    });
    expect((await evaluate(w.ws, w.token, subject, 'messages.view', workspace(w.ws))).decision).toBe(true);
    expect((await t.call('PATCH', `/v1/workspaces/${w.ws}`, { token: agent.token, body: { name: 'x' } })).status).toBe(
      403,
    );
  });

  it('managing a member previews what the guard checks: its grants in force count until they end', async () => {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN manage');
    const admin = await addMember(t, w.ws, 'admin');
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    // The Admin role holds no apiKeys.manage: while the agent holds it, the Admin cannot manage the agent.
    await grant(w.ws, w.token, agent.memberId, { 'apiKeys.manage': true }, until);
    const question = [
      { type: 'member', id: admin.memberId },
      'teammates.manage',
      { type: 'member', id: agent.memberId },
    ] as const;

    at(until, -1);
    const preview = await evaluate(w.ws, w.token, ...question);
    expect(preview).toMatchObject({
      decision: false,
      context: {
        permission: 'apiKeys.manage',
        exceeds: [{ permission: 'apiKeys.manage', requested: true, held: null }],
      },
    });
    const refused = await t.call('PATCH', `/v1/workspaces/${w.ws}/members/${agent.memberId}`, {
      token: admin.token,
      body: { roleId: 'member' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.exceeds).toEqual(preview.context?.exceeds);

    at(until, 0);
    expect(await evaluate(w.ws, w.token, ...question)).toEqual({ decision: true });
    const done = await t.call('PATCH', `/v1/workspaces/${w.ws}/members/${agent.memberId}`, {
      token: admin.token,
      body: { roleId: 'member' },
    });
    expect(done.status, done.text).toBe(200);
  });

  async function deactivatedFixture() {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN deactivation');
    const agent = await addMember(t, w.ws, 'agent');
    await grant(w.ws, w.token, agent.memberId, { 'apiKeys.manage': true }, hourFromNow());
    const key = await t.call('POST', `/v1/workspaces/${w.ws}/api-keys`, {
      token: agent.token,
      body: { name: 'sync', roleId: 'member' },
    });
    expect(key.status, key.text).toBe(201);
    const subjects = {
      member: { type: 'member', id: agent.memberId },
      user: { type: 'user', id: agent.userId },
      key: { type: 'api_key', id: key.body.id as string },
    };
    for (const s of Object.values(subjects)) {
      expect((await evaluate(w.ws, w.token, s, 'contacts.update', workspace(w.ws))).decision, s.type).toBe(true);
    }
    const off = await t.call('POST', `/v1/workspaces/${w.ws}/members/${agent.memberId}/deactivate`, { token: w.token });
    expect(off.status, off.text).toBe(200);
    return { w, agent, key: key.body.key as string, subjects };
  }

  it('a deactivated member is denied everything, as member and as user, saying so; no search finds it', async () => {
    const { w, agent, subjects } = await deactivatedFixture();
    for (const s of [subjects.member, subjects.user]) {
      const d = await evaluate(w.ws, w.token, s, 'contacts.update', workspace(w.ws));
      expect(d.decision, s.type).toBe(false);
      expect(d.context?.reason, s.type).toMatch(/deactivated/);
    }
    // The authorizer agrees.
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/me`, { token: agent.token })).status).toBe(403);
    const search = await t.call('POST', `/v1/workspaces/${w.ws}/access/v1/search/subject`, {
      token: w.token,
      body: { subject: { type: 'member' }, action: { name: 'contacts.update' }, resource: workspace(w.ws) },
    });
    expect(search.status, search.text).toBe(200);
    expect(search.body.results.map((r: Who) => r.id)).not.toContain(agent.memberId);
  });

  it('an API key whose member was deactivated (suspended) is denied', async () => {
    const { w, key, subjects } = await deactivatedFixture();
    const d = await evaluate(w.ws, w.token, subjects.key, 'contacts.update', workspace(w.ws));
    expect(d.decision).toBe(false);
    expect(d.context?.reason).toMatch(/suspended/);
    // The authorizer agrees: the key is unknown to it.
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/me`, { token: key })).status).toBe(401);
  });

  it('the subject search for users finds company admins who are not members, across pages', async () => {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN company admins');
    const agent = await addMember(t, w.ws, 'agent');
    const org = await t.call('POST', '/v1/organizations', { token: w.token, body: { name: 'Group' } });
    expect(org.status, org.text).toBe(201);
    const attach = await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${w.ws}`, { token: w.token });
    expect(attach.status, attach.text).toBe(200);
    const outsider = uniqueUser('cadmin');
    const added = await t.call('POST', `/v1/organizations/${org.body.id}/admins`, {
      token: w.token,
      body: { userId: outsider },
    });
    expect(added.status, added.text).toBe(201);
    const q = { type: 'user', id: outsider };
    expect(await evaluate(w.ws, w.token, q, 'billing.manage', workspace(w.ws))).toEqual({ decision: true });

    const found: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await t.call('POST', `/v1/workspaces/${w.ws}/access/v1/search/subject`, {
        token: w.token,
        body: {
          subject: { type: 'user' },
          action: { name: 'billing.manage' },
          resource: workspace(w.ws),
          page: { limit: 1, ...(token ? { token } : {}) },
        },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.results.length).toBeLessThanOrEqual(1);
      found.push(...res.body.results.map((r: Who) => r.id));
      token = res.body.page.next_token || undefined;
      pages++;
    } while (token && pages < 10);
    // The Owner (a member, and the organization's first admin) once; the outsider once; not the agent.
    expect(found.sort()).toEqual([w.owner, outsider].sort());
    expect(found).not.toContain(agent.userId);
  });
});

describe('the access review shows the effective set', () => {
  it('grants in force with their ends, the role term, deactivation and suspended keys; then the same after T', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Review guardrails');
    const base = `/v1/workspaces/${w.ws}`;
    const pub = await t.call('POST', `${base}/inboxes`, {
      token: w.token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    expect(pub.status, pub.text).toBe(201);
    const granted = await addMember(t, w.ws, 'agent');
    const termed = await addMember(t, w.ws, 'agent');
    const gone = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const g = await grant(w.ws, w.token, granted.memberId, { 'logs.export': true }, until);
    const term = await t.call('PATCH', `${base}/members/${termed.memberId}`, {
      token: w.token,
      body: { roleId: 'admin', until },
    });
    expect(term.status, term.text).toBe(200);
    await grant(w.ws, w.token, gone.memberId, { 'apiKeys.manage': true }, until);
    const key = await t.call('POST', `${base}/api-keys`, {
      token: gone.token,
      body: { name: 'sync', roleId: 'member' },
    });
    expect(key.status, key.text).toBe(201);
    expect((await t.call('POST', `${base}/members/${gone.memberId}/deactivate`, { token: w.token })).status).toBe(200);

    const rows = async () => {
      const res = await t.call('GET', `${base}/access-review?limit=100`, { token: w.token });
      expect(res.status, res.text).toBe(200);
      let items = res.body.items as any[];
      if (res.body.nextCursor) {
        const more = await t.call('GET', `${base}/access-review?limit=100&cursor=${res.body.nextCursor}`, {
          token: w.token,
        });
        items = [...items, ...more.body.items];
      }
      return new Map(items.map((i) => [i.id, i]));
    };

    at(until, -1);
    const before = await rows();
    expect(before.get(granted.memberId)).toMatchObject({
      status: 'active',
      roleId: 'agent',
      roleGrant: null,
      grants: [
        {
          id: g.id,
          permissions: { 'logs.export': true },
          until,
          reason: 'Quarter close',
          grantedBy: w.ownerMemberId,
          grantedAt: g.grantedAt,
        },
      ],
    });
    expect(before.get(granted.memberId).permissions['logs.export']).toBe(true);
    expect(before.get(termed.memberId)).toMatchObject({
      status: 'active',
      roleId: 'admin',
      roleName: 'Admin',
      roleGrant: { roleId: 'admin', until, previousRoleId: 'agent' },
      grants: [],
    });
    expect(before.get(termed.memberId).permissions['workspace.settings.manage']).toBe(true);
    expect(before.get(gone.memberId)).toMatchObject({ status: 'deactivated', permissions: {}, inboxes: [] });
    expect(before.get(key.body.id)).toMatchObject({ type: 'apiKey', status: 'suspended', permissions: {} });
    expect(before.get(w.ownerMemberId)).toMatchObject({ status: 'active', grants: [], roleGrant: null });

    at(until, 0);
    const after = await rows();
    expect(after.get(granted.memberId)).toMatchObject({ roleId: 'agent', grants: [], roleGrant: null });
    expect(after.get(granted.memberId).permissions['logs.export']).toBeUndefined();
    expect(after.get(termed.memberId)).toMatchObject({ roleId: 'agent', roleName: 'Agent', roleGrant: null });
    expect(after.get(termed.memberId).permissions['workspace.settings.manage']).toBeUndefined();
    expect(after.get(termed.memberId).permissions['messages.view']).toBeDefined();

    at(until, -1);
    const csv = await t.call('GET', `${base}/access-review?format=csv`, { token: w.token });
    expect(csv.status).toBe(200);
    const [header, ...lines] = parseCsv(csv.text);
    const col = (name: string) => header!.indexOf(name);
    expect(header!.slice(-4)).toEqual(['status', 'grants', 'roleUntil', 'previousRoleId']);
    const line = (id: string) => {
      const l = lines.find((cells) => cells[col('id')] === id);
      expect(l, id).toBeDefined();
      return (name: string) => l![col(name)];
    };
    const grantedLine = line(granted.memberId);
    expect([grantedLine('status'), grantedLine('grants'), grantedLine('roleUntil')]).toEqual([
      'active',
      `logs.export until ${until}`,
      '',
    ]);
    const termedLine = line(termed.memberId);
    expect([termedLine('roleId'), termedLine('roleUntil'), termedLine('previousRoleId')]).toEqual([
      'admin',
      until,
      'agent',
    ]);
    expect(line(gone.memberId)('status')).toBe('deactivated');
    expect(line(gone.memberId)('permissions')).toBe('');
    expect(line(key.body.id)('status')).toBe('suspended');
  });
});

describe('previews count what the guard counts', () => {
  it('simulate-role: the member’s grants in force are held now and after, and managing them needs them; deactivated: 409 foreseen', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Previews');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    await grant(w.ws, w.token, agent.memberId, { 'apiKeys.manage': true }, until);
    const simulate = (token: string, memberId: string) =>
      t.call('POST', `${base}/members/${memberId}/simulate-role`, { token, body: { roleId: 'member' } });

    at(until, -1);
    const me = await t.call('GET', `${base}/me`, { token: agent.token });
    const byOwner = await simulate(w.token, agent.memberId);
    expect(byOwner.status, byOwner.text).toBe(200);
    expect(byOwner.body.permissionsBefore).toEqual(me.body.permissions);
    expect(byOwner.body.permissionsAfter['apiKeys.manage']).toBe(true);
    const byAdmin = await simulate(admin.token, agent.memberId);
    expect(byAdmin.body.mayApply).toBe(false);
    const exceeds = byAdmin.body.problems
      .filter((p: any) => p.kind === 'escalation')
      .flatMap((p: any) => p.exceeds.map((e: any) => e.permission));
    expect(exceeds).toContain('apiKeys.manage');
    const refused = await t.call('PATCH', `${base}/members/${agent.memberId}`, {
      token: admin.token,
      body: { roleId: 'member' },
    });
    expect(refused.status).toBe(403);

    at(until, 0);
    const later = await simulate(admin.token, agent.memberId);
    expect(later.body).toMatchObject({ mayApply: true, problems: [] });
    expect(later.body.permissionsBefore['apiKeys.manage']).toBeUndefined();

    const off = await t.call('POST', `${base}/members/${agent.memberId}/deactivate`, { token: w.token });
    expect(off.status, off.text).toBe(200);
    const gone = await simulate(w.token, agent.memberId);
    expect(gone.body).toMatchObject({ mayApply: false, permissionsBefore: {}, permissionsAfter: {} });
    expect(gone.body.problems.map((p: any) => p.kind)).toContain('deactivated');
    const patch = await t.call('PATCH', `${base}/members/${agent.memberId}`, {
      token: w.token,
      body: { roleId: 'member' },
    });
    expect(patch.status).toBe(409);
  });

  it('a role edit’s holders: grants in force stay theirs after it; a deactivated holder keeps nothing either way', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Role edit previews');
    const base = `/v1/workspaces/${w.ws}`;
    const role = await t.call('POST', `${base}/roles`, {
      token: w.token,
      body: { name: 'Support', permissions: { 'contacts.update': true, 'analytics.view': true } },
    });
    expect(role.status, role.text).toBe(201);
    const granted = await addMember(t, w.ws, role.body.id);
    const gone = await addMember(t, w.ws, role.body.id);
    await grant(w.ws, w.token, granted.memberId, { 'logs.export': true }, hourFromNow());
    expect((await t.call('POST', `${base}/members/${gone.memberId}/deactivate`, { token: w.token })).status).toBe(200);

    const sim = await t.call('POST', `${base}/roles/${role.body.id}/simulate`, {
      token: w.token,
      body: { permissions: { 'contacts.update': false } },
    });
    expect(sim.status, sim.text).toBe(200);
    const holder = (id: string) => sim.body.holders.find((h: any) => h.id === id);
    const me = await t.call('GET', `${base}/me`, { token: granted.token });
    expect(holder(granted.memberId).permissionsBefore).toEqual(me.body.permissions);
    expect(holder(granted.memberId).permissionsAfter).toEqual({ 'analytics.view': true, 'logs.export': true });
    expect(holder(gone.memberId)).toMatchObject({ permissionsBefore: {}, permissionsAfter: {} });
    const change = sim.body.changes.find((c: any) => c.permission === 'contacts.update');
    expect(change.lose.map((h: any) => h.id)).toEqual([granted.memberId]);
    expect(change.unchanged).toContainEqual(
      expect.objectContaining({ id: gone.memberId, reason: expect.stringMatching(/deactivated/i) }),
    );
  });
});
