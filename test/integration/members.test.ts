import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const patchRole = (ws: string, token: string, memberId: string, roleId: string) =>
  t.call('PATCH', `/v1/workspaces/${ws}/members/${memberId}`, { token, body: { roleId } });

describe('listing members', () => {
  it('pages through members and filters by role; a cursor of another workspace is refused', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (let i = 0; i < 4; i++) await addMember(t, ws, 'agent');
    await addMember(t, ws, 'member');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await t.call('GET', `/v1/workspaces/${ws}/members?limit=2${q}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((m: any) => m.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(6);

    const agents = await t.call('GET', `/v1/workspaces/${ws}/members?roleId=agent`, { token });
    expect(agents.body.items).toHaveLength(4);
    expect(agents.body.items.every((m: any) => m.roleId === 'agent')).toBe(true);

    const other = await createWorkspace(t, 'unlimited');
    await addMember(t, other.ws, 'agent');
    const first = await t.call('GET', `/v1/workspaces/${other.ws}/members?limit=1`, { token: other.token });
    const stolen = await t.call(
      'GET',
      `/v1/workspaces/${ws}/members?cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token },
    );
    expect(stolen.status).toBe(400);
    for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'cursor=%%%', 'cursor=bm90LWpzb24']) {
      expect((await t.call('GET', `/v1/workspaces/${ws}/members?${bad}`, { token })).status, bad).toBe(400);
    }
  });

  it('gets a member of the workspace and 404s one of another', async () => {
    const a = await createWorkspace(t);
    const b = await createWorkspace(t);
    const res = await t.call('GET', `/v1/workspaces/${a.ws}/members/${a.ownerMemberId}`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: a.ownerMemberId, roleId: 'owner' });
    expect((await t.call('GET', `/v1/workspaces/${a.ws}/members/${b.ownerMemberId}`, { token: a.token })).status).toBe(
      404,
    );
  });
});

describe('changing roles', () => {
  it('lets an admin manage managers, agents, members and other admins', async () => {
    const { ws } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    const other = await addMember(t, ws, 'agent');
    for (const role of ['member', 'manager', 'admin', 'agent']) {
      const res = await patchRole(ws, admin.token, other.memberId, role);
      expect(res.status, role).toBe(200);
      expect(res.body.roleId).toBe(role);
    }
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: other.token });
    expect(me.body.member.roleId).toBe('agent');
  });

  it('refuses changing your own role, the Owner, or making anyone Owner', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    const target = await addMember(t, ws, 'agent');
    expect((await patchRole(ws, admin.token, admin.memberId, 'member')).status).toBe(403);
    expect((await patchRole(ws, admin.token, ownerMemberId, 'member')).status).toBe(403);
    expect((await patchRole(ws, token, target.memberId, 'owner')).status).toBe(400);
    expect((await patchRole(ws, token, target.memberId, 'tpl_support')).status).toBe(400);
    expect((await patchRole(ws, token, target.memberId, 'role_nope')).status).toBe(400);
  });

  it('refuses a role change that would escalate, naming what exceeds', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const lead = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Lead', cloneFrom: 'agent', permissions: { 'teammates.manage': true } },
    });
    const leadMember = await addMember(t, ws, lead.body.id);
    const agent = await addMember(t, ws, 'agent');
    const res = await patchRole(ws, leadMember.token, agent.memberId, 'manager');
    expect(res.status).toBe(403);
    expect(res.body.error.exceeds.map((e: any) => e.permission)).toContain('inboxes.public.configure');
    // A holder of teammates.manage may hand out any work permission, so Agent → Member is fine.
    expect((await patchRole(ws, leadMember.token, agent.memberId, 'member')).status).toBe(200);
    // But it cannot touch someone who holds more than it does.
    const admin = await addMember(t, ws, 'admin');
    expect((await patchRole(ws, leadMember.token, admin.memberId, 'member')).status).toBe(403);
  });

  it('keeps managers (no teammates.manage) from changing anyone', async () => {
    const { ws } = await createWorkspace(t, 'unlimited');
    const manager = await addMember(t, ws, 'manager');
    const agent = await addMember(t, ws, 'agent');
    const res = await patchRole(ws, manager.token, agent.memberId, 'member');
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('teammates.manage');
  });
});

describe('removing members', () => {
  it('removes a member whole: they lose access at once', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/members/${agent.memberId}`, { token })).status).toBe(204);
    const after = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: agent.token });
    expect(after.status).toBe(403);
    expect((await t.call('GET', `/v1/workspaces/${ws}/members/${agent.memberId}`, { token })).status).toBe(404);
  });

  it('never removes the Owner, and an admin cannot remove the Owner either', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    expect(
      (await t.call('DELETE', `/v1/workspaces/${ws}/members/${ownerMemberId}`, { token: admin.token })).status,
    ).toBe(403);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/members/${ownerMemberId}`, { token })).status).toBe(403);
  });
});

describe('ownership transfer', () => {
  it('moves ownership atomically: exactly one Owner after, the previous one is Admin', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const next = await addMember(t, ws, 'manager');
    const res = await t.call('POST', `/v1/workspaces/${ws}/ownership`, { token, body: { memberId: next.memberId } });
    expect(res.status).toBe(200);
    expect(res.body.owner).toMatchObject({ id: next.memberId, roleId: 'owner' });
    expect(res.body.previousOwner).toMatchObject({ id: ownerMemberId, roleId: 'admin' });
    const owners = await t.call('GET', `/v1/workspaces/${ws}/members?roleId=owner`, { token: next.token });
    expect(owners.body.items.map((m: any) => m.id)).toEqual([next.memberId]);
    // The old owner cannot do it again; the new one can.
    expect(
      (await t.call('POST', `/v1/workspaces/${ws}/ownership`, { token, body: { memberId: ownerMemberId } })).status,
    ).toBe(403);
    const back = await t.call('POST', `/v1/workspaces/${ws}/ownership`, {
      token: next.token,
      body: { memberId: ownerMemberId },
    });
    expect(back.status).toBe(200);
  });

  it('is refused to a deactivated member: the workspace would be left with no active Owner', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const next = await addMember(t, ws, 'manager');
    const base = `/v1/workspaces/${ws}`;
    expect((await t.call('POST', `${base}/members/${next.memberId}/deactivate`, { token })).status).toBe(200);
    const res = await t.call('POST', `${base}/ownership`, { token, body: { memberId: next.memberId } });
    expect(res.status, res.text).toBe(409);
    // Nothing moved: the Owner is still the Owner (a deactivated Owner could not be reactivated by anyone).
    const owners = await t.call('GET', `${base}/members?roleId=owner`, { token });
    expect(owners.body.items.map((m: any) => m.id)).toEqual([ownerMemberId]);
    expect((await t.call('GET', `${base}/me`, { token })).body.member.roleId).toBe('owner');
  });

  it('is refused to admins, and two concurrent transfers leave exactly one Owner', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    const a = await addMember(t, ws, 'agent');
    const b = await addMember(t, ws, 'agent');
    expect(
      (await t.call('POST', `/v1/workspaces/${ws}/ownership`, { token: admin.token, body: { memberId: a.memberId } }))
        .status,
    ).toBe(403);
    const results = await Promise.all(
      [a, b].map((m) => t.call('POST', `/v1/workspaces/${ws}/ownership`, { token, body: { memberId: m.memberId } })),
    );
    // The loser is refused either by the transaction (409) or, if it reads after the winner, as a non-owner (403).
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const owners = await t.call('GET', `/v1/workspaces/${ws}/members?roleId=owner`, { token: admin.token });
    expect(owners.body.items).toHaveLength(1);
  });
});

describe('audit log', () => {
  it('records each change, newest first, for those with logs.export', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    await patchRole(ws, token, agent.memberId, 'member');
    await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { name: 'Renamed' } });
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: any) => e.action)).toEqual([
      'workspace.update',
      'member.role.change',
      'workspace.create',
    ]);
    expect(log.body.items[1]).toMatchObject({
      target: { type: 'member', id: agent.memberId },
      before: { roleId: 'agent' },
      after: { roleId: 'member' },
      actor: { source: 'app' },
    });
    const manager = await addMember(t, ws, 'manager');
    expect((await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token: manager.token })).status).toBe(403);
  });

  it('exports as JSON lines or CSV on the unlimited plan only', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { name: '=cmd|calc' } });
    const jsonl = await t.call('GET', `/v1/workspaces/${ws}/audit-log/export`, { token });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toContain('ndjson');
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(['workspace.update', 'workspace.create']);
    const csv = await t.call('GET', `/v1/workspaces/${ws}/audit-log/export?format=csv`, { token });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe(
      'id,at,action,actorMemberId,actorUserId,source,targetType,targetId,before,after',
    );
    // No cell starts with a formula character (CSV injection).
    expect(csv.text).not.toMatch(/(^|,)"[=+\-@]/m);
    const pro = await createWorkspace(t, 'pro');
    const refused = await t.call('GET', `/v1/workspaces/${pro.ws}/audit-log/export`, { token: pro.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'plan_limit', feature: 'auditExport' });
  });
});

describe('a 204 carries no body headers', () => {
  it('removing a member answers 204 without Content-Type, with or without an Idempotency-Key (and its replay)', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const gone = await addMember(t, ws, 'agent');
    const plain = await t.call('DELETE', `/v1/workspaces/${ws}/members/${gone.memberId}`, { token });
    expect(plain.status).toBe(204);
    expect(plain.text).toBe('');
    expect(plain.headers.get('content-type')).toBeNull();

    const other = await addMember(t, ws, 'agent');
    const headers = { 'idempotency-key': `del-${other.memberId}` };
    for (let i = 0; i < 2; i++) {
      const res = await t.call('DELETE', `/v1/workspaces/${ws}/members/${other.memberId}`, { token, headers });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers.get('content-type')).toBeNull();
    }
  });
});
