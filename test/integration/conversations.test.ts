// Conversations, messages, comments and scheduled messages over HTTP: the seed's sentences, scopes on real
// data (all / groups / assigned), private and personal inboxes, and changes of access applying at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
let w: Awaited<ReturnType<typeof createWorkspace>>;
type M = Awaited<ReturnType<typeof addMember>>;
const members: Record<string, M> = {};
let pub: string;
let priv: string;

const base = () => `/v1/workspaces/${w.ws}`;

async function inbox(name: string, visibility: 'public' | 'private', token = w.token, kind = 'shared') {
  const res = await t.call('POST', `${base()}/inboxes`, { token, body: { name, visibility, kind } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
async function conversation(inboxId: string, token = w.token, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', `${base()}/inboxes/${inboxId}/conversations`, { token, body });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation.id as string;
}
const send = (conv: string, token: string, body = 'Hello') =>
  t.call('POST', `${base()}/conversations/${conv}/messages`, { token, body: { body } });
const assign = (conv: string, memberId: string | null, token = w.token) =>
  t.call('POST', `${base()}/conversations/${conv}/assign`, { token, body: { memberId } });

beforeAll(async () => {
  t = await startTestApi();
  w = await createWorkspace(t, 'unlimited', 'Conversations');
  for (const role of ['admin', 'manager', 'agent', 'member']) members[role] = await addMember(t, w.ws, role);
  pub = await inbox('Support', 'public');
  priv = await inbox('VIP', 'private');
});
afterAll(async () => {
  await t.stop();
});

describe('conversations, messages and comments', () => {
  it('creates, lists newest activity first, pages, sends and comments', async () => {
    const inboxId = await inbox('Paging', 'public');
    const a = await conversation(inboxId, w.token, { subject: 'First' });
    const b = await conversation(inboxId, w.token, { subject: 'Second' });
    const c = await conversation(inboxId);
    const got = await t.call('GET', `${base()}/conversations/${a}`, { token: w.token });
    expect(got.body).toMatchObject({
      id: a,
      inboxId,
      subject: 'First',
      contactId: null,
      assigneeId: null,
      status: 'open',
    });
    // Activity on the oldest moves it first.
    const sent = await send(a, members.agent!.token, 'Hi there');
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.message).toMatchObject({ conversationId: a, kind: 'message', body: 'Hi there' });
    expect(sent.body.message.authorMemberId).toBe(members.agent!.memberId);
    const comment = await t.call('POST', `${base()}/conversations/${a}/comments`, {
      token: members.member!.token,
      body: { body: 'internal note' },
    });
    expect(comment.status, comment.text).toBe(201);
    expect(comment.body.message.kind).toBe('comment');

    const page1 = await t.call('GET', `${base()}/inboxes/${inboxId}/conversations?limit=2`, { token: w.token });
    expect(page1.status, page1.text).toBe(200);
    expect(page1.body.items.map((x: any) => x.id)).toEqual([a, c]);
    const page2 = await t.call(
      'GET',
      `${base()}/inboxes/${inboxId}/conversations?limit=2&cursor=${page1.body.nextCursor}`,
      { token: w.token },
    );
    expect(page2.body.items.map((x: any) => x.id)).toEqual([b]);
    expect(page2.body.nextCursor).toBeNull();

    const thread = await t.call('GET', `${base()}/conversations/${a}/messages`, { token: members.agent!.token });
    expect(thread.body.items.map((m: any) => [m.kind, m.body])).toEqual([
      ['message', 'Hi there'],
      ['comment', 'internal note'],
    ]);
    // A cursor from another list is refused.
    const foreign = await t.call('GET', `${base()}/conversations/${a}/messages?cursor=${page1.body.nextCursor}`, {
      token: w.token,
    });
    expect(foreign.status).toBe(400);
  });

  it('assigns, lists "assigned to me" across inboxes, unassigns; archive and reopen', async () => {
    const other = await inbox('Other', 'public');
    const x = await conversation(pub);
    const y = await conversation(other);
    const agent = members.agent!;
    expect((await assign(x, agent.memberId)).body.assigneeId).toBe(agent.memberId);
    expect((await assign(y, agent.memberId)).status).toBe(200);
    await send(x, w.token);
    const mine = await t.call('GET', `${base()}/conversations?assignee=me`, { token: agent.token });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items.map((c: any) => c.id)).toEqual([x, y]);
    expect((await assign(x, null)).body.assigneeId).toBeNull();
    const after = await t.call('GET', `${base()}/conversations?assignee=me`, { token: agent.token });
    expect(after.body.items.map((c: any) => c.id)).toEqual([y]);

    const archived = await t.call('POST', `${base()}/conversations/${y}/archive`, { token: agent.token });
    expect(archived.body.status).toBe('archived');
    const stillMine = await t.call('GET', `${base()}/conversations?assignee=me`, { token: agent.token });
    expect(stillMine.body.items[0]).toMatchObject({ id: y, status: 'archived' });
    const reopened = await t.call('POST', `${base()}/conversations/${y}/reopen`, { token: agent.token });
    expect(reopened.body.status).toBe('open');

    const log = await t.call('GET', `${base()}/audit-log?limit=20`, { token: w.token });
    const actions = log.body.items.map((e: any) => e.action);
    for (const a of ['conversation.assign', 'conversation.unassign', 'conversation.archive', 'conversation.reopen']) {
      expect(actions).toContain(a);
    }
  });

  it('refuses an assignee who cannot work in the inbox; ids of nobody are 404', async () => {
    const c = await conversation(priv);
    const refused = await assign(c, members.agent!.memberId);
    expect(refused.status, refused.text).toBe(409);
    // The Admin sees every inbox but reads no messages: not an assignee either.
    expect((await assign(c, members.admin!.memberId)).status).toBe(409);
    expect((await assign(c, 'mem_nobody')).status).toBe(404);
    expect((await assign(c, members.manager!.memberId)).status).toBe(200);
  });

  it('moves between inboxes the caller reaches, unassigning who cannot follow', async () => {
    const c = await conversation(pub);
    await assign(c, members.agent!.memberId);
    // The Agent cannot see the private inbox: as if it did not exist.
    const refused = await t.call('POST', `${base()}/conversations/${c}/move`, {
      token: members.agent!.token,
      body: { inboxId: priv },
    });
    expect(refused.status, refused.text).toBe(404);
    const moved = await t.call('POST', `${base()}/conversations/${c}/move`, {
      token: members.manager!.token,
      body: { inboxId: priv },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ inboxId: priv, assigneeId: null });
    const list = await t.call('GET', `${base()}/inboxes/${priv}/conversations`, { token: members.manager!.token });
    expect(list.body.items.map((x: any) => x.id)).toContain(c);
    const old = await t.call('GET', `${base()}/inboxes/${pub}/conversations?limit=100`, { token: w.token });
    expect(old.body.items.map((x: any) => x.id)).not.toContain(c);
  });

  it('moves between two private inboxes reached through the same team, or both directly (one check per item)', async () => {
    // Found by the property test: both reach proofs named the same member and team items in one transaction (500).
    const viaTeam = await addMember(t, w.ws, 'agent');
    const direct = await addMember(t, w.ws, 'agent');
    const a = await inbox('Team A', 'private');
    const b = await inbox('Team B', 'private');
    const team = await t.call('POST', `${base()}/teams`, {
      token: w.token,
      body: { name: 'Both inboxes', memberIds: [viaTeam.memberId], inboxIds: [a, b] },
    });
    expect(team.status, team.text).toBe(201);
    const set = await t.call('PUT', `${base()}/members/${direct.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [a, b] },
    });
    expect(set.status, set.text).toBe(200);
    for (const who of [viaTeam, direct]) {
      const c = await conversation(a);
      const moved = await t.call('POST', `${base()}/conversations/${c}/move`, {
        token: who.token,
        body: { inboxId: b },
      });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body.inboxId).toBe(b);
      const back = await t.call('POST', `${base()}/conversations/${c}/move`, {
        token: who.token,
        body: { inboxId: a },
      });
      expect(back.status, back.text).toBe(200);
    }
  });

  it('scheduled messages: create, list, cancel; bad times are 400', async () => {
    const c = await conversation(pub);
    const sendAt = new Date(Date.now() + 3600_000).toISOString();
    const made = await t.call('POST', `${base()}/conversations/${c}/scheduled-messages`, {
      token: members.member!.token,
      body: { body: 'Later', sendAt },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.body.scheduledMessage).toMatchObject({ body: 'Later', sendAt, status: 'scheduled' });
    const list = await t.call('GET', `${base()}/conversations/${c}/scheduled-messages`, { token: w.token });
    expect(list.body.items.map((s: any) => s.id)).toEqual([made.body.scheduledMessage.id]);
    const past = await t.call('POST', `${base()}/conversations/${c}/scheduled-messages`, {
      token: w.token,
      body: { body: 'Before', sendAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(past.status).toBe(400);
    // The Admin has no scheduledMessages.manage.
    const admin = await t.call('DELETE', `${base()}/scheduled-messages/${made.body.scheduledMessage.id}`, {
      token: members.admin!.token,
    });
    expect(admin.status).toBe(403);
    expect(admin.body.error.permission).toBe('scheduledMessages.manage');
    const cancel = await t.call('DELETE', `${base()}/scheduled-messages/${made.body.scheduledMessage.id}`, {
      token: members.agent!.token,
    });
    expect(cancel.status, cancel.text).toBe(204);
    // A cancelled message stays, cancelled (never delivered: docs/scheduled-messages.md).
    const after = await t.call('GET', `${base()}/conversations/${c}/scheduled-messages`, { token: w.token });
    expect(after.body.items).toMatchObject([{ id: made.body.scheduledMessage.id, status: 'cancelled' }]);
  });

  it('deletes a conversation with its messages, audited', async () => {
    const c = await conversation(pub);
    await send(c, w.token);
    const del = await t.call('DELETE', `${base()}/conversations/${c}`, { token: members.agent!.token });
    expect(del.status, del.text).toBe(204);
    expect((await t.call('GET', `${base()}/conversations/${c}`, { token: w.token })).status).toBe(404);
    expect((await t.call('GET', `${base()}/conversations/${c}/messages`, { token: w.token })).status).toBe(404);
    const log = await t.call('GET', `${base()}/audit-log?limit=5`, { token: w.token });
    expect(log.body.items.map((e: any) => e.action)).toContain('conversation.delete');
  });
});

describe("the seed's sentences", () => {
  it('an Admin configures and sees private inboxes but cannot view or send messages', async () => {
    const c = await conversation(priv);
    const inboxes = await t.call('GET', `${base()}/inboxes?limit=100`, { token: members.admin!.token });
    expect(inboxes.body.items.map((i: any) => i.id)).toContain(priv);
    const view = await t.call('GET', `${base()}/conversations/${c}/messages`, { token: members.admin!.token });
    expect(view.status).toBe(403);
    expect(view.body.error.permission).toBe('messages.view');
    const list = await t.call('GET', `${base()}/inboxes/${priv}/conversations`, { token: members.admin!.token });
    expect(list.status).toBe(403);
    expect(list.body.error.permission).toBe('messages.view');
    const sent = await send(c, members.admin!.token);
    expect(sent.status).toBe(403);
    expect(sent.body.error.permission).toBe('messages.send');
    // ... and deletes conversations.
    expect((await t.call('DELETE', `${base()}/conversations/${c}`, { token: members.admin!.token })).status).toBe(204);
  });

  it('only the Owner deletes a single message', async () => {
    const c = await conversation(pub);
    const m = (await send(c, members.agent!.token)).body.message.id;
    for (const role of ['admin', 'manager', 'agent', 'member']) {
      const res = await t.call('DELETE', `${base()}/conversations/${c}/messages/${m}`, {
        token: members[role]!.token,
      });
      expect(res.status, role).toBe(403);
      expect(res.body.error.permission).toBe('messages.delete');
    }
    const del = await t.call('DELETE', `${base()}/conversations/${c}/messages/${m}`, { token: w.token });
    expect(del.status, del.text).toBe(204);
    const thread = await t.call('GET', `${base()}/conversations/${c}/messages`, { token: w.token });
    expect(thread.body.items).toEqual([]);
    const again = await t.call('DELETE', `${base()}/conversations/${c}/messages/${m}`, { token: w.token });
    expect(again.status).toBe(404);
  });

  it('a Member cannot delete a conversation', async () => {
    const c = await conversation(pub);
    const res = await t.call('DELETE', `${base()}/conversations/${c}`, { token: members.member!.token });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('conversations.delete');
  });

  it('an Agent cannot see a private inbox (404), a Manager can', async () => {
    const c = await conversation(priv);
    for (const [path, method] of [
      [`/inboxes/${priv}/conversations`, 'GET'],
      [`/conversations/${c}`, 'GET'],
      [`/conversations/${c}/messages`, 'GET'],
    ] as const) {
      expect((await t.call(method, `${base()}${path}`, { token: members.agent!.token })).status, path).toBe(404);
      expect((await t.call(method, `${base()}${path}`, { token: members.manager!.token })).status, path).toBe(200);
    }
    expect((await send(c, members.agent!.token)).status).toBe(404);
    expect((await send(c, members.manager!.token)).status).toBe(201);
    // Assigned to the private inbox, the Agent sees it.
    await t.call('PUT', `${base()}/members/${members.agent!.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [priv] },
    });
    expect((await send(c, members.agent!.token)).status).toBe(201);
    await t.call('PUT', `${base()}/members/${members.agent!.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [] },
    });
    expect((await send(c, members.agent!.token)).status).toBe(404);
  });
});

describe('scopes on real data', () => {
  let groupsRole: string;
  let assignedRole: string;
  let g: M;
  let s: M;
  let direct: string;
  let viaTeam: string;
  let elsewhere: string;
  let privElsewhere: string;
  let teamId: string;

  beforeAll(async () => {
    const work = ['messages.view', 'messages.send', 'comments.send', 'conversations.archive'];
    const mk = async (name: string, scope: string) => {
      const res = await t.call('POST', `${base()}/roles`, {
        token: w.token,
        body: { name, permissions: Object.fromEntries(work.map((p) => [p, scope])) },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    groupsRole = await mk('Group agent', 'groups');
    assignedRole = await mk('Restricted agent', 'assigned');
    g = await addMember(t, w.ws, groupsRole);
    s = await addMember(t, w.ws, assignedRole);
    direct = await inbox('Direct', 'public');
    viaTeam = await inbox('Team inbox', 'private');
    elsewhere = await inbox('Elsewhere', 'public');
    privElsewhere = await inbox('Private elsewhere', 'private');
    await t.call('PUT', `${base()}/members/${g.memberId}/inboxes`, { token: w.token, body: { inboxIds: [direct] } });
    const team = await t.call('POST', `${base()}/teams`, {
      token: w.token,
      body: { name: 'Scope team', memberIds: [g.memberId], inboxIds: [viaTeam] },
    });
    expect(team.status, team.text).toBe(201);
    teamId = team.body.id;
  });

  it('`groups` sees exactly the conversations of its inboxes and teams', async () => {
    const cs = {
      direct: await conversation(direct),
      viaTeam: await conversation(viaTeam),
      elsewhere: await conversation(elsewhere),
      privElsewhere: await conversation(privElsewhere),
    };
    const expected = { direct: 200, viaTeam: 200, elsewhere: 403, privElsewhere: 404 };
    for (const [k, id] of Object.entries(cs)) {
      const res = await t.call('GET', `${base()}/conversations/${id}`, { token: g.token });
      expect(res.status, k).toBe(expected[k as keyof typeof expected]);
      const sent = await send(id, g.token);
      expect(sent.status, k).toBe(
        expected[k as keyof typeof expected] === 200 ? 201 : expected[k as keyof typeof expected],
      );
    }
    for (const [inboxId, status] of [
      [direct, 200],
      [viaTeam, 200],
      [elsewhere, 403],
      [privElsewhere, 404],
    ] as const) {
      const list = await t.call('GET', `${base()}/inboxes/${inboxId}/conversations`, { token: g.token });
      expect(list.status).toBe(status);
    }
    // Assigned to them in an inbox outside their groups: `groups` ⊇ `assigned` reaches it.
    await assign(cs.elsewhere, g.memberId);
    expect((await t.call('GET', `${base()}/conversations/${cs.elsewhere}`, { token: g.token })).status).toBe(200);
  });

  it('`assigned` sees exactly its own', async () => {
    const mine = await conversation(pub);
    const notMine = await conversation(pub);
    const privMine = await conversation(privElsewhere);
    await assign(mine, s.memberId);
    // An assignee must be able to work in the inbox: a restricted agent reads public inboxes only.
    expect((await assign(privMine, s.memberId)).status).toBe(409);
    expect((await t.call('GET', `${base()}/conversations/${mine}`, { token: s.token })).status).toBe(200);
    expect((await send(mine, s.token)).status).toBe(201);
    const other = await t.call('GET', `${base()}/conversations/${notMine}`, { token: s.token });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ permission: 'messages.view', scope: 'all' });
    expect((await send(notMine, s.token)).status).toBe(403);
    expect((await t.call('GET', `${base()}/inboxes/${pub}/conversations`, { token: s.token })).status).toBe(403);
    const list = await t.call('GET', `${base()}/conversations?assignee=me`, { token: s.token });
    expect(list.body.items.map((c: any) => c.id)).toEqual([mine]);
  });

  it('a personal inbox is untouched by role restrictions', async () => {
    // A role holding nothing of the conversation section, and the Admin (no messages.view / send).
    const bare = await t.call('POST', `${base()}/roles`, {
      token: w.token,
      body: { name: 'Bare', permissions: { 'contacts.update': true } },
    });
    for (const who of [await addMember(t, w.ws, bare.body.id), members.admin!, s]) {
      const mine = await inbox(`Mine ${who.memberId}`, 'private', who.token, 'personal');
      const c = await conversation(mine, who.token, { subject: 'Note to self' });
      expect((await send(c, who.token)).status).toBe(201);
      const list = await t.call('GET', `${base()}/inboxes/${mine}/conversations`, { token: who.token });
      expect(list.body.items.map((x: any) => x.id)).toEqual([c]);
      const m = (await t.call('GET', `${base()}/conversations/${c}/messages`, { token: who.token })).body.items[0];
      expect((await assign(c, who.memberId, who.token)).status).toBe(200);
      expect(
        (await t.call('DELETE', `${base()}/conversations/${c}/messages/${m.id}`, { token: who.token })).status,
      ).toBe(204);
      expect((await t.call('POST', `${base()}/conversations/${c}/archive`, { token: who.token })).status).toBe(200);
      // Nobody else sees it, the Owner included.
      expect((await t.call('GET', `${base()}/conversations/${c}`, { token: w.token })).status).toBe(404);
      expect((await send(c, members.manager!.token)).status).toBe(404);
      // And nobody else can be its assignee.
      expect((await assign(c, members.manager!.memberId, who.token)).status).toBe(409);
      expect((await t.call('DELETE', `${base()}/conversations/${c}`, { token: who.token })).status).toBe(204);
    }
  });

  it('a role edit removing messages.send refuses the next send at once', async () => {
    const role = await t.call('POST', `${base()}/roles`, {
      token: w.token,
      body: { name: 'Editable', permissions: { 'messages.view': 'all', 'messages.send': 'all' } },
    });
    const who = await addMember(t, w.ws, role.body.id);
    const c = await conversation(pub);
    expect((await send(c, who.token)).status).toBe(201);
    const edit = await t.call('PATCH', `${base()}/roles/${role.body.id}`, {
      token: w.token,
      body: { permissions: { 'messages.send': false } },
    });
    expect(edit.status, edit.text).toBe(200);
    const refused = await send(c, who.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('messages.send');
  });

  it('removing a member from a team removes its `groups` reach at once for writes', async () => {
    const c = await conversation(viaTeam);
    expect((await send(c, g.token)).status).toBe(201);
    const team = await t.call('PATCH', `${base()}/teams/${teamId}`, { token: w.token, body: { memberIds: [] } });
    expect(team.status, team.text).toBe(200);
    // The private inbox reached only through the team is gone: 404.
    expect((await send(c, g.token)).status).toBe(404);
    expect((await t.call('POST', `${base()}/conversations/${c}/archive`, { token: g.token })).status).toBe(404);
  });
});
