// A team's inboxes changed after its creation (PATCH .../teams/{id} {inboxIds}), over HTTP against DynamoDB
// Local: through the same guard as a team's members (configuring each inbox added or taken away), and a member
// who loses an inbox's reach that way loses the conversations assigned to them there, released in the same
// transaction (lostReachReleases), like leaving the team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

type W = Awaited<ReturnType<typeof createWorkspace>>;
const base = (w: W) => `/v1/workspaces/${w.ws}`;

async function inbox(w: W, visibility: 'public' | 'private') {
  const res = await t.call('POST', `${base(w)}/inboxes`, { token: w.token, body: { name: 'VIP', visibility } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
async function team(w: W, memberIds: string[], inboxIds: string[] = []) {
  const res = await t.call('POST', `${base(w)}/teams`, {
    token: w.token,
    body: { name: 'Tier 2', memberIds, inboxIds },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
const patch = (w: W, teamId: string, body: unknown, token = w.token) =>
  t.call('PATCH', `${base(w)}/teams/${teamId}`, { token, body });

describe("a team's inboxes", () => {
  it('added after creation give its members the inbox; taken away, release what they were assigned there', async () => {
    const w = await createWorkspace(t, 'pro', 'Team inboxes');
    const agent = await addMember(t, w.ws, 'agent');
    const vip = await inbox(w, 'private');
    const conv = await t.call('POST', `${base(w)}/inboxes/${vip}/conversations`, { token: w.token, body: {} });
    expect(conv.status, conv.text).toBe(201);
    const convId = conv.body.conversation.id as string;
    const teamId = await team(w, [agent.memberId]);
    const read = () => t.call('GET', `${base(w)}/conversations/${convId}`, { token: agent.token });
    expect((await read()).status).toBe(404);

    const added = await patch(w, teamId, { inboxIds: [vip], version: 1 });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ inboxIds: [vip], memberIds: [agent.memberId], version: 2 });
    expect((await read()).status).toBe(200);
    const assigned = await t.call('POST', `${base(w)}/conversations/${convId}/assign`, {
      token: w.token,
      body: { memberId: agent.memberId },
    });
    expect(assigned.status, assigned.text).toBe(200);

    const removed = await patch(w, teamId, { inboxIds: [] });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.inboxIds).toEqual([]);
    expect((await read()).status).toBe(404);
    const got = await t.call('GET', `${base(w)}/conversations/${convId}`, { token: w.token });
    expect(got.body.assigneeId).toBeNull();
    const audit = await t.call('GET', `${base(w)}/audit-log?limit=100`, { token: w.token });
    const actions = (audit.body.items as { action: string; target: { id: string } }[])
      .filter((e) => e.target.id === teamId || e.target.id === convId)
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['team.update', 'conversation.unassign']));
  });

  it('need configuring each inbox added or taken away: a team manager without it gets 403, nothing changes', async () => {
    const w = await createWorkspace(t, 'pro', 'Team inbox guard');
    const role = await t.call('POST', `${base(w)}/roles`, {
      token: w.token,
      body: { name: 'Team keeper', permissions: { 'teammates.manage': true } },
    });
    expect(role.status, role.text).toBe(201);
    const keeper = await addMember(t, w.ws, role.body.id);
    const agent = await addMember(t, w.ws, 'agent');
    const vip = await inbox(w, 'private');
    const teamId = await team(w, [agent.memberId]);

    const refused = await patch(w, teamId, { inboxIds: [vip] }, keeper.token);
    expect(refused.status, refused.text).toBe(403);
    // Members still change without touching inboxes.
    const members = await patch(w, teamId, { memberIds: [] }, keeper.token);
    expect(members.status, members.text).toBe(200);
    expect(members.body.inboxIds).toEqual([]);
  });

  it("refuses another workspace's inbox (400) and team (404), and bad input (400)", async () => {
    const w = await createWorkspace(t, 'pro', 'Team inbox input');
    const other = await createWorkspace(t, 'pro', 'Elsewhere');
    const foreignInbox = await inbox(other, 'public');
    const foreignTeam = await team(other, []);
    const teamId = await team(w, []);

    const foreign = await patch(w, teamId, { inboxIds: [foreignInbox] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('invalid_request');
    expect(foreign.body.error.issues).toEqual([
      { path: 'body.inboxIds', message: `No shared inbox "${foreignInbox}"` },
    ]);

    const mine = await inbox(w, 'public');
    expect((await patch(w, foreignTeam, { inboxIds: [mine] })).status).toBe(404);
    const untouched = await t.call('GET', `${base(other)}/teams`, { token: other.token });
    expect(untouched.body.items[0].inboxIds).toEqual([]);

    for (const body of [{ inboxIds: 'x' }, { inboxIds: [''] }, { inboxIds: Array(201).fill('inb_1') }, {}]) {
      const res = await patch(w, teamId, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});
