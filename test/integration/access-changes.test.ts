// Where two features meet: each path that changes someone's access goes through the one guard (no
// escalation, plan, audit, race-free conditions). One test per defect found by attacking the API; each
// failed on the code before the guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, GetCommand, tableName } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { countDynamoCalls } from '../fixtures/dynamo-calls';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

let seq = 0;
async function makeRole(ws: string, token: string, permissions: Record<string, unknown>, name = `Role ${seq++}`) {
  const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name, permissions } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
async function makeInbox(ws: string, token: string, visibility: 'public' | 'private', name = `Inbox ${seq++}`) {
  const res = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
    token,
    body: { name, visibility, kind: 'shared' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
const get = (path: string, token: string) => t.call('GET', path, { token });

describe('plan changes', () => {
  it('refuses a downgrade that would move holders the actor may not manage, and changes nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const billing = await makeRole(ws, token, { 'billing.manage': true });
    const surplus = await makeRole(ws, token, { 'contacts.update': true });
    const biller = await addMember(t, ws, billing);
    const holder = await addMember(t, ws, surplus);

    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token: biller.token, body: { plan: 'basic' } });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error.surplusRoles.map((r: { id: string }) => r.id).sort()).toEqual([billing, surplus].sort());
    expect(res.body.error.permission).toBeDefined();
    expect((await get(`/v1/workspaces/${ws}`, token)).body.plan).toBe('unlimited');
    expect((await get(`/v1/workspaces/${ws}/members/${holder.memberId}`, token)).body.roleId).toBe(surplus);
    expect((await get(`/v1/workspaces/${ws}/members/${biller.memberId}`, token)).body.roleId).toBe(billing);
  });

  it('lets the Owner downgrade: holders move to member, audited; a biller downgrades once roles are unheld', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const surplus = await makeRole(ws, token, { 'contacts.update': true });
    const holder = await addMember(t, ws, surplus);
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.removedRoles).toEqual([surplus]);
    expect((await get(`/v1/workspaces/${ws}/members/${holder.memberId}`, token)).body.roleId).toBe('member');

    const up = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'unlimited' } });
    expect(up.status).toBe(200);
    await makeRole(ws, token, { 'contacts.update': true });
    const admin = await addMember(t, ws, 'admin');
    const billingOnly = await makeRole(ws, token, { 'billing.manage': true });
    // The biller's own role is surplus too: refused while the biller holds it…
    const biller = await addMember(t, ws, billingOnly);
    expect(
      (await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token: biller.token, body: { plan: 'basic' } })).status,
    ).toBe(409);
    // …an Admin (who manages teammates and may grant both roles) may.
    const byAdmin = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token: admin.token, body: { plan: 'basic' } });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect((await get(`/v1/workspaces/${ws}/members/${biller.memberId}`, token)).body.roleId).toBe('member');
  });

  it('counts pending invitations against the seats of the new plan', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (let i = 0; i < 5; i++) {
      const inv = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
        token,
        body: { email: `seat${seq++}@example.test`, roleId: 'member' },
      });
      expect(inv.status).toBe(201);
    }
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ limit: 'seats', max: 5, pendingInvitations: 5 });
  });
});

describe('API keys and the apiKeys feature', () => {
  it('stop working when the plan loses the feature, and stay listable and revocable by the Owner', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const created = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'CI', roleId: 'manager' },
    });
    expect(created.status, created.text).toBe(201);
    const key = created.body.key as string;
    expect((await get(`/v1/workspaces/${ws}/members`, key)).status).toBe(200);

    expect((await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } })).status).toBe(200);
    expect((await get(`/v1/workspaces/${ws}/members`, key)).status).toBe(401);
    const invite = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token: key,
      body: { email: `k${seq++}@example.test`, roleId: 'member' },
    });
    expect(invite.status).toBe(401);

    const list = await get(`/v1/workspaces/${ws}/api-keys`, token);
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toEqual([created.body.id]);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/api-keys/${created.body.id}`, { token })).status).toBe(204);
    // Creating one still needs the feature.
    const again = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'x', roleId: 'member' },
    });
    expect(again.status).toBe(403);
    expect(again.body.error).toMatchObject({ code: 'plan_limit', feature: 'apiKeys' });
  });
});

describe('inbox reach through teams and assignments', () => {
  it('needs inboxes.private.configure to join a team that holds a private inbox', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const vip = await makeInbox(ws, token, 'private');
    const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token,
      body: { name: `VIP ${seq++}`, inboxIds: [vip] },
    });
    expect(team.status).toBe(201);
    const manager = await addMember(
      t,
      ws,
      await makeRole(ws, token, { 'teammates.manage': true, 'messages.view': 'all' }),
    );

    const join = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${team.body.id}`, {
      token: manager.token,
      body: { memberIds: [manager.memberId] },
    });
    expect(join.status, join.text).toBe(403);
    expect(join.body.error.permission).toBe('inboxes.private.configure');
    const seen = await get(`/v1/workspaces/${ws}/inboxes`, manager.token);
    expect(seen.body.items.map((i: { id: string }) => i.id)).not.toContain(vip);
    expect((await get(`/v1/workspaces/${ws}/members/${manager.memberId}`, token)).body.teamIds).toEqual([]);
  });

  it('needs inboxes.public.configure to give a team a public inbox', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const pub = await makeInbox(ws, token, 'public');
    const actor = await addMember(t, ws, await makeRole(ws, token, { 'teammates.manage': true }));
    const res = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token: actor.token,
      body: { name: `Sales ${seq++}`, inboxIds: [pub] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('inboxes.public.configure');
    expect((await get(`/v1/workspaces/${ws}/teams`, token)).body.items).toEqual([]);
  });

  it('needs inboxes.private.configure to take a private inbox away from anyone, the Owner included', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const pub = await makeInbox(ws, token, 'public');
    const vip = await makeInbox(ws, token, 'private');
    const set = await t.call('PUT', `/v1/workspaces/${ws}/members/${ownerMemberId}/inboxes`, {
      token,
      body: { inboxIds: [pub, vip] },
    });
    expect(set.status).toBe(200);
    const publicOnly = await addMember(t, ws, await makeRole(ws, token, { 'inboxes.public.configure': true }));
    const res = await t.call('PUT', `/v1/workspaces/${ws}/members/${ownerMemberId}/inboxes`, {
      token: publicOnly.token,
      body: { inboxIds: [pub] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('inboxes.private.configure');
    expect((await get(`/v1/workspaces/${ws}/members/${ownerMemberId}`, token)).body.inboxIds.sort()).toEqual(
      [pub, vip].sort(),
    );
    // Public ones it may change.
    const ok = await t.call('PUT', `/v1/workspaces/${ws}/members/${ownerMemberId}/inboxes`, {
      token: publicOnly.token,
      body: { inboxIds: [vip] },
    });
    expect(ok.status, ok.text).toBe(200);
  });
});

describe('settings that change a role', () => {
  it('are grants: agentsCanManageAttributes needs attributes.manage', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const settingsOnly = await addMember(t, ws, await makeRole(ws, token, { 'workspace.settings.manage': true }));
    const res = await t.call('PATCH', `/v1/workspaces/${ws}`, {
      token: settingsOnly.token,
      body: { settings: { agentsCanManageAttributes: true } },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('attributes.manage');
    expect((await get(`/v1/workspaces/${ws}`, token)).body.settings.agentsCanManageAttributes).toBe(false);
    // Settings that change no role stay theirs.
    const other = await t.call('PATCH', `/v1/workspaces/${ws}`, {
      token: settingsOnly.token,
      body: { settings: { contactsVisibility: 'private' } },
    });
    expect(other.status, other.text).toBe(200);
    const admin = await addMember(t, ws, 'admin');
    const byAdmin = await t.call('PATCH', `/v1/workspaces/${ws}`, {
      token: admin.token,
      body: { settings: { agentsCanManageAttributes: true } },
    });
    expect(byAdmin.status).toBe(200);
  });
});

describe('refreshing an invitation', () => {
  it('is checked like a new one: the new inviter, the new inboxes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const vip = await makeInbox(ws, token, 'private');
    const manager = await addMember(t, ws, 'manager');
    const agent = await addMember(t, ws, 'agent');
    const email = `refresh${seq++}@example.test`;
    const first = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token: manager.token,
      body: { email, roleId: 'member', inboxIds: [vip] },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body.inboxIds).toEqual([vip]);
    // The Agent may not give the private inbox, and re-inviting does not keep it in the Agent's name.
    const refused = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token: agent.token,
      body: { email, roleId: 'member', inboxIds: [vip] },
    });
    expect(refused.status).toBe(403);
    const refreshed = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token: agent.token,
      body: { email, roleId: 'member' },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body).toMatchObject({ id: first.body.id, inboxIds: [], invitedBy: agent.memberId });
  });
});

describe('transactions stay within DynamoDB limits', () => {
  it('removes a member of a hundred teams', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const busy = await addMember(t, ws, 'agent');
    const teams: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
        token,
        body: { name: `Team ${i}`, memberIds: [busy.memberId] },
      });
      expect(res.status).toBe(201);
      teams.push(res.body.id);
    }
    const res = await t.call('DELETE', `/v1/workspaces/${ws}/members/${busy.memberId}`, { token });
    expect(res.status, res.text).toBe(204);
    const page = await get(`/v1/workspaces/${ws}/teams?limit=100`, token);
    expect(page.body.items.every((team: { memberIds: string[] }) => team.memberIds.length === 0)).toBe(true);
  }, 60_000);

  it('bounds a team change with a 400, and deletes a full team', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const members = await Promise.all(Array.from({ length: 100 }, () => addMember(t, ws, 'member')));
    const ids = members.map((m) => m.memberId);
    const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token,
      body: { name: 'Big', memberIds: ids.slice(0, 49) },
    });
    expect(team.status).toBe(201);
    const swap = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${team.body.id}`, {
      token,
      body: { memberIds: ids.slice(49, 98) },
    });
    expect(swap.status).toBe(400);
    expect(swap.body.error.code).toBe('invalid_request');
    const tooMany = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${team.body.id}`, {
      token,
      body: { memberIds: ids.slice(0, 91) },
    });
    expect(tooMany.status).toBe(400);
    // Grown to the most a team holds (90), then deleted whole.
    const grow = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${team.body.id}`, {
      token,
      body: { memberIds: ids.slice(0, 90) },
    });
    expect(grow.status, grow.text).toBe(200);
    const del = await t.call('DELETE', `/v1/workspaces/${ws}/teams/${team.body.id}`, { token });
    expect(del.status, del.text).toBe(204);
    const m = await get(`/v1/workspaces/${ws}/members/${ids[89]}`, token);
    expect(m.body.teamIds).toEqual([]);
  }, 60_000);
});

describe('races leave no dangling reference', () => {
  it('a team change racing the removal of its member never leaves a ghost member', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: 'Race' } });
    for (let i = 0; i < 12; i++) {
      const m = await addMember(t, ws, 'agent');
      await Promise.all([
        t.call('PATCH', `/v1/workspaces/${ws}/teams/${team.body.id}`, { token, body: { memberIds: [m.memberId] } }),
        t.call('DELETE', `/v1/workspaces/${ws}/members/${m.memberId}`, { token }),
      ]);
      const now = await get(`/v1/workspaces/${ws}/teams`, token);
      const memberIds: string[] = now.body.items[0].memberIds;
      for (const id of memberIds) expect((await get(`/v1/workspaces/${ws}/members/${id}`, token)).status).toBe(200);
    }
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/teams/${team.body.id}`, { token })).status).toBe(204);
  });

  it('an assignment racing the deletion of its role never lands on the deleted role', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (let i = 0; i < 10; i++) {
      const role = await makeRole(ws, token, { 'contacts.update': true });
      const m = await addMember(t, ws, 'member');
      await Promise.all([
        t.call('PATCH', `/v1/workspaces/${ws}/members/${m.memberId}`, { token, body: { roleId: role } }),
        t.call('DELETE', `/v1/workspaces/${ws}/roles/${role}?reassignTo=agent`, { token }),
      ]);
      const after = (await get(`/v1/workspaces/${ws}/members/${m.memberId}`, token)).body.roleId;
      const exists = (await get(`/v1/workspaces/${ws}/roles/${after}`, token)).status;
      expect(exists, `member holds ${after}`).toBe(200);
    }
  });

  it('a pending invitation moves with its role, and a held role is never deleted silently', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await makeRole(ws, token, { 'contacts.update': true });
    const inv = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: `r${seq++}@example.test`, roleId: role },
    });
    expect(inv.status).toBe(201);
    const refused = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ memberCount: 0, invitationCount: 1 });
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role}?reassignTo=member`, { token })).status).toBe(
      204,
    );
    const list = await get(`/v1/workspaces/${ws}/invitations`, token);
    expect(list.body.items.find((i: { id: string }) => i.id === inv.body.id).roleId).toBe('member');
  });

  it('a role created during a downgrade never survives it beyond the plan', async () => {
    for (let i = 0; i < 6; i++) {
      const { ws, token } = await createWorkspace(t, 'unlimited');
      await makeRole(ws, token, { 'contacts.update': true });
      await makeRole(ws, token, { 'contacts.update': true });
      await Promise.all([
        t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'pro' } }),
        t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name: `Late ${i}`, permissions: {} } }),
      ]);
      const plan = (await get(`/v1/workspaces/${ws}`, token)).body.plan;
      const roles = await get(`/v1/workspaces/${ws}/roles?limit=100`, token);
      const custom = roles.body.items.filter((r: { kind: string }) => r.kind === 'custom');
      if (plan === 'pro') expect(custom.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('a workspace of many roles', () => {
  it('keeps the workspace item small: roles live in their own items', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (let i = 0; i < 40; i++) await makeRole(ws, token, { 'contacts.update': true, 'messages.view': 'groups' });
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: { PK: `WS#${ws}`, SK: 'META' } }))).Item;
    expect(item?.customRoleCount).toBe(40);
    expect(JSON.stringify(item).length).toBeLessThan(1024);
  }, 60_000);

  it('pages roles without counting the holders of roles off the page', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (let i = 0; i < 25; i++) await makeRole(ws, token, { 'contacts.update': true });
    const calls = await countDynamoCalls(() => get(`/v1/workspaces/${ws}/roles?limit=1`, token));
    // The authorizer's batch, the built-in role's holder count: never one per custom role.
    expect(calls).toBeLessThanOrEqual(3);
    let cursor: string | null = null;
    const seen: string[] = [];
    do {
      const page = await get(`/v1/workspaces/${ws}/roles?limit=7${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(5 + 9 + 25);
  }, 60_000);
});
