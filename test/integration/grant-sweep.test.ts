// The grant sweep finds what is due through the sparse grant-expiry index (GSI2), never by scanning the table:
// every write of a member's grants or role term (grant, revoke, role with `until`, a permanent role change,
// approval of an access request, the sweep itself) sets, moves or removes the member's index entry in the same
// update, so the sweep reads exactly the members whose nearest end has come (over HTTP, DynamoDB Local, the
// injected clock; sweeps scoped to this file's workspaces, which other test files never touch).
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { db, QueryCommand, tableName } from '../../shared/db/client';
import { GRANT_EXPIRY_SHARDS, grantExpiryPk } from '../../shared/table/members/keys';
import { addMember, createWorkspace, testApiForFile } from '../fixtures/api';
import { dynamoRequests } from '../fixtures/dynamo-calls';

const t = testApiForFile({ resetClock: true });

const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

/** The workspace's entries in the grant-expiry index, member id → GSI2SK (read straight from the index). */
async function indexed(ws: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let shard = 0; shard < GRANT_EXPIRY_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          FilterExpression: 'PK = :ws',
          ExpressionAttributeValues: { ':pk': grantExpiryPk(shard), ':ws': `WS#${ws}` },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.set(String(item.SK).slice('MEMBER#'.length), String(item.GSI2SK));
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return out;
}

async function expiredAudits(ws: string, token: string) {
  const res = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as { action: string; target: { id: string }; before: Record<string, unknown> }[]).filter(
    (e) => e.action === 'grant.expired',
  );
}

describe('grant sweep through the grant-expiry index', () => {
  it('finds exactly the members whose grants or term ended, ignores future ones, and issues no Scan', async () => {
    const w = await createWorkspace(t, 'pro', 'Sweep index');
    const base = `/v1/workspaces/${w.ws}`;
    const soon = at(Date.now() + HOUR);
    const later = at(Date.now() + 3 * HOUR);
    const grant = async (
      memberId: string,
      until: string,
      permissions: Record<string, unknown> = { 'logs.export': true },
    ) => {
      const res = await t.call('POST', `${base}/members/${memberId}/grants`, {
        token: w.token,
        body: { permissions, until, reason: 'sweep test' },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };

    const ends = await addMember(t, w.ws, 'agent'); // one grant ending soon
    const future = await addMember(t, w.ws, 'agent'); // one grant ending later
    const term = await addMember(t, w.ws, 'agent'); // manager until soon
    const both = await addMember(t, w.ws, 'agent'); // a grant ending soon and one ending later
    const revoked = await addMember(t, w.ws, 'agent'); // a grant, revoked
    const madePermanent = await addMember(t, w.ws, 'agent'); // a term, then a permanent change
    const approved = await addMember(t, w.ws, 'agent'); // a grant through an approved access request
    const plain = await addMember(t, w.ws, 'agent'); // never any

    const endsGrant = await grant(ends.memberId, soon);
    await grant(future.memberId, later);
    const patched = await t.call('PATCH', `${base}/members/${term.memberId}`, {
      token: w.token,
      body: { roleId: 'manager', until: soon },
    });
    expect(patched.status, patched.text).toBe(200);
    // The later one first: the entry follows the nearest end, whichever order they came in.
    await grant(both.memberId, later, { 'analytics.view': true });
    const bothSoon = await grant(both.memberId, soon);
    const revokedGrant = await grant(revoked.memberId, soon);
    expect(
      (await t.call('DELETE', `${base}/members/${revoked.memberId}/grants/${revokedGrant}`, { token: w.token })).status,
    ).toBe(204);
    for (const body of [{ roleId: 'manager', until: soon }, { roleId: 'manager' }]) {
      const res = await t.call('PATCH', `${base}/members/${madePermanent.memberId}`, { token: w.token, body });
      expect(res.status, res.text).toBe(200);
    }
    const asked = await t.call('POST', `${base}/access-requests`, {
      token: approved.token,
      body: { permissions: { 'logs.export': true }, until: soon, reason: 'sweep test' },
    });
    expect(asked.status, asked.text).toBe(201);
    const ok = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: w.token });
    expect(ok.status, ok.text).toBe(200);

    const key = (memberId: string, until: string) => `${until}#${w.ws}#${memberId}`;
    expect(await indexed(w.ws)).toEqual(
      new Map([
        [ends.memberId, key(ends.memberId, soon)],
        [future.memberId, key(future.memberId, later)],
        [term.memberId, key(term.memberId, soon)],
        [both.memberId, key(both.memberId, soon)],
        [approved.memberId, key(approved.memberId, soon)],
      ]),
    );
    expect((await indexed(w.ws)).has(plain.memberId)).toBe(false);

    // Just before the end: nothing is due.
    setClockForTests(Date.parse(soon) - 1);
    const early = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
    expect(early.body).toMatchObject({ checked: 0, expired: 0, failed: 0 });

    setClockForTests(Date.parse(soon) + 1);
    let report: Record<string, unknown> = {};
    const calls = await dynamoRequests(async () => {
      const res = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
      expect(res.status, res.text).toBe(200);
      report = res.body;
    });
    expect(report).toEqual({
      checked: 4,
      expired: 4,
      rolesReverted: 1,
      assignmentsReleased: 0,
      failed: 0,
      failures: [],
    });
    expect(calls.some((c) => c.command === 'ScanCommand')).toBe(false);
    const queries = calls.filter((c) => c.command === 'QueryCommand');
    expect(queries.length).toBeGreaterThanOrEqual(GRANT_EXPIRY_SHARDS);
    // The due index only, but for the member whose Manager term ended: its assignments (GSI1), which a role that
    // no longer sees an inbox releases (reach-changes.test.ts); ended grants of logs.export/analytics take no reach.
    expect(queries.filter((q) => q.index !== 'GSI2').map((q) => q.index)).toEqual(['GSI1']);
    // One consistent re-read per due member, nothing for the others; the workspace once, for that release.
    expect(calls.filter((c) => c.command === 'GetItemCommand')).toHaveLength(5);

    const audits = await expiredAudits(w.ws, w.token);
    expect(audits.map((e) => e.target.id).sort()).toEqual(
      [ends.memberId, term.memberId, both.memberId, approved.memberId].sort(),
    );
    expect(audits.find((e) => e.target.id === ends.memberId)?.before).toMatchObject({ grantId: endsGrant });
    expect(audits.find((e) => e.target.id === both.memberId)?.before).toMatchObject({ grantId: bothSoon });
    expect(audits.find((e) => e.target.id === term.memberId)?.before).toMatchObject({ roleId: 'manager' });
    const termMember = await t.call('GET', `${base}/members/${term.memberId}`, { token: w.token });
    expect(termMember.body).toMatchObject({ roleId: 'agent' });
    const futureMember = await t.call('GET', `${base}/members/${future.memberId}`, { token: w.token });
    expect(futureMember.body.grants).toHaveLength(1);

    // What is left in the index: the later grants only, keyed by their end.
    expect(await indexed(w.ws)).toEqual(
      new Map([
        [future.memberId, key(future.memberId, later)],
        [both.memberId, key(both.memberId, later)],
      ]),
    );
    expect((await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } })).body).toMatchObject({
      checked: 0,
      expired: 0,
    });

    // The later ones go when their time comes, and the index is empty after.
    setClockForTests(Date.parse(later));
    expect((await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } })).body).toMatchObject({
      checked: 2,
      expired: 2,
      failed: 0,
    });
    expect((await indexed(w.ws)).size).toBe(0);
  });

  it('scoped to some workspaces, leaves the others alone', async () => {
    const a = await createWorkspace(t, 'pro', 'Sweep scope A');
    const b = await createWorkspace(t, 'pro', 'Sweep scope B');
    const until = at(Date.now() + HOUR);
    const members = await Promise.all([a, b].map((w) => addMember(t, w.ws, 'agent')));
    for (const [i, w] of [a, b].entries()) {
      const res = await t.call('POST', `/v1/workspaces/${w.ws}/members/${members[i]!.memberId}/grants`, {
        token: w.token,
        body: { permissions: { 'logs.export': true }, until, reason: 'scope' },
      });
      expect(res.status, res.text).toBe(201);
    }
    setClockForTests(Date.parse(until) + 1);
    const onlyA = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [a.ws] } });
    expect(onlyA.body).toMatchObject({ checked: 1, expired: 1, failed: 0 });
    expect((await indexed(a.ws)).size).toBe(0);
    expect([...(await indexed(b.ws)).keys()]).toEqual([members[1]!.memberId]);
    expect(await expiredAudits(b.ws, b.token)).toHaveLength(0);
    const thenB = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [b.ws] } });
    expect(thenB.body).toMatchObject({ checked: 1, expired: 1, failed: 0 });
  });
});
