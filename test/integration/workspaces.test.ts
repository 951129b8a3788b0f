import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_KEYS } from '../../shared/permissions/catalog';
import { addMember as addMemberVia, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { partitionItems } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function newWorkspace(plan?: string) {
  const owner = uniqueUser('owner');
  const token = await t.token(owner);
  const res = await t.call('POST', '/v1/workspaces', {
    token,
    body: { name: 'Acme Support', ...(plan ? { plan } : {}) },
  });
  expect(res.status).toBe(201);
  return { owner, token, ws: res.body.workspace.id as string, res };
}

const addMember = (ws: string, roleId: string) => addMemberVia(t, ws, roleId);

describe('creating a workspace', () => {
  it('makes the caller its owner, with every permission, on the default basic plan', async () => {
    const { ws, token, owner, res } = await newWorkspace();
    expect(res.body.workspace).toMatchObject({
      name: 'Acme Support',
      plan: 'basic',
      settings: { agentsCanManageAttributes: false, contactsVisibility: 'team' },
    });
    expect(res.body.member).toMatchObject({ userId: owner, roleId: 'owner', inboxIds: [], teamIds: [] });

    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body.member.id).toBe(res.body.member.id);
    expect(me.body.role).toMatchObject({ id: 'owner', kind: 'builtin' });
    expect(Object.keys(me.body.permissions).sort()).toEqual([...PERMISSION_KEYS].sort());
    expect(me.body.permissions['messages.view']).toBe('all');
    expect(me.body.permissions['apiKeys.manage']).toBe(true);
    expect(me.body.plan).toEqual({ id: 'basic', features: [], limits: { customRoles: 0, seats: 5 } });
  });

  it('takes a plan and reports its entitlements in /me', async () => {
    const { ws, token } = await newWorkspace('unlimited');
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
    expect(me.body.plan).toEqual({
      id: 'unlimited',
      features: ['analytics', 'apiKeys', 'sequences', 'auditExport', 'scim'],
      limits: { customRoles: null, seats: null },
    });
  });

  it('refuses an unknown plan with 400 and writes nothing', async () => {
    const user = uniqueUser();
    const token = await t.token(user);
    const res = await t.call('POST', '/v1/workspaces', { token, body: { name: 'X', plan: 'platinum' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.issues[0].path).toBe('body.plan');
    expect(await partitionItems(`USER#${user}`)).toHaveLength(0);
  });

  it('records the creation in the audit log', async () => {
    const { ws } = await newWorkspace();
    const items = await partitionItems(`WS#${ws}`);
    const audit = items.filter((i) => i.entity === 'AuditEntry');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'workspace.create', target: { type: 'workspace', id: ws } });
  });
});

describe('reading and changing a workspace', () => {
  it('lets any member read it', async () => {
    const { ws } = await newWorkspace();
    const member = await addMember(ws, 'member');
    const res = await t.call('GET', `/v1/workspaces/${ws}`, { token: member.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ws, name: 'Acme Support', plan: 'basic' });
  });

  it('lets the owner change settings, and the change shows in the workspace and its /me', async () => {
    const { ws, token } = await newWorkspace();
    const agent = await addMember(ws, 'agent');
    const before = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: agent.token });
    expect(before.body.permissions['attributes.manage']).toBeUndefined();

    const res = await t.call('PATCH', `/v1/workspaces/${ws}`, {
      token,
      body: { name: 'Acme Help', settings: { agentsCanManageAttributes: true } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Acme Help',
      settings: { agentsCanManageAttributes: true, contactsVisibility: 'team' },
    });
    const after = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: agent.token });
    expect(after.body.permissions['attributes.manage']).toBe(true);
  });

  it('refuses an agent with 403 naming the missing permission, and changes nothing', async () => {
    const { ws, token } = await newWorkspace();
    const agent = await addMember(ws, 'agent');
    const res = await t.call('PATCH', `/v1/workspaces/${ws}`, { token: agent.token, body: { name: 'Hijacked' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', permission: 'workspace.settings.manage' });
    const ws2 = await t.call('GET', `/v1/workspaces/${ws}`, { token });
    expect(ws2.body.name).toBe('Acme Support');
  });

  it('lets an admin change settings but not a manager', async () => {
    const { ws } = await newWorkspace();
    const admin = await addMember(ws, 'admin');
    const manager = await addMember(ws, 'manager');
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${ws}`, {
          token: admin.token,
          body: { settings: { contactsVisibility: 'private' } },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${ws}`, {
          token: manager.token,
          body: { settings: { contactsVisibility: 'team' } },
        })
      ).status,
    ).toBe(403);
  });
});

describe('existence never leaks', () => {
  it('answers a non-member exactly as for a workspace that does not exist', async () => {
    const { ws } = await newWorkspace();
    const stranger = await t.token(uniqueUser('stranger'));
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['GET', '/me', undefined],
      ['PATCH', '', { name: 'Mine now' }],
    ] as const) {
      const real = await t.call(method, `/v1/workspaces/${ws}${suffix}`, { token: stranger, body });
      const fake = await t.call(method, `/v1/workspaces/ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ${suffix}`, {
        token: stranger,
        body,
      });
      expect([403, 404]).toContain(real.status);
      expect(real.status).toBe(fake.status);
      expect(real.text).toBe(fake.text);
      expect(real.body.error.code).toBeTypeOf('string');
    }
  });

  it('answers odd workspace ids like unknown ones', async () => {
    const { token } = await newWorkspace();
    const unknown = await t.call('GET', '/v1/workspaces/ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ', { token });
    for (const odd of ['%23META', 'a%20b', 'x'.repeat(80), '%E2%98%83']) {
      const res = await t.call('GET', `/v1/workspaces/${odd}`, { token });
      expect(res.status, odd).toBe(unknown.status);
      expect(res.text).toBe(unknown.text);
    }
  });

  it('keeps a member of one workspace out of another', async () => {
    const a = await newWorkspace();
    const b = await newWorkspace();
    const res = await t.call('PATCH', `/v1/workspaces/${b.ws}`, { token: a.token, body: { name: 'x' } });
    expect([403, 404]).toContain(res.status);
    const get = await t.call('GET', `/v1/workspaces/${b.ws}`, { token: a.token });
    expect([403, 404]).toContain(get.status);
    expect((await t.call('GET', `/v1/workspaces/${b.ws}`, { token: b.token })).body.name).toBe('Acme Support');
  });
});

describe('bad input', () => {
  const bad: [string, unknown][] = [
    ['missing name', {}],
    ['name of wrong type', { name: 42 }],
    ['empty name', { name: '   ' }],
    ['name too long', { name: 'x'.repeat(101) }],
    ['control characters', { name: 'a\u0000b' }],
    ['unknown field', { name: 'ok', admin: true }],
    ['plan of wrong type', { name: 'ok', plan: ['pro'] }],
    ['array body', [1, 2]],
    ['null body', null],
  ];
  it.each(bad)('POST /v1/workspaces with %s → 400 with issues, nothing written', async (_label, body) => {
    const user = uniqueUser('bad');
    const token = await t.token(user);
    const res = await t.call('POST', '/v1/workspaces', { token, raw: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(Array.isArray(res.body.error.issues)).toBe(true);
    expect(res.body.error.issues.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/at .*\.ts/);
    expect(await partitionItems(`USER#${user}`)).toHaveLength(0);
  });

  it('refuses malformed JSON and a non-JSON content type with 400', async () => {
    const token = await t.token(uniqueUser());
    const malformed = await t.call('POST', '/v1/workspaces', { token, raw: '{"name": "x"' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
    const wrongType = await t.call('POST', '/v1/workspaces', {
      token,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe('invalid_request');
  });

  it('accepts unicode names and stores them as given', async () => {
    const token = await t.token(uniqueUser());
    const res = await t.call('POST', '/v1/workspaces', { token, body: { name: "Équipe 日本 🚀 '; DROP TABLE--" } });
    expect(res.status).toBe(201);
    expect(res.body.workspace.name).toBe("Équipe 日本 🚀 '; DROP TABLE--");
  });

  it('answers 413 for a huge body and writes nothing', async () => {
    const user = uniqueUser('huge');
    const token = await t.token(user);
    const res = await t.call('POST', '/v1/workspaces', { token, body: { name: 'x', pad: 'y'.repeat(200_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await partitionItems(`USER#${user}`)).toHaveLength(0);
  });

  it('refuses bad settings values without changing the workspace', async () => {
    const { ws, token } = await newWorkspace();
    for (const body of [
      { settings: { contactsVisibility: 'everyone' } },
      { settings: { agentsCanManageAttributes: 'yes' } },
      { settings: { unknown: true } },
      {},
    ]) {
      const res = await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const audit = (await partitionItems(`WS#${ws}`)).filter((i) => i.entity === 'AuditEntry');
    expect(audit).toHaveLength(1);
  });

  it('answers 404 in the contract body for an unknown route', async () => {
    const token = await t.token(uniqueUser());
    const res = await t.call('GET', '/v1/nothing-here', { token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
