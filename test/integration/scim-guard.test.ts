// SCIM writes go through the one guard (security review of issue 18): a token manages only members within its
// ceiling, requireApprovalFor binds tokens and provisioning, group writes check inbox reach and release it,
// and PATCH values are validated. HTTP through the local gateway on DynamoDB Local, fixtures as scim.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, type Reply, startTestApi, type TestApi } from '../fixtures/api';
import { SCIM_PATCH as PATCH, scimUser as user } from '../fixtures/scim';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

type Scim = (path: string, method?: string, body?: unknown) => Promise<Reply>;

async function scimToken(ws: string, ownerToken: string, maxRoleId: string): Promise<Scim> {
  const res = await t.call('POST', `/v1/workspaces/${ws}/scim/tokens`, {
    token: ownerToken,
    body: { name: `IdP ${maxRoleId}`, maxRoleId },
  });
  expect(res.status).toBe(201);
  return (path, method = 'GET', body) =>
    t.call(method, `/v1/workspaces/${ws}/scim/v2${path}`, {
      token: res.body.token,
      ...(body !== undefined ? { body } : {}),
      headers: body !== undefined ? { 'content-type': 'application/scim+json' } : {},
    });
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe('a SCIM token manages only members within its ceiling', () => {
  it('a low-ceiling token cannot rebind, re-role, deactivate or delete a higher member, and writes nothing', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const t2 = await scimToken(w.ws, w.token, 'agent');
    const unique = Date.now().toString(36);
    const admin = await t1('/Users', 'POST', user(`newadmin-${unique}@corp.test`, { roles: [{ value: 'admin' }] }));
    expect(admin.status).toBe(201);
    expect(admin.body.roles).toEqual([{ value: 'admin', primary: true }]);

    // Rebinding the unbound Admin to an address the attacker controls: refused, the userName unchanged.
    const mallory = `mallory-${unique}@evil.test`;
    const takeover = await t2(
      `/Users/${admin.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'userName', value: mallory }),
    );
    expect(takeover.status).toBe(403);
    expect((await t1(`/Users/${admin.body.id}`)).body.userName).toBe(`newadmin-${unique}@corp.test`);
    const malloryToken = await t.token(`mallory-${unique}`, mallory);
    const hers = await t.call('GET', '/v1/workspaces', { token: malloryToken });
    expect(hers.body.items.map((i: { id: string }) => i.id)).not.toContain(w.ws);
    // PUT, deactivation and DELETE of the Admin: refused too.
    const put = await t2(`/Users/${admin.body.id}`, 'PUT', user(mallory));
    expect(put.status).toBe(403);
    expect(
      (await t2(`/Users/${admin.body.id}`, 'PATCH', patch({ op: 'replace', value: { active: false } }))).status,
    ).toBe(403);
    expect((await t2(`/Users/${admin.body.id}`, 'DELETE')).status).toBe(403);
    const still = await t1(`/Users/${admin.body.id}`);
    expect(still.body).toMatchObject({ userName: `newadmin-${unique}@corp.test`, active: true });
  });

  it('a roles value above the ceiling is refused before the document is stored (never applied later)', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const t2 = await scimToken(w.ws, w.token, 'agent');
    const settings = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { scim: { groupRoles: [{ group: 'Leads', roleId: 'manager' }] } } },
    });
    expect(settings.status).toBe(200);
    const agent = await t2(
      '/Users',
      'POST',
      user(`agent-${Date.now().toString(36)}@corp.test`, { roles: [{ value: 'agent' }] }),
    );
    expect(agent.status).toBe(201);
    const up = await t2(
      `/Users/${agent.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'roles', value: [{ value: 'admin' }] }),
    );
    expect(up.status).toBe(403);
    // The admin token's next group change recomputes the member's role from what is stored: still agent.
    const group = await t1('/Groups', 'POST', { displayName: 'Misc' });
    expect(group.status).toBe(201);
    const add = await t1(
      `/Groups/${group.body.id}`,
      'PATCH',
      patch({ op: 'add', path: 'members', value: [{ value: agent.body.id }] }),
    );
    expect(add.status).toBe(200);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${agent.body.id}`, { token: w.token });
    expect(member.body.roleId).toBe('agent');
  });
});

describe('requireApprovalFor binds SCIM', () => {
  it('a SCIM token with a listed ceiling is a change request (202) until approved, then made once', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const admin2 = await addMember(t, w.ws, 'admin');
    const set = await t.call('PATCH', base, { token: w.token, body: { settings: { requireApprovalFor: ['admin'] } } });
    expect(set.status).toBe(200);
    const asked = await t.call('POST', `${base}/scim/tokens`, {
      token: admin.token,
      body: { name: 'Okta', maxRoleId: 'admin' },
    });
    expect(asked.status, asked.text).toBe(202);
    expect(asked.body).toMatchObject({ status: 'pending', kind: 'change', roleId: 'admin' });
    expect(asked.text).not.toContain('scim_');
    expect((await t.call('GET', `${base}/scim/tokens`, { token: w.token })).body.items).toHaveLength(0);
    // A ceiling not listed is made at once.
    expect(
      (await t.call('POST', `${base}/scim/tokens`, { token: admin.token, body: { name: 'x', maxRoleId: 'agent' } }))
        .status,
    ).toBe(201);
    const approved = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: admin2.token });
    expect(approved.status, approved.text).toBe(200);
    const made = await t.call('POST', `${base}/scim/tokens`, {
      token: admin.token,
      body: { name: 'Okta', maxRoleId: 'admin' },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.body.token).toMatch(/^scim_/);
    // The approval is used once.
    expect(
      (await t.call('POST', `${base}/scim/tokens`, { token: admin.token, body: { name: 'y', maxRoleId: 'admin' } }))
        .status,
    ).toBe(202);
  });

  it('a provisioned user whose role is listed gets the default role, not the listed one', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['admin'], scim: { defaultRoleId: 'agent' } } },
    });
    expect(set.status, set.text).toBe(200);
    const u = await t1(
      '/Users',
      'POST',
      user(`listed-${Date.now().toString(36)}@corp.test`, { roles: [{ value: 'admin' }] }),
    );
    expect(u.status, u.text).toBe(201);
    expect(u.body.roles).toEqual([{ value: 'agent', primary: true }]);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${u.body.id}`, { token: w.token });
    expect(member.body.roleId).toBe('agent');
  });
});

describe('SCIM group writes go through the guard', () => {
  it('a token without inboxes.private.configure cannot change who reaches a private inbox, nor move a higher member', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const t2 = await scimToken(w.ws, w.token, 'agent');
    const unique = Date.now().toString(36);
    const inbox = await t.call('POST', `/v1/workspaces/${w.ws}/inboxes`, {
      token: w.token,
      body: { name: `Secret ${unique}`, visibility: 'private', kind: 'shared' },
    });
    expect(inbox.status, inbox.text).toBe(201);
    const group = await t2('/Groups', 'POST', { displayName: `Finance ${unique}` });
    expect(group.status).toBe(201);
    // The team holds the private inbox (set on the item: no route gives a SCIM team inboxes yet).
    const { getTeam } = await import('../../shared/teams/repository');
    const { teamItem } = await import('../../shared/table/teams/record');
    const { putIfVersion, transact } = await import('../../shared/db/ops');
    const team0 = await getTeam(w.ws, group.body.id);
    if (!team0) throw new Error('no team');
    await transact([
      putIfVersion(teamItem({ ...team0, inboxIds: [inbox.body.id], version: team0.version + 1 }), team0.version),
    ]);
    const agent = await t2('/Users', 'POST', user(`g-agent-${unique}@corp.test`, { roles: [{ value: 'agent' }] }));
    const add = (who: string) =>
      t2(`/Groups/${group.body.id}`, 'PATCH', patch({ op: 'add', path: 'members', value: [{ value: who }] }));
    const joined = await add(agent.body.id);
    expect(joined.status, joined.text).toBe(403);
    expect((await t1(`/Groups/${group.body.id}`)).body.members ?? []).toEqual([]);
    // An admin token adds the agent; the agent token cannot add an Admin (managing a member above its ceiling).
    expect(
      (
        await t1(
          `/Groups/${group.body.id}`,
          'PATCH',
          patch({ op: 'add', path: 'members', value: [{ value: agent.body.id }] }),
        )
      ).status,
    ).toBe(200);
    const other = await t2('/Groups', 'POST', { displayName: `Plain ${unique}` });
    const admin = await t1('/Users', 'POST', user(`g-admin-${unique}@corp.test`, { roles: [{ value: 'admin' }] }));
    const moved = await t2(
      `/Groups/${other.body.id}`,
      'PATCH',
      patch({ op: 'add', path: 'members', value: [{ value: admin.body.id }] }),
    );
    expect(moved.status, moved.text).toBe(403);
    // Deleting the group takes the private inbox's reach from its members: refused to the agent token too.
    expect((await t2(`/Groups/${group.body.id}`, 'DELETE')).status).toBe(403);
  });
});

describe('group → role mapping', () => {
  it('counts only groups SCIM manages, not a team made in the app with the same name', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { scim: { groupRoles: [{ group: 'Leads', roleId: 'manager' }] } } },
    });
    expect(set.status).toBe(200);
    const u = await t1('/Users', 'POST', user(`map-${Date.now().toString(36)}@corp.test`));
    expect(u.status).toBe(201);
    const team = await t.call('POST', `/v1/workspaces/${w.ws}/teams`, {
      token: w.token,
      body: { name: 'Leads', memberIds: [u.body.id] },
    });
    expect(team.status, team.text).toBe(201);
    const changed = await t1(
      `/Users/${u.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'roles', value: [{ value: 'agent' }] }),
    );
    expect(changed.status, changed.text).toBe(200);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${u.body.id}`, { token: w.token });
    expect(member.body.roleId).toBe('agent');
  });
});

describe('SCIM PATCH values', () => {
  it('name must be an object (400, not a 500), and PATCH keeps the limits POST has', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const u = await t1('/Users', 'POST', user(`patch-${Date.now().toString(36)}@corp.test`));
    expect(u.status).toBe(201);
    const bad = await t1(`/Users/${u.body.id}`, 'PATCH', patch({ op: 'replace', path: 'name', value: 'x' }));
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
    const long = await t1(
      `/Users/${u.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'displayName', value: 'x'.repeat(300) }),
    );
    expect(long.status, long.text).toBe(400);
    expect(long.body.scimType).toBe('invalidValue');
    // Within the limits a PATCH still applies.
    const ok = await t1(
      `/Users/${u.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'name', value: { givenName: 'Grace' } }),
    );
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.name).toMatchObject({ givenName: 'Grace' });
  });
});

describe('managed_by_scim', () => {
  it('the app neither approves a role request for, nor deactivates, reactivates or removes, a provisioned member', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${w.ws}`;
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const email = `managed-${Date.now().toString(36)}@corp.test`;
    const u = await t1('/Users', 'POST', user(email));
    expect(u.status).toBe(201);
    // The provisioned person signs in (bound) and asks for a role.
    const token = await t.token(`managed-${Date.now().toString(36)}`, email);
    expect((await t.call('GET', '/v1/workspaces', { token })).status).toBe(200);
    const asked = await t.call('POST', `${base}/access-requests`, {
      token,
      body: { roleId: 'agent', reason: 'on call' },
    });
    expect(asked.status, asked.text).toBe(201);
    const approve = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: w.token });
    expect(approve.status, approve.text).toBe(409);
    expect(approve.body.error.code).toBe('managed_by_scim');
    const roleNow = await t.call('GET', `${base}/members/${u.body.id}`, { token: w.token });
    expect(roleNow.body.roleId).toBe('member');
    for (const [method, path] of [
      ['POST', `${base}/members/${u.body.id}/deactivate`],
      ['DELETE', `${base}/members/${u.body.id}`],
    ] as const) {
      const res = await t.call(method, path, { token: w.token });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(409);
      expect(res.body.error.code).toBe('managed_by_scim');
    }
    // Deactivated through SCIM, the app cannot reactivate it either.
    expect((await t1(`/Users/${u.body.id}`, 'PATCH', patch({ op: 'replace', value: { active: false } }))).status).toBe(
      200,
    );
    const re = await t.call('POST', `${base}/members/${u.body.id}/reactivate`, { token: w.token });
    expect(re.status, re.text).toBe(409);
    expect(re.body.error.code).toBe('managed_by_scim');
  });
});

describe('invitation rules bind SCIM', () => {
  it('inviteDomains refuses provisioning, or renaming a user to, an email of another domain', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const t1 = await scimToken(w.ws, w.token, 'admin');
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { inviteDomains: ['corp.test'] } },
    });
    expect(set.status, set.text).toBe(200);
    const unique = Date.now().toString(36);
    const outside = await t1('/Users', 'POST', user(`out-${unique}@evil.test`));
    expect(outside.status, outside.text).toBe(400);
    const inside = await t1('/Users', 'POST', user(`in-${unique}@corp.test`));
    expect(inside.status).toBe(201);
    const renamed = await t1(
      `/Users/${inside.body.id}`,
      'PATCH',
      patch({ op: 'replace', path: 'userName', value: `in-${unique}@evil.test` }),
    );
    expect(renamed.status, renamed.text).toBe(400);
    expect((await t1(`/Users/${inside.body.id}`)).body.userName).toBe(`in-${unique}@corp.test`);
  });
});

describe('a custom role SCIM relies on is not deleted from under it', () => {
  // Found attacking role deletion x SCIM: deleting a role that settings.scim (defaultRoleId, groupRoles) or a token's
  // ceiling named was a 204, after which every provisioning was a 400 ("No role ... in this workspace") until an admin
  // found the stale setting. Like a role listed in requireApprovalFor, it is a 409 naming what still uses it.
  it('a role named by settings.scim or by a token ceiling: 409, the setting and the token keep working', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${w.ws}`;
    const role = async (name: string) =>
      (
        await t.call('POST', `${base}/roles`, {
          token: w.token,
          body: { name, permissions: { 'messages.view': 'all', 'messages.send': 'all' } },
        })
      ).body.id as string;
    const mapped = await role('Mapped');
    const fallback = await role('Fallback');
    const ceiling = await role('Ceiling');
    const settings = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { scim: { groupRoles: [{ group: 'Leads', roleId: mapped }], defaultRoleId: fallback } } },
    });
    expect(settings.status, settings.text).toBe(200);
    const scim = await scimToken(w.ws, w.token, ceiling);
    for (const id of [mapped, fallback, ceiling]) {
      const del = await t.call('DELETE', `${base}/roles/${id}`, { token: w.token });
      expect(del.status, del.text).toBe(409);
    }
    const made = await scim('/Users', 'POST', user('ada@example.test'));
    expect(made.status, made.text).toBe(201);
    expect(made.body.roles).toEqual([expect.objectContaining({ value: fallback })]);
    // Once nothing names it, it goes.
    const cleared = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { scim: { groupRoles: [], defaultRoleId: 'member' } } },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await t.call('DELETE', `${base}/roles/${mapped}`, { token: w.token })).status).toBe(204);
  });

  it('a plan downgrade that would remove such a role is refused (409) until nothing SCIM uses names it', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${w.ws}`;
    const role = (
      await t.call('POST', `${base}/roles`, {
        token: w.token,
        body: { name: 'Provisioned', permissions: { 'messages.view': 'all' } },
      })
    ).body.id as string;
    const plan = () => t.call('PUT', `${base}/plan`, { token: w.token, body: { plan: 'basic' } });
    expect(
      (await t.call('PATCH', base, { token: w.token, body: { settings: { scim: { defaultRoleId: role } } } })).status,
    ).toBe(200);
    const named = await plan();
    expect(named.status, named.text).toBe(409);
    expect(named.body.error).toMatchObject({ setting: 'scim' });
    expect(
      (await t.call('PATCH', base, { token: w.token, body: { settings: { scim: { defaultRoleId: 'member' } } } }))
        .status,
    ).toBe(200);
    const token = await t.call('POST', `${base}/scim/tokens`, {
      token: w.token,
      body: { name: 'IdP', maxRoleId: role },
    });
    expect(token.status).toBe(201);
    const ceiling = await plan();
    expect(ceiling.status, ceiling.text).toBe(409);
    expect(ceiling.body.error.scimTokenIds).toEqual([token.body.id]);
    expect((await t.call('GET', base, { token: w.token })).body.plan).toBe('unlimited');
    expect((await t.call('GET', `${base}/roles/${role}`, { token: w.token })).status).toBe(200);
    expect((await t.call('DELETE', `${base}/scim/tokens/${token.body.id}`, { token: w.token })).status).toBe(204);
    const done = await plan();
    expect(done.status, done.text).toBe(200);
    expect((await t.call('GET', `${base}/roles/${role}`, { token: w.token })).status).toBe(404);
  });
});
