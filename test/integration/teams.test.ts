import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const teamsOf = async (ws: string, token: string, memberId: string) =>
  (await t.call('GET', `/v1/workspaces/${ws}/members/${memberId}`, { token })).body.teamIds;

describe('teams', () => {
  it('creates, renames, re-members and deletes a team, keeping members’ teamIds in step', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const a = await addMember(t, ws, 'agent');
    const b = await addMember(t, ws, 'agent');
    const c = await addMember(t, ws, 'member');
    const created = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token,
      body: { name: 'Night shift', memberIds: [a.memberId, b.memberId, a.memberId] },
    });
    expect(created.status).toBe(201);
    expect(created.body.memberIds).toEqual([a.memberId, b.memberId].sort());
    const teamId = created.body.id;
    expect(await teamsOf(ws, token, a.memberId)).toEqual([teamId]);

    const updated = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${teamId}`, {
      token,
      body: { name: 'Late shift', memberIds: [b.memberId, c.memberId], version: 1 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Late shift', version: 2 });
    expect(await teamsOf(ws, token, a.memberId)).toEqual([]);
    expect(await teamsOf(ws, token, c.memberId)).toEqual([teamId]);
    const stale = await t.call('PATCH', `/v1/workspaces/${ws}/teams/${teamId}`, {
      token,
      body: { name: 'X', version: 1 },
    });
    expect(stale.status).toBe(409);

    // Removing a member takes them out of the team too.
    await t.call('DELETE', `/v1/workspaces/${ws}/members/${c.memberId}`, { token });
    const list = await t.call('GET', `/v1/workspaces/${ws}/teams`, { token: a.token });
    expect(list.body.items[0].memberIds).toEqual([b.memberId]);

    expect((await t.call('DELETE', `/v1/workspaces/${ws}/teams/${teamId}`, { token })).status).toBe(204);
    expect(await teamsOf(ws, token, b.memberId)).toEqual([]);
    expect((await t.call('GET', `/v1/workspaces/${ws}/teams`, { token })).body.items).toEqual([]);
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.body.items.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['team.create', 'team.update', 'team.delete']),
    );
  });

  it('refuses unknown or foreign members, duplicate names, and non-managers', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const other = await createWorkspace(t, 'unlimited');
    const foreign = await addMember(t, other.ws, 'agent');
    const res = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token,
      body: { name: 'Sales', memberIds: [foreign.memberId] },
    });
    expect(res.status).toBe(400);
    expect((await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: 'Sales' } })).status).toBe(201);
    expect((await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: ' sales ' } })).status).toBe(409);
    const manager = await addMember(t, ws, 'manager');
    const refused = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
      token: manager.token,
      body: { name: 'Mine' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('teammates.manage');
  });
});
