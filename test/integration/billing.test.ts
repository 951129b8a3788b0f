// Seat billing over HTTP against DynamoDB Local: the seats endpoint, the reconciliation (POST
// /dev/reconcile runs the scheduled handler; its events land in the local EventBridge stand-in), the
// ledger, billing periods, and seat limits that hold under concurrency.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { db, GetCommand, tableName, UpdateCommand } from '../../shared/db/client';
import { invitationToken } from '../../shared/invitations/tokens';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { dynamoRequests } from '../fixtures/dynamo-calls';
import { expireInvitation } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

let seq = 0;
const email = () => `seat-${Date.now().toString(36)}-${seq++}@example.test`;
const reconcile = async (...workspaceIds: string[]) => {
  const res = await t.call('POST', '/dev/reconcile', { body: { workspaceIds } });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const events = async (ws: string) =>
  (await t.call('GET', `/dev/events?workspaceId=${ws}`)).body.items as { detailType: string; detail: any }[];
const ledger = async (ws: string, token: string) => {
  const res = await t.call('GET', `/v1/workspaces/${ws}/billing/ledger?limit=100`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.items as any[];
};
const seats = async (ws: string, token: string) => {
  const res = await t.call('GET', `/v1/workspaces/${ws}/billing/seats`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const counter = async (ws: string) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: { PK: `WS#${ws}`, SK: 'SEATS' }, ConsistentRead: true })))
    .Item;
const invite = (ws: string, token: string, to = email(), roleId = 'member') =>
  t.call('POST', `/v1/workspaces/${ws}/invitations`, { token, body: { email: to, roleId } });
async function acceptInvitation(ws: string, invitationId: string, to: string) {
  const item = (
    await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: `WS#${ws}`, SK: `INVITE#${invitationId}` },
        ConsistentRead: true,
      }),
    )
  ).Item!;
  const token = await t.api.issuer.sign({ sub: uniqueUser('joiner'), email: to, emailVerified: true });
  return t.call('POST', '/v1/invitations/accept', {
    token,
    body: { token: await invitationToken(ws, invitationId, item.nonce) },
  });
}

describe('GET billing/seats', () => {
  it('applies the Admin Seat Policy to the members, and explains it', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const admin = await addMember(t, ws, 'admin');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'member');
    expect(await seats(ws, token)).toMatchObject({
      seats: 4,
      admins: 1,
      freeAdminSeats: 0,
      paidSeats: 4,
      freeAdminMemberId: null,
      billedSeats: 0,
      lastReconciledAt: null,
      limit: { max: 50, used: 4 },
    });
    await addMember(t, ws, 'manager');
    const five = await seats(ws, token);
    expect(five).toMatchObject({
      seats: 5,
      admins: 1,
      freeAdminSeats: 1,
      paidSeats: 4,
      freeAdminMemberId: admin.memberId,
    });
    expect(five.explanation).toMatch(/one Admin seat is free/);
  });

  it('needs billing.manage', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    const agent = await addMember(t, ws, 'agent');
    const res = await t.call('GET', `/v1/workspaces/${ws}/billing/seats`, { token: agent.token });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', permission: 'billing.manage' });
    const admin = await addMember(t, ws, 'admin');
    expect((await t.call('GET', `/v1/workspaces/${ws}/billing/ledger`, { token: admin.token })).status).toBe(200);
  });
});

describe('reconciliation', () => {
  it('bills each change once: one ledger entry, one event, one audit entry per change; a rerun adds nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const admin = await addMember(t, ws, 'admin');
    const agents = [];
    for (let i = 0; i < 4; i++) agents.push(await addMember(t, ws, 'agent'));

    const first = await reconcile(ws);
    expect(first).toMatchObject({ checked: 1, changed: 1, failed: 0 });
    let entries = await ledger(ws, token);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ before: 0, after: 5, reason: 'initial', seats: 6, admins: 1 });
    expect(entries[0].freeAdminMemberId).toBe(admin.memberId);
    let evs = await events(ws);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ detailType: 'SeatsChanged' });
    expect(evs[0]!.detail).toMatchObject({
      workspaceId: ws,
      before: 0,
      after: 5,
      reason: 'initial',
      period: new Date().toISOString().slice(0, 7),
      idempotencyKey: entries[0].idempotencyKey,
    });
    expect(await seats(ws, token)).toMatchObject({ paidSeats: 5, billedSeats: 5 });

    // Nothing changed: nothing new.
    expect(await reconcile(ws)).toMatchObject({ checked: 1, changed: 0, failed: 0, driftRepaired: 0 });
    expect(await ledger(ws, token)).toHaveLength(1);
    expect(await events(ws)).toHaveLength(1);

    // Two members leave: 4 seats, under 5, the Admin is paid again → 4.
    for (const a of agents.slice(0, 2)) {
      expect((await t.call('DELETE', `/v1/workspaces/${ws}/members/${a.memberId}`, { token })).status).toBe(204);
    }
    expect(await reconcile(ws)).toMatchObject({ changed: 1 });
    entries = await ledger(ws, token);
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [5, 4],
      [0, 5],
    ]);
    expect(entries[0].reason).toBe('seats.decreased');
    evs = await events(ws);
    expect(evs.map((e) => e.detail.idempotencyKey).sort()).toEqual(entries.map((e) => e.idempotencyKey).sort());
    expect(entries.every((e) => e.publishedAt !== null)).toBe(true);

    const audit = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token });
    const billed = audit.body.items.filter((a: any) => a.action === 'billing.seats.change');
    expect(billed).toHaveLength(2);
    expect(billed.map((a: any) => a.after.idempotencyKey).sort()).toEqual(entries.map((e) => e.idempotencyKey).sort());

    // Paging the ledger.
    const page1 = await t.call('GET', `/v1/workspaces/${ws}/billing/ledger?limit=1`, { token });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await t.call('GET', `/v1/workspaces/${ws}/billing/ledger?limit=1&cursor=${page1.body.nextCursor}`, {
      token,
    });
    expect(page2.body.items[0].seq).toBe(1);
  });

  it('two overlapping runs write one entry and one event per change', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (let i = 0; i < 3; i++) await addMember(t, ws, 'agent');
    for (let round = 0; round < 3; round++) {
      await addMember(t, ws, 'agent');
      const runs = await Promise.all([reconcile(ws), reconcile(ws), reconcile(ws)]);
      expect(runs.reduce((n, r) => n + r.changed, 0)).toBe(1);
      expect(runs.flatMap((r) => r.failures)).toEqual([]);
      expect(await ledger(ws, token)).toHaveLength(round + 1);
      expect(await events(ws)).toHaveLength(round + 1);
    }
  });

  it('finds seat-counter drift, repairs it and reports it; a missing counter is recounted', async () => {
    const { ws } = await createWorkspace(t, 'basic');
    await addMember(t, ws, 'agent');
    expect((await invite(ws, (await createWorkspace(t)).token)).status).toBe(403); // not a member there
    const { token } = { token: (await addMember(t, ws, 'admin')).token };
    expect((await invite(ws, token)).status).toBe(201);
    expect((await counter(ws))?.seatsUsed).toBe(4);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: `WS#${ws}`, SK: 'SEATS' },
        UpdateExpression: 'SET seatsUsed = :n',
        ExpressionAttributeValues: { ':n': 1 },
      }),
    );
    const run = await reconcile(ws);
    expect(run).toMatchObject({ driftRepaired: 1, failed: 0 });
    expect(run.drift).toEqual([{ workspaceId: ws, before: 1, after: 4 }]);
    expect((await counter(ws))?.seatsUsed).toBe(4);
    expect(await reconcile(ws)).toMatchObject({ driftRepaired: 0 });
  });

  it('gives back the seat of an expired invitation; refreshing it takes a seat again', async () => {
    const { ws, token } = await createWorkspace(t, 'basic');
    const to = email();
    const inv = await invite(ws, token, to);
    expect(inv.status).toBe(201);
    expect((await counter(ws))?.seatsUsed).toBe(2);
    await expireInvitation(ws, inv.body.id);
    expect(await reconcile(ws)).toMatchObject({ expiredReleased: 1, driftRepaired: 0, failed: 0 });
    expect((await counter(ws))?.seatsUsed).toBe(1);
    // Resending (a refresh) takes a seat again; revoking then gives it back once.
    const again = await t.call('POST', `/v1/workspaces/${ws}/invitations/${inv.body.id}/resend`, { token });
    expect(again.status, again.text).toBe(200);
    expect((await counter(ws))?.seatsUsed).toBe(2);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/invitations/${inv.body.id}`, { token })).status).toBe(204);
    expect((await counter(ws))?.seatsUsed).toBe(1);
  });

  it('an invitation needing the seat of an expired one gets it without waiting for the schedule', async () => {
    const { ws, token } = await createWorkspace(t, 'basic');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await invite(ws, token)).body.id);
    expect((await invite(ws, token)).status).toBe(403);
    await expireInvitation(ws, ids[0]!);
    expect((await invite(ws, token)).status).toBe(201);
    expect((await counter(ws))?.seatsUsed).toBe(5);
  });

  it('the directory lists every workspace created over the API; one written without an entry is listed once backfilled', async () => {
    const { listWorkspaceIds, backfillWorkspaceDirectory } = await import('../../shared/workspaces/directory');
    const a = await createWorkspace(t, 'pro');
    const b = await createWorkspace(t, 'pro');
    for (let i = 0; i < 5; i++) await addMember(t, b.ws, 'agent');
    // b as a workspace written before the directory existed: its item has no entry.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: `WS#${b.ws}`, SK: 'META' },
        UpdateExpression: 'REMOVE GSI2PK, GSI2SK',
      }),
    );
    let listed = await listWorkspaceIds();
    expect(listed).toContain(a.ws);
    expect(listed).not.toContain(b.ws);

    expect(await backfillWorkspaceDirectory()).toContain(b.ws);
    expect(await backfillWorkspaceDirectory()).not.toContain(b.ws);
    listed = await listWorkspaceIds();
    expect(listed).toContain(b.ws);
    expect(listed.filter((id) => id === b.ws)).toHaveLength(1);
    expect(await reconcile(b.ws)).toMatchObject({ checked: 1, changed: 1 });
    expect(await ledger(b.ws, b.token)).toMatchObject([{ before: 0, after: 6, reason: 'initial' }]);
  });

  // Unscoped, the run walks every workspace the whole suite has made in the shared DynamoDB Local by then (thousands):
  // 30 s was not enough on a loaded 2-core machine.
  it('a run answers its report when nothing is scoped (every workspace, found through the directory, no Scan)', async () => {
    let res: { status: number; body: any } | undefined;
    const calls = await dynamoRequests(async () => {
      res = await t.call('POST', '/dev/reconcile');
    });
    if (!res) throw new Error('no answer');
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.command)).not.toContain('ScanCommand');
    expect(calls.filter((c) => c.index === 'GSI2').length).toBeGreaterThan(0);
    expect(res.body.checked).toBeGreaterThan(0);
    expect(res.body).toHaveProperty('driftRepaired');
    expect((await t.call('POST', '/dev/reconcile', { body: { workspaceIds: 'x' } })).status).toBe(400);
  }, 120_000);
});

describe('seat limits under concurrency', () => {
  for (const [n, k] of [
    [12, 4],
    [8, 1],
    [20, 7],
  ] as const) {
    it(`${n} concurrent invitations for the last ${k} seats: exactly ${k} succeed`, async () => {
      const plan = k + 1 > 5 ? 'pro' : 'basic';
      const max = plan === 'pro' ? 50 : 5;
      const { ws, token } = await createWorkspace(t, plan);
      for (let i = 0; i < max - k - 1; i++) await addMember(t, ws, 'member');
      const results = await Promise.all(Array.from({ length: n }, () => invite(ws, token)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(k);
      expect(statuses.filter((s) => s === 403)).toHaveLength(n - k);
      for (const r of results.filter((x) => x.status === 403)) {
        expect(r.body.error).toMatchObject({ code: 'plan_limit', limit: 'seats', max });
      }
      expect((await counter(ws))?.seatsUsed).toBe(max);
      expect(await reconcile(ws)).toMatchObject({ driftRepaired: 0, failed: 0 });
    });
  }

  it('a pro workspace with 1 member and 8 pending invitations cannot downgrade to basic; accepting keeps the limit', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const invites: { id: string; to: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const to = email();
      const res = await invite(ws, token, to);
      expect(res.status).toBe(201);
      invites.push({ id: res.body.id, to });
    }
    const down = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } });
    expect(down.status).toBe(409);
    expect(down.body.error).toMatchObject({ limit: 'seats', max: 5, current: 1, pendingInvitations: 8 });
    // Racing the downgrade with accepts never leaves more members than the plan it lands on allows.
    const raced = await Promise.all([
      t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } }),
      ...invites.map((i) => acceptInvitation(ws, i.id, i.to)),
    ]);
    expect(raced[0]!.status).toBe(409);
    expect(raced.slice(1).every((r) => r.status === 200)).toBe(true);
    expect(await seats(ws, token)).toMatchObject({ seats: 9, limit: { max: 50, used: 9 } });
  });

  it('an expired invitation does not hold up a downgrade', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await invite(ws, token)).body.id);
    expect((await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } })).status).toBe(409);
    await expireInvitation(ws, ids[0]!);
    const down = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan: 'basic' } });
    expect(down.status, down.text).toBe(200);
    expect((await counter(ws))?.seatsUsed).toBe(5);
    expect((await invite(ws, token)).body.error).toMatchObject({ code: 'plan_limit', limit: 'seats', max: 5 });
  });

  it('accepting is checked against the plan the workspace is on now', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const invites: { id: string; to: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const to = email();
      invites.push({ id: (await invite(ws, token, to)).body.id, to });
    }
    // A plan written around the rules (as a stale billing import might): 7 seats used on a 5-seat plan.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: `WS#${ws}`, SK: 'META' },
        UpdateExpression: 'SET planId = :p',
        ExpressionAttributeValues: { ':p': 'basic' },
      }),
    );
    const res = await acceptInvitation(ws, invites[0]!.id, invites[0]!.to);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'plan_limit', limit: 'seats', max: 5 });
  });
});

describe('billing periods', () => {
  it('lists seat-days per member (removed ones too), counts, billed quantity, ledger and a stable digest', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'pro');
    const admin = await addMember(t, ws, 'admin');
    const gone = await addMember(t, ws, 'agent');
    for (let i = 0; i < 3; i++) await addMember(t, ws, 'agent');
    await reconcile(ws);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/members/${gone.memberId}`, { token })).status).toBe(204);
    await reconcile(ws);

    const period = new Date().toISOString().slice(0, 7);
    const res = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/${period}`, { token });
    expect(res.status, res.text).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({ workspaceId: ws, period, complete: false, counts: { start: 0, peak: 6, end: 5 } });
    expect(s.members).toHaveLength(6);
    const row = (id: string) => s.members.find((r: any) => r.memberId === id);
    expect(row(gone.memberId)).toMatchObject({ roleId: 'agent', billing: 'paid', seatDays: 1 });
    expect(row(gone.memberId).leftAt).not.toBeNull();
    expect(row(admin.memberId)).toMatchObject({ billing: 'free' });
    expect(row(ownerMemberId)).toMatchObject({ roleId: 'owner', billing: 'paid', seatDays: 1 });
    expect(s.seatDays).toBe(6);
    expect(s.billedSeats).toBe(4);
    expect(s.ledger.map((e: any) => [e.before, e.after])).toEqual([
      [0, 5],
      [5, 4],
    ]);
    expect(s.digest).toMatch(/^[0-9a-f]{64}$/);
    const again = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/${period}`, { token });
    expect(again.body.digest).toBe(s.digest);
    await addMember(t, ws, 'member');
    const changed = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/${period}`, { token });
    expect(changed.body.digest).not.toBe(s.digest);

    // A month before the workspace existed: empty; not a month, or one not begun: 400.
    const before = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/2001-01`, { token });
    expect(before.body).toMatchObject({
      members: [],
      counts: { start: 0, peak: 0, end: 0 },
      billedSeats: 0,
      complete: true,
    });
    // Years below 100 are those years, not 1900 + year (Date.UTC's reading): the answer names the month asked for.
    const early = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/0042-03`, { token });
    expect(early.status, early.text).toBe(200);
    expect(early.body).toMatchObject({ period: '0042-03', start: '0042-03-01T00:00:00.000Z', members: [] });
    for (const bad of ['2025-13', '25-01', '2999-01', 'now']) {
      const r = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/${bad}`, { token });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });

  describe('a deactivation ends a seat interval like a removal', () => {
    afterEach(() => setClockForTests());
    const monthOf = (d: Date, back: number) =>
      new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
    const at = (month: string, day: number) => `${month}-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    const period = async (ws: string, token: string, p: string) => {
      const res = await t.call('GET', `/v1/workspaces/${ws}/billing/periods/${p}`, { token });
      expect(res.status, res.text).toBe(200);
      return res.body;
    };
    const backdate = (ws: string, memberId: string, joinedAt: string) =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { PK: `WS#${ws}`, SK: `MEMBER#${memberId}` },
          UpdateExpression: 'SET joinedAt = :j',
          ExpressionAttributeValues: { ':j': joinedAt },
        }),
      );

    it('periods keep the seat-days and peak it held, a closed period keeps its digest, and the gap before a reactivation is not billed', async () => {
      const { ws, token, ownerMemberId } = await createWorkspace(t, 'pro');
      const a = await addMember(t, ws, 'agent');
      const b = await addMember(t, ws, 'agent');
      const today = new Date();
      const [twoBack, lastMonth, current] = [monthOf(today, 2), monthOf(today, 1), monthOf(today, 0)];
      for (const id of [ownerMemberId, a.memberId, b.memberId]) await backdate(ws, id, at(twoBack, 10));
      const closedBefore = await period(ws, token, twoBack);
      expect(closedBefore.counts).toMatchObject({ peak: 3, end: 3 });

      // Last month: `a` deactivated on the 5th, reactivated on the 20th.
      setClockForTests(at(lastMonth, 5));
      const off = await t.call('POST', `/v1/workspaces/${ws}/members/${a.memberId}/deactivate`, { token });
      expect(off.status, off.text).toBe(200);
      setClockForTests(at(lastMonth, 20));
      const on = await t.call('POST', `/v1/workspaces/${ws}/members/${a.memberId}/reactivate`, { token });
      expect(on.status, on.text).toBe(200);
      setClockForTests();

      // The closed period two months back is as it was: same digest, same rows.
      const closedAfter = await period(ws, token, twoBack);
      expect(closedAfter.digest).toBe(closedBefore.digest);
      expect(closedAfter.seatDays).toBe(closedBefore.seatDays);
      // Last month: `a` billed the 1st-5th and the 20th-end, not the gap; one row; peak 3.
      const last = await period(ws, token, lastMonth);
      const [y, mo] = lastMonth.split('-').map(Number) as [number, number];
      const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      const rowsOfA = last.members.filter((r: any) => r.memberId === a.memberId);
      expect(rowsOfA).toHaveLength(1);
      expect(rowsOfA[0].seatDays).toBe(5 + (days - 20 + 1));
      expect(last.members.find((r: any) => r.memberId === b.memberId).seatDays).toBe(days);
      expect(last.counts).toMatchObject({ start: 3, peak: 3, end: 3 });

      // This month: `b` deactivated now keeps its day and its share of the peak (3, not 2).
      const currentBefore = await period(ws, token, current);
      expect(currentBefore.counts).toMatchObject({ peak: 3, end: 3 });
      const offB = await t.call('POST', `/v1/workspaces/${ws}/members/${b.memberId}/deactivate`, { token });
      expect(offB.status, offB.text).toBe(200);
      const currentAfter = await period(ws, token, current);
      expect(currentAfter.counts).toMatchObject({ start: 3, peak: 3, end: 2 });
      const rowB = currentAfter.members.find((r: any) => r.memberId === b.memberId);
      expect(rowB).toMatchObject({ seatDays: today.getUTCDate() });
      expect(rowB.leftAt).not.toBeNull();
      expect(currentAfter.seatDays).toBe(currentBefore.seatDays);
      // Last month (closed) is unchanged by this month's deactivation.
      expect((await period(ws, token, lastMonth)).digest).toBe(last.digest);
      // Removing the deactivated member later changes nothing either.
      expect((await t.call('DELETE', `/v1/workspaces/${ws}/members/${b.memberId}`, { token })).status).toBe(204);
      expect((await period(ws, token, current)).seatDays).toBe(currentBefore.seatDays);
      expect((await period(ws, token, lastMonth)).digest).toBe(last.digest);
    });
  });
});
