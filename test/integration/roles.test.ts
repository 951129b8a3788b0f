import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, db, QueryCommand, tableName } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function auditActions(ws: string): Promise<string[]> {
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': `WS#${ws}`, ':a': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).map((i) => i.action as string);
}

const roleBody = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: 'test role', ...extra });

describe('listing roles', () => {
  it('shows built-in roles, templates and custom roles with member counts', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'agent');
    const created = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: roleBody('Night shift', { cloneFrom: 'agent' }),
    });
    expect(created.status).toBe(201);
    const member = await addMember(t, ws, 'member');
    const res = await t.call('GET', `/v1/workspaces/${ws}/roles`, { token: member.token });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((r: any) => [r.id, r]));
    expect(byId.get('owner')).toMatchObject({ kind: 'builtin', memberCount: 1, assignable: false });
    expect(byId.get('agent')).toMatchObject({ kind: 'builtin', memberCount: 2 });
    expect(byId.get('tpl_restricted_user')).toMatchObject({ kind: 'template', assignable: false });
    expect(byId.get(created.body.id)).toMatchObject({ kind: 'custom', name: 'Night shift', memberCount: 0 });
    expect(res.body.nextCursor).toBeNull();
  });
});

describe("built-in roles' member counts", () => {
  const counts = async (ws: string, token: string) => {
    const res = await t.call('GET', `/v1/workspaces/${ws}/roles`, { token });
    expect(res.status).toBe(200);
    return Object.fromEntries(
      res.body.items.filter((r: any) => r.kind === 'builtin').map((r: any) => [r.id, r.memberCount]),
    );
  };

  it('follow joins, role changes and removals', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const a = await addMember(t, ws, 'agent');
    const b = await addMember(t, ws, 'agent');
    await addMember(t, ws, 'member');
    expect(await counts(ws, token)).toEqual({ owner: 1, admin: 0, manager: 0, agent: 2, member: 1 });
    const base = `/v1/workspaces/${ws}/members`;
    expect((await t.call('PATCH', `${base}/${a.memberId}`, { token, body: { roleId: 'manager' } })).status).toBe(200);
    expect((await t.call('DELETE', `${base}/${b.memberId}`, { token })).status).toBe(204);
    expect(await counts(ws, token)).toEqual({ owner: 1, admin: 0, manager: 1, agent: 0, member: 1 });
    // An ownership transfer moves two members in one transaction: owner → admin, manager → owner.
    const moved = await t.call('POST', `/v1/workspaces/${ws}/ownership`, { token, body: { memberId: a.memberId } });
    expect(moved.status).toBe(200);
    expect(await counts(ws, a.token)).toEqual({ owner: 1, admin: 1, manager: 0, agent: 0, member: 1 });
  });

  it('of a workspace from before the counters are counted as before, then kept', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const a = await addMember(t, ws, 'agent');
    await addMember(t, ws, 'admin');
    // What a workspace created before the counters holds: no counter items.
    const { roleHoldersKey } = await import('../../shared/table/roles/keys');
    for (const id of ['owner', 'admin', 'manager', 'agent', 'member']) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: roleHoldersKey(ws, id) }));
    }
    // A move on a missing counter is not taken for the count.
    const path = `/v1/workspaces/${ws}/members/${a.memberId}`;
    expect((await t.call('PATCH', path, { token, body: { roleId: 'member' } })).status).toBe(200);
    expect(await counts(ws, token)).toEqual({ owner: 1, admin: 1, manager: 0, agent: 0, member: 1 });
    expect((await t.call('PATCH', path, { token, body: { roleId: 'agent' } })).status).toBe(200);
    expect(await counts(ws, token)).toEqual({ owner: 1, admin: 1, manager: 0, agent: 1, member: 0 });
  });
});

describe('paging roles', () => {
  it('honours ?limit= and ?cursor= like every list', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Paged') });
    const all = await t.call('GET', `/v1/workspaces/${ws}/roles?limit=100`, { token });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await t.call('GET', `/v1/workspaces/${ws}/roles?limit=4${q}`, { token });
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items.map((r: any) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((r: any) => r.id));
    expect(seen).toHaveLength(5 + 9 + 1);
    expect((await t.call('GET', `/v1/workspaces/${ws}/roles?cursor=bogus`, { token })).status).toBe(400);
    expect((await t.call('GET', `/v1/workspaces/${ws}/roles?limit=500`, { token })).status).toBe(400);
  });
});

describe('creating custom roles', () => {
  it('clones a built-in role, applies sections and permissions, and warns about dangerous ones', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: roleBody('Team lead', {
        cloneFrom: 'agent',
        sections: { analytics: 'full' },
        permissions: { 'messages.view': 'groups', 'conversations.delete': false, 'teammates.manage': true },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.permissions).toMatchObject({
      'messages.view': 'groups',
      'messages.send': 'all',
      'analytics.view': true,
      'reports.manage': true,
      'logs.export': true,
      'teammates.manage': true,
    });
    expect(res.body.permissions['conversations.delete']).toBeUndefined();
    expect(res.body.warnings.map((w: any) => w.permission).sort()).toEqual(['teammates.invite', 'teammates.manage']);
    expect(await auditActions(ws)).toContain('role.create');
  });

  it('accepts sections given inside permissions', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Presence only', permissions: { sections: { presence: 'full' } } },
    });
    expect(res.status).toBe(201);
    expect(res.body.permissions).toEqual({ 'team.status.manage': true, 'widget.visibility.manage': true });
  });

  it('refuses names that repeat (case-insensitively) or imitate a built-in role', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    expect((await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Night Shift') })).status).toBe(
      201,
    );
    const dup = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('  night   shift ') });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    for (const name of ['Owner', 'Admin ', 'ADMIN', 'manager']) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody(name) });
      expect(res.status, name).toBe(400);
      expect(res.body.error.issues[0].path).toBe('body.name');
    }
  });

  it('refuses unknown permissions, scopes on unscoped permissions and unknown clone sources, writing nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (const body of [
      roleBody('A', { permissions: { 'messages.fly': true } }),
      roleBody('B', { permissions: { 'billing.manage': 'all' } }),
      roleBody('C', { permissions: { 'messages.view': 'everything' } }),
      roleBody('D', { sections: { nowhere: 'full' } }),
      roleBody('E', { cloneFrom: 'role_doesnotexist' }),
      roleBody('F', { extra: 1 }),
    ]) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect(await auditActions(ws)).toEqual(['workspace.create']);
  });

  it('cannot clone a custom role of another workspace', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const b = await createWorkspace(t, 'unlimited');
    const roleA = await t.call('POST', `/v1/workspaces/${a.ws}/roles`, { token: a.token, body: roleBody('Secret') });
    const res = await t.call('POST', `/v1/workspaces/${b.ws}/roles`, {
      token: b.token,
      body: roleBody('Copy', { cloneFrom: roleA.body.id }),
    });
    expect(res.status).toBe(400);
    expect((await t.call('GET', `/v1/workspaces/${b.ws}/roles/${roleA.body.id}`, { token: b.token })).status).toBe(404);
    expect(
      (await t.call('PATCH', `/v1/workspaces/${b.ws}/roles/${roleA.body.id}`, { token: b.token, body: { name: 'x' } }))
        .status,
    ).toBe(404);
  });
});

describe('no escalation through roles', () => {
  it('refuses a role with permissions the creator lacks, naming them', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const lead = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: roleBody('Role editor', {
        permissions: { 'roles.manage': true, 'messages.view': 'groups', 'contacts.update': true },
      }),
    });
    const editor = await addMember(t, ws, lead.body.id);
    const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token: editor.token,
      body: roleBody('Escalated', {
        permissions: { 'billing.manage': true, 'messages.view': 'all', 'contacts.update': true },
      }),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.exceeds).toEqual([
      { permission: 'billing.manage', requested: true, held: null },
      { permission: 'messages.view', requested: 'all', held: 'groups' },
    ]);
    expect(res.body.error.message).toContain('billing.manage');
    const ok = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token: editor.token,
      body: roleBody('Narrower', { permissions: { 'messages.view': 'assigned', 'contacts.update': true } }),
    });
    expect(ok.status).toBe(201);
  });

  it('refuses editing your own role upward', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: roleBody('Self editor', { permissions: { 'roles.manage': true } }),
    });
    const me = await addMember(t, ws, role.body.id);
    const res = await t.call('PATCH', `/v1/workspaces/${ws}/roles/${role.body.id}`, {
      token: me.token,
      body: { permissions: { 'workspace.settings.manage': true } },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.exceeds[0].permission).toBe('workspace.settings.manage');
  });

  it('keeps agents and members out of role management', async () => {
    const { ws } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token: agent.token, body: roleBody('Mine') });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', permission: 'roles.manage' });
  });
});

describe('editing and deleting', () => {
  it('applies an edit at once to every holder, through the authorizer too', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Settings person') });
    const holder = await addMember(t, ws, role.body.id);
    const before = await t.call('PATCH', `/v1/workspaces/${ws}`, { token: holder.token, body: { name: 'Renamed' } });
    expect(before.status).toBe(403);
    const edit = await t.call('PATCH', `/v1/workspaces/${ws}/roles/${role.body.id}`, {
      token,
      body: { permissions: { 'workspace.settings.manage': true }, version: 1 },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ version: 2, memberCount: 1 });
    const after = await t.call('PATCH', `/v1/workspaces/${ws}`, { token: holder.token, body: { name: 'Renamed' } });
    expect(after.status).toBe(200);
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: holder.token });
    expect(me.body.role).toMatchObject({ id: role.body.id, name: 'Settings person', kind: 'custom' });
    expect(me.body.permissions).toEqual({ 'workspace.settings.manage': true });
  });

  it('refuses a stale version, and of two edits from the same version exactly one wins', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Racy') });
    const [a, b] = await Promise.all([
      t.call('PATCH', `/v1/workspaces/${ws}/roles/${role.body.id}`, { token, body: { description: 'A', version: 1 } }),
      t.call('PATCH', `/v1/workspaces/${ws}/roles/${role.body.id}`, { token, body: { description: 'B', version: 1 } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const stale = await t.call('PATCH', `/v1/workspaces/${ws}/roles/${role.body.id}`, {
      token,
      body: { description: 'C', version: 1 },
    });
    expect(stale.status).toBe(409);
  });

  it('never edits or deletes a built-in role or a template', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (const id of ['admin', 'owner', 'tpl_support']) {
      expect((await t.call('PATCH', `/v1/workspaces/${ws}/roles/${id}`, { token, body: { name: 'x y' } })).status).toBe(
        409,
      );
      expect((await t.call('DELETE', `/v1/workspaces/${ws}/roles/${id}`, { token })).status).toBe(409);
    }
  });

  it('refuses deleting a held role unless told where its holders go, then moves them', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: roleBody('Temp', { cloneFrom: 'agent' }),
    });
    const holder = await addMember(t, ws, role.body.id);
    const refused = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role.body.id}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.memberCount).toBe(1);
    const badTarget = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role.body.id}?reassignTo=owner`, { token });
    expect(badTarget.status).toBe(400);
    const done = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role.body.id}?reassignTo=member`, { token });
    expect(done.status).toBe(204);
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: holder.token });
    expect(me.body.member.roleId).toBe('member');
    expect((await t.call('GET', `/v1/workspaces/${ws}/roles/${role.body.id}`, { token })).status).toBe(404);
    const actions = await auditActions(ws);
    expect(actions).toContain('member.role.change');
    expect(actions).toContain('role.delete');
    // The name is free again.
    expect((await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Temp') })).status).toBe(201);
  });
});

describe('plan limits on custom roles', () => {
  it('basic allows none, even for the owner', async () => {
    const { ws, token } = await createWorkspace(t, 'basic');
    const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Nope') });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'plan_limit', limit: 'customRoles' });
  });

  it('pro allows one; the second is plan_limit', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    expect((await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('First') })).status).toBe(201);
    const second = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody('Second') });
    expect(second.status).toBe(403);
    expect(second.body.error).toMatchObject({ code: 'plan_limit', limit: 'customRoles' });
  });

  it('pro: two concurrent creations never both succeed', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const results = await Promise.all(
      ['One', 'Two', 'Three'].map((n) => t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody(n) })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const roles = await t.call('GET', `/v1/workspaces/${ws}/roles`, { token });
    expect(roles.body.items.filter((r: any) => r.kind === 'custom')).toHaveLength(1);
  });

  it('unlimited allows many', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (const n of ['A1', 'A2', 'A3', 'A4']) {
      expect((await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: roleBody(n) })).status).toBe(201);
    }
  });

  it('a downgrade moves holders of the newest surplus roles to member, removes those roles and audits it', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const ids: string[] = [];
    for (const n of ['Oldest', 'Middle', 'Newest']) {
      const r = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
        token,
        body: roleBody(n, { cloneFrom: 'agent' }),
      });
      ids.push(r.body.id);
    }
    const holders = await Promise.all(ids.map((id) => addMember(t, ws, id)));
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'pro' } });
    expect(res.status).toBe(200);
    expect(res.body.workspace.plan).toBe('pro');
    expect(res.body.removedRoles.sort()).toEqual([ids[1], ids[2]].sort());
    const roleOf = async (h: { token: string }) =>
      (await t.call('GET', `/v1/workspaces/${ws}/me`, { token: h.token })).body.member.roleId;
    expect(await roleOf(holders[0]!)).toBe(ids[0]);
    expect(await roleOf(holders[1]!)).toBe('member');
    expect(await roleOf(holders[2]!)).toBe('member');
    const actions = await auditActions(ws);
    expect(actions).toContain('plan.change');
    expect(actions.filter((a) => a === 'role.delete.planDowngrade')).toHaveLength(2);
    // Features follow the plan at once.
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
    expect(me.body.plan.id).toBe('pro');
  });

  it('refuses a downgrade below the current head count and an unknown plan', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (let i = 0; i < 5; i++) await addMember(t, ws, 'member');
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ limit: 'seats', max: 5, current: 6 });
    expect((await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'gold' } })).status).toBe(400);
  });

  it('only billing managers change the plan', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    const manager = await addMember(t, ws, 'manager');
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token: manager.token, body: { plan: 'unlimited' } });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('billing.manage');
  });
});
