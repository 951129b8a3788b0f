// Moving or linking a resource changes who can reach it (issue 16, class 2), over HTTP against DynamoDB Local:
// - a conversation of a shared inbox never moves into a personal inbox (409 `shared_to_personal`): there it would
//   be "fully" its owner's, out of everyone else's reach, the Owner's included;
// - naming a resource by id in a write (a contact in a new conversation, a contact in the opt-out list) needs
//   seeing it, 404 otherwise, as reading it would be; the opt-out list shows only the contacts the reader sees;
// - a member who loses the reach of an inbox (its inboxes set, taken out of a team, its team deleted, its team's
//   inboxes changed: test/integration/team-inboxes.test.ts) loses the conversations assigned to it there that it can no longer work
//   in: they are released, audited, in the transaction that takes the reach.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
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

async function inbox(w: W, visibility: 'public' | 'private', token = w.token, kind = 'shared') {
  const res = await t.call('POST', `${base(w)}/inboxes`, { token, body: { name: `In ${kind}`, visibility, kind } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
async function conversation(w: W, inboxId: string, token = w.token, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', `${base(w)}/inboxes/${inboxId}/conversations`, { token, body });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation.id as string;
}
const move = (w: W, conv: string, inboxId: string, token: string) =>
  t.call('POST', `${base(w)}/conversations/${conv}/move`, { token, body: { inboxId } });

describe('a shared conversation never moves into a personal inbox', () => {
  it('an Agent cannot take a shared conversation into its personal inbox: the Owner keeps it and its messages', async () => {
    const w = await createWorkspace(t, 'pro', 'Moves');
    const agent = await addMember(t, w.ws, 'agent');
    const pub = await inbox(w, 'public');
    const conv = await conversation(w, pub);
    const sent = await t.call('POST', `${base(w)}/conversations/${conv}/messages`, {
      token: w.token,
      body: { body: 'From the Owner' },
    });
    expect(sent.status, sent.text).toBe(201);
    const mine = await inbox(w, 'private', agent.token, 'personal');

    const moved = await move(w, conv, mine, agent.token);
    expect(moved.status, moved.text).toBe(409);
    expect(moved.body.error.code).toBe('shared_to_personal');
    // Nothing changed: the Owner still reads it where it was, and the Agent still cannot delete the Owner's message.
    const got = await t.call('GET', `${base(w)}/conversations/${conv}`, { token: w.token });
    expect(got.status).toBe(200);
    expect(got.body.inboxId).toBe(pub);
    const del = await t.call('DELETE', `${base(w)}/conversations/${conv}/messages/${sent.body.message.id}`, {
      token: agent.token,
    });
    expect(del.status).toBe(403);
    expect(
      (await t.call('GET', `${base(w)}/conversations/${conv}/messages`, { token: w.token })).body.items,
    ).toHaveLength(1);

    // The Owner is bound alike: its own personal inbox is no place for a shared conversation.
    const ownerMine = await inbox(w, 'private', w.token, 'personal');
    expect((await move(w, conv, ownerMine, w.token)).status).toBe(409);
  });

  it("a personal conversation moves into a shared inbox by its owner's choice, never into someone else's personal inbox", async () => {
    const w = await createWorkspace(t, 'pro', 'Moves out');
    const agent = await addMember(t, w.ws, 'agent');
    const other = await addMember(t, w.ws, 'agent');
    const pub = await inbox(w, 'public');
    const mine = await inbox(w, 'private', agent.token, 'personal');
    const theirs = await inbox(w, 'private', other.token, 'personal');
    const conv = await conversation(w, mine, agent.token);
    // Another member's personal inbox does not exist for the mover.
    expect((await move(w, conv, theirs, agent.token)).status).toBe(404);
    expect((await move(w, conv, pub, agent.token)).status).toBe(200);
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: w.token })).body.inboxId).toBe(pub);
  });
});

/** A workspace with `contactsVisibility: private`, a public inbox and a contact only the Owner sees. */
async function privateContacts(name: string) {
  const w = await createWorkspace(t, 'pro', name);
  const set = await t.call('PATCH', base(w), { token: w.token, body: { settings: { contactsVisibility: 'private' } } });
  expect(set.status, set.text).toBe(200);
  const pub = await inbox(w, 'public');
  const made = await t.call('POST', `${base(w)}/contacts`, { token: w.token, body: { name: 'Hidden lead' } });
  expect(made.status, made.text).toBe(201);
  return { w, pub, hidden: made.body.id as string };
}

describe('naming a resource in a write needs seeing it', () => {
  it('a contact the caller cannot see is a 404 in a new conversation, and stays hidden from the inbox', async () => {
    const { w, pub, hidden } = await privateContacts('Contact links');
    const agent = await addMember(t, w.ws, 'agent');
    const other = await addMember(t, w.ws, 'agent');
    expect((await t.call('GET', `${base(w)}/contacts/${hidden}`, { token: agent.token })).status).toBe(404);

    const linked = await t.call('POST', `${base(w)}/inboxes/${pub}/conversations`, {
      token: agent.token,
      body: { contactId: hidden },
    });
    expect(linked.status, linked.text).toBe(404);
    expect(linked.body.error.code).toBe('not_found');
    // Nothing was linked: neither the caller nor anyone else in the inbox can read or edit the contact.
    for (const who of [agent, other]) {
      expect((await t.call('GET', `${base(w)}/contacts/${hidden}`, { token: who.token })).status).toBe(404);
      const edit = await t.call('PATCH', `${base(w)}/contacts/${hidden}`, { token: who.token, body: { name: 'x' } });
      expect(edit.status).toBe(404);
    }
    const listed = await t.call('GET', `${base(w)}/inboxes/${pub}/conversations`, { token: w.token });
    expect(listed.body.items).toEqual([]);

    // A contact the caller sees (its own) links as before, and the Owner links any.
    const own = await t.call('POST', `${base(w)}/contacts`, { token: agent.token, body: { name: 'Mine' } });
    await conversation(w, pub, agent.token, { contactId: own.body.id });
    await conversation(w, pub, w.token, { contactId: hidden });
    expect((await t.call('GET', `${base(w)}/contacts/${hidden}`, { token: other.token })).status).toBe(200);
  });

  it('the opt-out list shows only the contacts the reader sees, and a PUT names and removes only those', async () => {
    const { w, hidden } = await privateContacts('Opt-out links');
    // A custom role that keeps the opt-out list but sees only the contacts it made (none talked to an inbox).
    const role = await t.call('POST', `${base(w)}/roles`, {
      token: w.token,
      body: {
        name: 'Opt-out keeper',
        permissions: { 'optOuts.view': true, 'optOuts.manage': true, 'contacts.update': true },
      },
    });
    expect(role.status, role.text).toBe(201);
    const keeper = await addMember(t, w.ws, role.body.id);
    const own = (await t.call('POST', `${base(w)}/contacts`, { token: keeper.token, body: { name: 'Mine' } })).body
      .id as string;
    const put = await t.call('PUT', `${base(w)}/opt-outs`, { token: w.token, body: { contactIds: [hidden, own] } });
    expect(put.status, put.text).toBe(200);

    const read = await t.call('GET', `${base(w)}/opt-outs`, { token: keeper.token });
    expect(read.status).toBe(200);
    expect(read.body.contactIds).toEqual([own]);
    expect((await t.call('GET', `${base(w)}/opt-outs`, { token: w.token })).body.contactIds.sort()).toEqual(
      [hidden, own].sort(),
    );

    // Naming the hidden contact is a 404 (nothing written); replacing its own view keeps the hidden entry.
    const named = await t.call('PUT', `${base(w)}/opt-outs`, { token: keeper.token, body: { contactIds: [hidden] } });
    expect(named.status).toBe(404);
    const cleared = await t.call('PUT', `${base(w)}/opt-outs`, { token: keeper.token, body: { contactIds: [] } });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await t.call('GET', `${base(w)}/opt-outs`, { token: w.token })).body.contactIds).toEqual([hidden]);
  });
});

/** A private inbox, an Agent who reaches it (directly or through a team) and a conversation assigned to it there. */
async function assignedInPrivate(name: string) {
  const w = await createWorkspace(t, 'pro', name);
  const agent = await addMember(t, w.ws, 'agent');
  const vip = await inbox(w, 'private');
  const conv = await conversation(w, vip);
  return { w, agent, vip, conv };
}
const assign = async (w: W, conv: string, memberId: string) => {
  const res = await t.call('POST', `${base(w)}/conversations/${conv}/assign`, { token: w.token, body: { memberId } });
  expect(res.status, res.text).toBe(200);
};
async function team(w: W, memberIds: string[], inboxIds: string[]) {
  const res = await t.call('POST', `${base(w)}/teams`, {
    token: w.token,
    body: { name: 'VIP team', memberIds, inboxIds },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** The assignee no longer reads or replies, the conversation is unassigned, and the release is audited. */
async function expectReleased(w: W, agent: { token: string; memberId: string }, conv: string) {
  expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token })).status).toBe(404);
  const reply = await t.call('POST', `${base(w)}/conversations/${conv}/messages`, {
    token: agent.token,
    body: { body: 'Still here' },
  });
  expect(reply.status).toBe(404);
  const got = await t.call('GET', `${base(w)}/conversations/${conv}`, { token: w.token });
  expect(got.body.assigneeId).toBeNull();
  const mine = await t.call('GET', `${base(w)}/conversations?assignee=me`, { token: agent.token });
  expect(mine.body.items).toEqual([]);
  const audit = await t.call('GET', `${base(w)}/audit-log?limit=100`, { token: w.token });
  const unassigns = (audit.body.items as { action: string; target: { id: string }; after: unknown }[]).filter(
    (e) => e.action === 'conversation.unassign' && e.target.id === conv,
  );
  expect(unassigns).toEqual([
    expect.objectContaining({ after: { assigneeId: null, reason: 'assignee lost the inbox' } }),
  ]);
}

describe('losing the reach of an inbox releases what one was assigned there', () => {
  it('PUT .../members/{id}/inboxes without the private inbox', async () => {
    const { w, agent, vip, conv } = await assignedInPrivate('Reach by member inboxes');
    const put = (inboxIds: string[]) =>
      t.call('PUT', `${base(w)}/members/${agent.memberId}/inboxes`, { token: w.token, body: { inboxIds } });
    expect((await put([vip])).status).toBe(200);
    await assign(w, conv, agent.memberId);
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token })).status).toBe(200);

    const res = await put([]);
    expect(res.status, res.text).toBe(200);
    await expectReleased(w, agent, conv);
  });

  it('a member taken out of the team that reaches the inbox', async () => {
    const { w, agent, vip, conv } = await assignedInPrivate('Reach by team members');
    const teamId = await team(w, [agent.memberId], [vip]);
    await assign(w, conv, agent.memberId);
    const res = await t.call('PATCH', `${base(w)}/teams/${teamId}`, { token: w.token, body: { memberIds: [] } });
    expect(res.status, res.text).toBe(200);
    await expectReleased(w, agent, conv);
  });

  it("the member's team deleted; a member who still reaches the inbox another way keeps its assignment", async () => {
    const { w, agent, vip, conv } = await assignedInPrivate('Reach by team deletion');
    const other = await addMember(t, w.ws, 'agent');
    const kept = await conversation(w, vip);
    const teamId = await team(w, [agent.memberId, other.memberId], [vip]);
    const direct = await t.call('PUT', `${base(w)}/members/${other.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [vip] },
    });
    expect(direct.status).toBe(200);
    await assign(w, conv, agent.memberId);
    await assign(w, kept, other.memberId);
    const res = await t.call('DELETE', `${base(w)}/teams/${teamId}`, { token: w.token });
    expect(res.status, res.text).toBe(204);
    await expectReleased(w, agent, conv);
    expect((await t.call('GET', `${base(w)}/conversations/${kept}`, { token: other.token })).body.assigneeId).toBe(
      other.memberId,
    );
  });
});

/** A private inbox and a conversation assigned there to a member who sees it only through its role. */
async function assignedByRole(name: string, roleId: string) {
  const w = await createWorkspace(t, 'pro', name);
  const holder = await addMember(t, w.ws, roleId);
  const vip = await inbox(w, 'private');
  const conv = await conversation(w, vip);
  await assign(w, conv, holder.memberId);
  expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: holder.token })).status).toBe(200);
  return { w, holder, vip, conv };
}

describe('losing the reach of an inbox by a role or an inbox change releases what one was assigned there', () => {
  it("a member's role changed to one without inboxes.private.access (Manager to Agent)", async () => {
    const { w, holder, conv } = await assignedByRole('Reach by role change', 'manager');
    const res = await t.call('PATCH', `${base(w)}/members/${holder.memberId}`, {
      token: w.token,
      body: { roleId: 'agent' },
    });
    expect(res.status, res.text).toBe(200);
    await expectReleased(w, holder, conv);
  });

  it('a custom role edited so that its holders lose inboxes.private.access; a holder with direct reach keeps its own', async () => {
    const w = await createWorkspace(t, 'pro', 'Reach by role edit');
    const made = await t.call('POST', `${base(w)}/roles`, {
      token: w.token,
      body: {
        name: 'VIP desk',
        permissions: { 'messages.view': 'all', 'messages.send': 'all', 'inboxes.private.access': true },
      },
    });
    expect(made.status, made.text).toBe(201);
    const holder = await addMember(t, w.ws, made.body.id);
    const direct = await addMember(t, w.ws, made.body.id);
    const vip = await inbox(w, 'private');
    const conv = await conversation(w, vip);
    const kept = await conversation(w, vip);
    const put = await t.call('PUT', `${base(w)}/members/${direct.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [vip] },
    });
    expect(put.status, put.text).toBe(200);
    await assign(w, conv, holder.memberId);
    await assign(w, kept, direct.memberId);

    const edit = await t.call('PATCH', `${base(w)}/roles/${made.body.id}`, {
      token: w.token,
      body: { permissions: { 'inboxes.private.access': false } },
    });
    expect(edit.status, edit.text).toBe(200);
    await expectReleased(w, holder, conv);
    expect((await t.call('GET', `${base(w)}/conversations/${kept}`, { token: direct.token })).body.assigneeId).toBe(
      direct.memberId,
    );
  });

  it('an inbox turned private: an assignee who does not reach it loses its assignment, one who does keeps it', async () => {
    const w = await createWorkspace(t, 'pro', 'Reach by visibility');
    const agent = await addMember(t, w.ws, 'agent');
    const direct = await addMember(t, w.ws, 'agent');
    const pub = await inbox(w, 'public');
    const conv = await conversation(w, pub);
    const kept = await conversation(w, pub);
    const put = await t.call('PUT', `${base(w)}/members/${direct.memberId}/inboxes`, {
      token: w.token,
      body: { inboxIds: [pub] },
    });
    expect(put.status, put.text).toBe(200);
    await assign(w, conv, agent.memberId);
    await assign(w, kept, direct.memberId);

    const res = await t.call('PATCH', `${base(w)}/inboxes/${pub}`, { token: w.token, body: { visibility: 'private' } });
    expect(res.status, res.text).toBe(200);
    await expectReleased(w, agent, conv);
    expect((await t.call('GET', `${base(w)}/conversations/${kept}`, { token: direct.token })).body.assigneeId).toBe(
      direct.memberId,
    );
  });

  it('a company admin who is also a member keeps its assignments: it sees every inbox whatever its role or reach', async () => {
    const { w, agent, vip, conv } = await assignedInPrivate('Reach of a company admin');
    const put = (inboxIds: string[]) =>
      t.call('PUT', `${base(w)}/members/${agent.memberId}/inboxes`, { token: w.token, body: { inboxIds } });
    expect((await put([vip])).status).toBe(200);
    await assign(w, conv, agent.memberId);
    await makeCompanyAdmin(w, agent.userId, 'Reach Group');

    expect((await put([])).status).toBe(200);
    const got = await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token });
    expect(got.status).toBe(200);
    expect(got.body.assigneeId).toBe(agent.memberId);
    const audit = await t.call('GET', `${base(w)}/audit-log?limit=100`, { token: w.token });
    expect(
      (audit.body.items as { action: string; target: { id: string } }[]).filter(
        (e) => e.action === 'conversation.unassign' && e.target.id === conv,
      ),
    ).toEqual([]);
  });
});

describe('a role term ending releases what the role let one work in', () => {
  afterEach(() => setClockForTests());

  it('Manager until T, then Agent again: the grant sweep releases its assignment in the private inbox', async () => {
    const w = await createWorkspace(t, 'pro', 'Reach by role term');
    const agent = await addMember(t, w.ws, 'agent');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const term = await t.call('PATCH', `${base(w)}/members/${agent.memberId}`, {
      token: w.token,
      body: { roleId: 'manager', until: soon },
    });
    expect(term.status, term.text).toBe(200);
    const vip = await inbox(w, 'private');
    const conv = await conversation(w, vip);
    await assign(w, conv, agent.memberId);

    setClockForTests(Date.parse(soon) + 1);
    const swept = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
    expect(swept.status, swept.text).toBe(200);
    expect(swept.body).toMatchObject({ rolesReverted: 1, failed: 0 });
    await expectReleased(w, agent, conv);
  });
});

describe('a custom role deleted with its holders moved to a role that does not see the inbox', () => {
  it('DELETE .../roles/{id}?reassignTo=agent releases the holders assignments in the private inbox', async () => {
    const w = await createWorkspace(t, 'pro', 'Reach by role deletion');
    const made = await t.call('POST', `${base(w)}/roles`, {
      token: w.token,
      body: { name: 'VIP desk', permissions: { 'messages.view': 'all', 'inboxes.private.access': true } },
    });
    expect(made.status, made.text).toBe(201);
    const holder = await addMember(t, w.ws, made.body.id);
    const vip = await inbox(w, 'private');
    const conv = await conversation(w, vip);
    await assign(w, conv, holder.memberId);
    const del = await t.call('DELETE', `${base(w)}/roles/${made.body.id}?reassignTo=agent`, { token: w.token });
    expect(del.status, del.text).toBe(204);
    await expectReleased(w, holder, conv);
  });
});

describe('every change that takes the reach of an inbox releases what one was assigned there', () => {
  it('a grant of inboxes.private.access revoked before its end (DELETE .../grants/{id})', async () => {
    const w = await createWorkspace(t, 'pro', 'Reach by grant revoke');
    const agent = await addMember(t, w.ws, 'agent');
    const granted = await t.call('POST', `${base(w)}/members/${agent.memberId}/grants`, {
      token: w.token,
      body: {
        permissions: { 'inboxes.private.access': true },
        until: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'cover the VIP desk',
      },
    });
    expect(granted.status, granted.text).toBe(201);
    const vip = await inbox(w, 'private');
    const conv = await conversation(w, vip);
    await assign(w, conv, agent.memberId);
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token })).status).toBe(200);

    const revoked = await t.call('DELETE', `${base(w)}/members/${agent.memberId}/grants/${granted.body.id}`, {
      token: w.token,
    });
    expect(revoked.status, revoked.text).toBe(204);
    await expectReleased(w, agent, conv);
  });

  it('an access request for a role that does not see the inbox, approved (Manager asks to be an Agent)', async () => {
    const { w, holder, conv } = await assignedByRole('Reach by approved request', 'manager');
    const asked = await t.call('POST', `${base(w)}/access-requests`, {
      token: holder.token,
      body: { roleId: 'agent', reason: 'back to the queue' },
    });
    expect(asked.status, asked.text).toBe(201);
    const approved = await t.call('POST', `${base(w)}/access-requests/${asked.body.id}/approve`, { token: w.token });
    expect(approved.status, approved.text).toBe(200);
    expect((await t.call('GET', `${base(w)}/members/${holder.memberId}`, { token: w.token })).body.roleId).toBe(
      'agent',
    );
    await expectReleased(w, holder, conv);
  });
});

/** The Owner puts the workspace in a new organization and makes `userId` one of its company admins. */
async function makeCompanyAdmin(w: { ws: string; token: string }, userId: string, name: string): Promise<string> {
  const org = await t.call('POST', '/v1/organizations', { token: w.token, body: { name } });
  expect(org.status, org.text).toBe(201);
  expect((await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${w.ws}`, { token: w.token })).status).toBe(
    200,
  );
  const admin = await t.call('POST', `/v1/organizations/${org.body.id}/admins`, { token: w.token, body: { userId } });
  expect(admin.status, admin.text).toBe(201);
  return org.body.id;
}

describe('a company admin who is also a member works in every shared inbox', () => {
  it('the Owner assigns it a conversation of a private inbox it reaches by no role, team or inbox list', async () => {
    const { w, agent, conv } = await assignedInPrivate('Company admin assignee');
    await makeCompanyAdmin(w, agent.userId, 'Assign Group');
    // It reads the conversation already (the access loader's exemption): being its assignee is no more.
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token })).status).toBe(200);
    await assign(w, conv, agent.memberId);
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: agent.token })).body.assigneeId).toBe(
      agent.memberId,
    );
  });
});

describe('a company admin removed loses what only the exemption let it work in', () => {
  it('its assignment in a private inbox it reaches by no role, team or inbox list is released', async () => {
    const { w, agent, conv } = await assignedInPrivate('Company admin removed');
    const orgId = await makeCompanyAdmin(w, agent.userId, 'Removal Group');
    await assign(w, conv, agent.memberId);

    const removed = await t.call('DELETE', `/v1/organizations/${orgId}/admins/${agent.userId}`, {
      token: w.token,
    });
    expect(removed.status, removed.text).toBe(204);
    await expectReleased(w, agent, conv);
  });
});

describe('a role SCIM gives that does not see the inbox releases what the member was assigned there', () => {
  it("a provisioned Manager's roles value set to agent by the identity provider", async () => {
    const w = await createWorkspace(t, 'unlimited', 'Reach by SCIM role');
    const made = await t.call('POST', `${base(w)}/scim/tokens`, {
      token: w.token,
      body: { name: 'IdP', maxRoleId: 'admin' },
    });
    expect(made.status, made.text).toBe(201);
    const scim = (path: string, method: string, body: unknown) =>
      t.call(method, `${base(w)}/scim/v2${path}`, {
        token: made.body.token,
        body,
        headers: { 'content-type': 'application/scim+json' },
      });
    const email = `lead-${Date.now().toString(36)}@corp.test`;
    const provisioned = await scim('/Users', 'POST', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: email,
      emails: [{ primary: true, value: email, type: 'work' }],
      active: true,
      roles: [{ value: 'manager', primary: true }],
    });
    expect(provisioned.status, provisioned.text).toBe(201);
    // Signing in binds the provisioned member to the user.
    const holder = { memberId: provisioned.body.id as string, token: await t.token(`lead-${Date.now()}`, email) };
    const vip = await inbox(w, 'private');
    const conv = await conversation(w, vip);
    expect((await t.call('GET', '/v1/workspaces', { token: holder.token })).status).toBe(200);
    await assign(w, conv, holder.memberId);
    expect((await t.call('GET', `${base(w)}/conversations/${conv}`, { token: holder.token })).status).toBe(200);

    const changed = await scim(`/Users/${holder.memberId}`, 'PATCH', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'roles', value: [{ value: 'agent', primary: true }] }],
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await t.call('GET', `${base(w)}/members/${holder.memberId}`, { token: w.token })).body.roleId).toBe(
      'agent',
    );
    await expectReleased(w, holder, conv);
  });
});
