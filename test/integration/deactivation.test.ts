// Deactivation and reactivation (PRODUCT.md §10, issue 11): the authorizer refuses a deactivated member like a
// non-member at once (the test API's cache TTL is 0), its seat is given back, its API keys stop working, its
// assignments are released, and reactivation restores the same id and role within the plan's seats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, GetCommand, tableName } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { expireInvitation } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const seats = async (ws: string, token: string) => {
  const res = await t.call('GET', `/v1/workspaces/${ws}/billing/seats`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body as { seats: number; limit: { used: number } };
};

describe('deactivate / reactivate', () => {
  it('refuses the member everywhere at once, frees the seat, suspends its keys, releases assignments; reactivation restores id and role', async () => {
    const w = await createWorkspace(t, 'pro', 'Deactivation');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'admin');
    const inbox = await t.call('POST', `${base}/inboxes`, {
      token: w.token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    expect(inbox.status, inbox.text).toBe(201);
    const conv = await t.call('POST', `${base}/inboxes/${inbox.body.id}/conversations`, { token: w.token, body: {} });
    expect(conv.status, conv.text).toBe(201);
    const convId = conv.body.conversation.id as string;
    // An Admin cannot read messages (seed): assign to a member that works in the inbox instead.
    const worker = await addMember(t, w.ws, 'agent');
    expect(
      (
        await t.call('POST', `${base}/conversations/${convId}/assign`, {
          token: w.token,
          body: { memberId: worker.memberId },
        })
      ).status,
    ).toBe(200);
    // An Admin holds no apiKeys.manage (seed): the Owner grants it for an hour.
    const grant = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: w.token,
      body: {
        permissions: { 'apiKeys.manage': true },
        until: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'CRM sync',
      },
    });
    expect(grant.status, grant.text).toBe(201);
    const key = await t.call('POST', `${base}/api-keys`, {
      token: agent.token,
      body: { name: 'sync', roleId: 'member' },
    });
    expect(key.status, key.text).toBe(201);
    expect((await t.call('GET', `${base}/me`, { token: key.body.key })).status).toBe(200);

    const before = await seats(w.ws, w.token);
    const done = await t.call('POST', `${base}/members/${agent.memberId}/deactivate`, { token: w.token });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ id: agent.memberId, status: 'deactivated', roleId: 'admin' });
    // Reads and writes: the same answer as a non-member.
    const stranger = await t.token('stranger-of-deactivation');
    const notMember = await t.call('GET', `${base}/me`, { token: stranger });
    for (const [method, path, body] of [
      ['GET', `${base}/me`, undefined],
      ['GET', `${base}/members`, undefined],
      ['PATCH', base, { name: 'Taken over' }],
      ['POST', `${base}/invitations`, { email: 'x@example.test', roleId: 'member' }],
    ] as const) {
      const res = await t.call(method, path, { token: agent.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toEqual(notMember.body);
    }
    // Its API key stops working.
    expect((await t.call('GET', `${base}/me`, { token: key.body.key })).status).toBe(401);
    const after = await seats(w.ws, w.token);
    expect(after.seats).toBe(before.seats - 1);
    expect(after.limit.used).toBe(before.limit.used - 1);
    // Still listed, with its id and role.
    const got = await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token });
    expect(got.body).toMatchObject({ id: agent.memberId, roleId: 'admin', status: 'deactivated' });

    // The worker's deactivation releases its assignment.
    expect((await t.call('POST', `${base}/members/${worker.memberId}/deactivate`, { token: w.token })).status).toBe(
      200,
    );
    const c = await t.call('GET', `${base}/conversations/${convId}`, { token: w.token });
    expect(c.body.conversation?.assigneeId ?? c.body.assigneeId).toBeNull();
    // A deactivated member cannot be assigned.
    expect(
      (
        await t.call('POST', `${base}/conversations/${convId}/assign`, {
          token: w.token,
          body: { memberId: worker.memberId },
        })
      ).status,
    ).toBe(409);

    const back = await t.call('POST', `${base}/members/${agent.memberId}/reactivate`, { token: w.token });
    expect(back.status, back.text).toBe(200);
    expect(back.body).toMatchObject({ id: agent.memberId, roleId: 'admin', status: 'active' });
    const me = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(me.status).toBe(200);
    expect(me.body.member.id).toBe(agent.memberId);
    expect(me.body.role.id).toBe('admin');
    // Its keys stay suspended (listed as such): the reactivator may not be able to grant their roles.
    expect((await t.call('GET', `${base}/me`, { token: key.body.key })).status).toBe(401);
    const keys = await t.call('GET', `${base}/api-keys`, { token: w.token });
    expect(keys.body.items).toEqual([expect.objectContaining({ id: key.body.id, suspended: true })]);
    expect((await seats(w.ws, w.token)).seats).toBe(after.seats);

    const audit = await t.call('GET', `${base}/audit-log?limit=100`, { token: w.token });
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['member.deactivate', 'member.reactivate', 'conversation.unassign']),
    );
  });

  it('never the Owner, never yourself, needs teammates.manage; an unknown member is 404', async () => {
    const w = await createWorkspace(t, 'pro', 'Deactivation rules');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const manager = await addMember(t, w.ws, 'manager');
    const owner = await t.call('POST', `${base}/members/${w.ownerMemberId}/deactivate`, { token: admin.token });
    expect(owner.status).toBe(403);
    expect(owner.body.error.message).toMatch(/Owner/);
    expect((await t.call('POST', `${base}/members/${admin.memberId}/deactivate`, { token: admin.token })).status).toBe(
      403,
    );
    // A Manager holds no teammates.manage: the route refuses.
    const byManager = await t.call('POST', `${base}/members/${admin.memberId}/deactivate`, { token: manager.token });
    expect(byManager.status).toBe(403);
    expect(byManager.body.error.permission).toBe('teammates.manage');
    expect((await t.call('POST', `${base}/members/mem_nobody/deactivate`, { token: w.token })).status).toBe(404);
  });

  it('removing a deactivated member does not give its seat back twice', async () => {
    const w = await createWorkspace(t, 'pro', 'Remove deactivated');
    const base = `/v1/workspaces/${w.ws}`;
    const m = await addMember(t, w.ws, 'member');
    const start = await seats(w.ws, w.token);
    expect((await t.call('POST', `${base}/members/${m.memberId}/deactivate`, { token: w.token })).status).toBe(200);
    expect((await t.call('DELETE', `${base}/members/${m.memberId}`, { token: w.token })).status).toBe(204);
    const end = await seats(w.ws, w.token);
    expect(end.limit.used).toBe(start.limit.used - 1);
    expect(end.seats).toBe(start.seats - 1);
  });

  /** A basic workspace (5 seats) whose member `a` is deactivated and whose freed seat an invitation took: 5 of 5. */
  async function fullWithDeactivated(name: string, invitee: string) {
    const w = await createWorkspace(t, 'basic', name);
    const base = `/v1/workspaces/${w.ws}`;
    const a = await addMember(t, w.ws, 'member');
    for (let i = 0; i < 3; i++) await addMember(t, w.ws, 'member');
    expect((await t.call('POST', `${base}/members/${a.memberId}/deactivate`, { token: w.token })).status).toBe(200);
    const inv = await t.call('POST', `${base}/invitations`, {
      token: w.token,
      body: { email: invitee, roleId: 'member' },
    });
    expect(inv.status, inv.text).toBe(201);
    return { w, base, a, inv };
  }

  it('reactivation needs a free seat', async () => {
    const { w, base, a, inv } = await fullWithDeactivated('Seats', 'last-seat@example.test');
    const refused = await t.call('POST', `${base}/members/${a.memberId}/reactivate`, { token: w.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'plan_limit', limit: 'seats' });
    expect((await t.call('DELETE', `${base}/invitations/${inv.body.id}`, { token: w.token })).status).toBe(204);
    expect((await t.call('POST', `${base}/members/${a.memberId}/reactivate`, { token: w.token })).status).toBe(200);
  });

  it('reactivation gets the seat an expired invitation still holds, as an invitation would (one seat rule)', async () => {
    const { w, base, a, inv } = await fullWithDeactivated('Expired seat', 'expired-seat@example.test');
    // The invitation expires; nothing has given its seat back yet (5 of 5 on the counter).
    await expireInvitation(w.ws, inv.body.id);
    const back = await t.call('POST', `${base}/members/${a.memberId}/reactivate`, { token: w.token });
    expect(back.status, back.text).toBe(200);
    expect(back.body).toMatchObject({ id: a.memberId, status: 'active' });
    const counter = await db.send(
      new GetCommand({ TableName: tableName, Key: { PK: `WS#${w.ws}`, SK: 'SEATS' }, ConsistentRead: true }),
    );
    expect(counter.Item?.seatsUsed).toBe(5);
    const invitations = await t.call('GET', `${base}/invitations`, { token: w.token });
    expect(invitations.body.items.find((i: { id: string }) => i.id === inv.body.id)?.status).toBe('expired');
  });
});
