import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name).sort();

describe('inboxes', () => {
  it('shows public inboxes to inbox workers, private ones only to those assigned (directly or by team) or with access', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const mk = async (name: string, visibility: string) =>
      (await t.call('POST', `/v1/workspaces/${ws}/inboxes`, { token, body: { name, visibility, kind: 'shared' } })).body
        .id as string;
    const support = await mk('Support', 'public');
    const vip = await mk('VIP', 'private');
    const legal = await mk('Legal', 'private');
    const agent = await addMember(t, ws, 'agent');
    const teamAgent = await addMember(t, ws, 'agent');
    const manager = await addMember(t, ws, 'manager');
    const admin = await addMember(t, ws, 'admin');

    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: agent.token }))).toEqual(['Support']);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: manager.token }))).toEqual([
      'Legal',
      'Support',
      'VIP',
    ]);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: admin.token }))).toEqual([
      'Legal',
      'Support',
      'VIP',
    ]);

    const assign = await t.call('PUT', `/v1/workspaces/${ws}/members/${agent.memberId}/inboxes`, {
      token,
      body: { inboxIds: [vip, support] },
    });
    expect(assign.status).toBe(200);
    expect(assign.body.inboxIds).toEqual([support, vip].sort());
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: agent.token }))).toEqual([
      'Support',
      'VIP',
    ]);

    const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token,
      body: { name: 'Legal team', memberIds: [teamAgent.memberId], inboxIds: [legal] },
    });
    expect(team.status).toBe(201);
    expect(team.body.inboxIds).toEqual([legal]);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: teamAgent.token }))).toEqual([
      'Legal',
      'Support',
    ]);

    // Deleting an inbox takes it away from members and teams.
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/inboxes/${vip}`, { token })).status).toBe(204);
    const after = await t.call('GET', `/v1/workspaces/${ws}/members/${agent.memberId}`, { token });
    expect(after.body.inboxIds).toEqual([support]);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/inboxes/${legal}`, { token })).status).toBe(204);
    const teams = await t.call('GET', `/v1/workspaces/${ws}/teams`, { token });
    expect(teams.body.items.find((x: { id: string }) => x.id === team.body.id)?.inboxIds).toEqual([]);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: teamAgent.token }))).toEqual(['Support']);
  });

  it('needs the configure permission that matches the visibility, and hides what you cannot see', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const res = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token: agent.token,
      body: { name: 'Mine', visibility: 'public' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('inboxes.public.configure');
    const priv = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token,
      body: { name: 'Secret', visibility: 'private' },
    });
    // The agent cannot see it, so for them it does not exist.
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${ws}/inboxes/${priv.body.id}`, {
          token: agent.token,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(404);
    // A custom role with only public configuration cannot touch private inboxes or assign them.
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Public config', permissions: { 'inboxes.public.configure': true, 'messages.view': 'all' } },
    });
    const pub = await addMember(t, ws, role.body.id);
    const assign = await t.call('PUT', `/v1/workspaces/${ws}/members/${agent.memberId}/inboxes`, {
      token: pub.token,
      body: { inboxIds: [priv.body.id] },
    });
    expect(assign.status).toBe(403);
    expect(assign.body.error.permission).toBe('inboxes.private.configure');
    const bogus = await t.call('PUT', `/v1/workspaces/${ws}/members/${agent.memberId}/inboxes`, {
      token,
      body: { inboxIds: ['inbox_nope'] },
    });
    expect(bogus.status).toBe(400);
  });

  it('lets anyone have a personal inbox that only they see', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const member = await addMember(t, ws, 'member');
    const own = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token: member.token,
      body: { name: 'My line', kind: 'personal' },
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ kind: 'personal', visibility: 'private', ownerMemberId: member.memberId });
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: member.token }))).toEqual(['My line']);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token }))).toEqual([]);
    // Nobody can assign someone's personal inbox to others.
    const other = await addMember(t, ws, 'agent');
    const res = await t.call('PUT', `/v1/workspaces/${ws}/members/${other.memberId}/inboxes`, {
      token,
      body: { inboxIds: [own.body.id] },
    });
    expect(res.status).toBe(400);
  });

  it('an API key has no personal inbox: it is not a member, and its role is its ceiling', async () => {
    // Found attacking keys x personal inboxes: a key made one (owner "apikey_…"), where role restrictions never
    // apply, so a key with the Member role deleted messages (messages.delete is the Owner's); once the key was
    // revoked, that inbox and its conversations were visible to nobody and could be deleted by nobody.
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const key = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'integration', roleId: 'member' },
    });
    expect(key.status, key.text).toBe(201);
    const own = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token: key.body.key,
      body: { name: 'Key line', kind: 'personal' },
    });
    expect(own.status, own.text).toBe(403);
    expect(names(await t.call('GET', `/v1/workspaces/${ws}/inboxes`, { token: key.body.key }))).toEqual([]);
  });

  it('404s an inbox of another workspace', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const b = await createWorkspace(t, 'unlimited');
    const inbox = await t.call('POST', `/v1/workspaces/${b.ws}/inboxes`, {
      token: b.token,
      body: { name: 'B', visibility: 'public' },
    });
    expect((await t.call('DELETE', `/v1/workspaces/${a.ws}/inboxes/${inbox.body.id}`, { token: a.token })).status).toBe(
      404,
    );
    const member = await addMember(t, a.ws, 'agent');
    const res = await t.call('PUT', `/v1/workspaces/${a.ws}/members/${member.memberId}/inboxes`, {
      token: a.token,
      body: { inboxIds: [inbox.body.id] },
    });
    expect(res.status).toBe(400);
  });
});
