// The second release pass (over HTTP, DynamoDB Local, the injected clock; sweeps scoped to this file's workspaces):
// a deactivation releases the member's conversations through GSI1, which real DynamoDB updates eventually, so an
// assignment committed an instant before can be missed. DynamoDB Local's indexes are synchronous, so the miss is
// simulated: the assignment is written straight to the table after the deactivation, as an index lag would leave
// it. The deactivation's release marker (GSI2 `RELEASE#<shard>`) has the grant sweep release it, audited, and the
// marker goes after a pass that finds nothing once the safety margin is over; reactivation and removal delete it.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { getConversation, replaceConversation } from '../../shared/conversations/repository';
import { db, tableName } from '../../shared/db/client';
import { getItem } from '../../shared/db/ops';
import { RELEASE_SAFETY_MARGIN_MS } from '../../shared/grants/sweep';
import { RELEASE_SHARDS, releaseDuePk, releaseMarkerItem, releaseMarkerKey } from '../../shared/members/keys';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterEach(() => setClockForTests());
afterAll(async () => {
  await t.stop();
});

/** The workspace's release markers as the sweep finds them: GSI2SK of each entry in the RELEASE shards. */
async function indexedMarkers(ws: string): Promise<string[]> {
  const out: string[] = [];
  for (let shard = 0; shard < RELEASE_SHARDS; shard++) {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        FilterExpression: 'PK = :ws',
        ExpressionAttributeValues: { ':pk': releaseDuePk(shard), ':ws': `WS#${ws}` },
      }),
    );
    for (const item of res.Items ?? []) out.push(String(item.GSI2SK));
  }
  return out;
}

const marker = (ws: string, memberId: string) => getItem<Record<string, unknown>>(releaseMarkerKey(ws, memberId), true);

const sweep = async (ws: string) => {
  const res = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [ws] } });
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, unknown>;
};

/** A workspace with a public shared inbox, one conversation in it and an Agent who works there. */
async function setup(label: string) {
  const w = await createWorkspace(t, 'pro', label);
  const base = `/v1/workspaces/${w.ws}`;
  const inbox = await t.call('POST', `${base}/inboxes`, {
    token: w.token,
    body: { name: 'Support', visibility: 'public', kind: 'shared' },
  });
  expect(inbox.status, inbox.text).toBe(201);
  const conv = await t.call('POST', `${base}/inboxes/${inbox.body.id}/conversations`, { token: w.token, body: {} });
  expect(conv.status, conv.text).toBe(201);
  const worker = await addMember(t, w.ws, 'agent');
  return { ...w, base, convId: conv.body.conversation.id as string, worker };
}

const assigneeOf = async (s: { base: string; token: string; convId: string }) => {
  const res = await t.call('GET', `${s.base}/conversations/${s.convId}`, { token: s.token });
  expect(res.status, res.text).toBe(200);
  return (res.body.conversation?.assigneeId ?? res.body.assigneeId) as string | null;
};

/** Writes the assignment as a commit the deactivation's GSI1 read did not see yet would have left it. */
async function assignBehindTheRelease(ws: string, convId: string, memberId: string) {
  const before = (await getConversation(ws, convId))!;
  await replaceConversation(before, { ...before, assigneeId: memberId, version: before.version + 1 }, []);
}

describe('release of a deactivated member, second pass by the grant sweep', () => {
  it('releases an assignment the first pass missed, audited, and drops the marker after a clean pass past the margin', async () => {
    const s = await setup('Release sweep');
    const done = await t.call('POST', `${s.base}/members/${s.worker.memberId}/deactivate`, { token: s.token });
    expect(done.status, done.text).toBe(200);
    const m = await marker(s.ws, s.worker.memberId);
    expect(m).toMatchObject({ entity: 'ReleaseDue', memberId: s.worker.memberId });
    const deactivatedAt = String(m?.deactivatedAt);
    expect(await indexedMarkers(s.ws)).toEqual([`${deactivatedAt}#${s.ws}#${s.worker.memberId}`]);

    await assignBehindTheRelease(s.ws, s.convId, s.worker.memberId);
    expect(await assigneeOf(s)).toBe(s.worker.memberId);

    setClockForTests(Date.parse(deactivatedAt) + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0, failures: [] });
    expect(await assigneeOf(s)).toBeNull();
    const audit = await t.call('GET', `${s.base}/audit-log?limit=100`, { token: s.token });
    const unassigns = (
      audit.body.items as { action: string; target: { id: string }; actor: unknown; after: unknown }[]
    ).filter((e) => e.action === 'conversation.unassign' && e.target.id === s.convId);
    expect(unassigns).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ memberId: null, userId: null }),
        after: { assigneeId: null, reason: 'assignee deactivated' },
      }),
    ]);
    // That pass found something: the marker stays for another.
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();

    // A clean pass within the margin keeps it too: the index may still be catching up.
    setClockForTests(Date.parse(deactivatedAt) + RELEASE_SAFETY_MARGIN_MS - 1);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();

    setClockForTests(Date.parse(deactivatedAt) + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
    expect(await indexedMarkers(s.ws)).toEqual([]);
    // One audit entry for the one release: later passes wrote none.
    const after = await t.call('GET', `${s.base}/audit-log?limit=100`, { token: s.token });
    expect(
      (after.body.items as { action: string; target: { id: string } }[]).filter(
        (e) => e.action === 'conversation.unassign' && e.target.id === s.convId,
      ),
    ).toHaveLength(1);
  });

  it('reactivation removes the marker; the sweep then leaves the member assigned', async () => {
    const s = await setup('Release sweep reactivation');
    expect((await t.call('POST', `${s.base}/members/${s.worker.memberId}/deactivate`, { token: s.token })).status).toBe(
      200,
    );
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();
    const back = await t.call('POST', `${s.base}/members/${s.worker.memberId}/reactivate`, { token: s.token });
    expect(back.status, back.text).toBe(200);
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
    expect(await indexedMarkers(s.ws)).toEqual([]);
    const assigned = await t.call('POST', `${s.base}/conversations/${s.convId}/assign`, {
      token: s.token,
      body: { memberId: s.worker.memberId },
    });
    expect(assigned.status, assigned.text).toBe(200);
    setClockForTests(Date.now() + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
  });

  it('a marker whose member is active is stale: the sweep deletes it and releases nothing', async () => {
    const s = await setup('Release sweep stale marker');
    const assigned = await t.call('POST', `${s.base}/conversations/${s.convId}/assign`, {
      token: s.token,
      body: { memberId: s.worker.memberId },
    });
    expect(assigned.status, assigned.text).toBe(200);
    const at = new Date().toISOString();
    await db.send(new PutCommand({ TableName: tableName, Item: releaseMarkerItem(s.ws, s.worker.memberId, at) }));
    expect(await indexedMarkers(s.ws)).toHaveLength(1);
    setClockForTests(Date.parse(at) + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
  });

  it("removing a deactivated member deletes its marker with the member's items", async () => {
    const s = await setup('Release sweep removal');
    expect((await t.call('POST', `${s.base}/members/${s.worker.memberId}/deactivate`, { token: s.token })).status).toBe(
      200,
    );
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();
    const removed = await t.call('DELETE', `${s.base}/members/${s.worker.memberId}`, { token: s.token });
    expect(removed.status, removed.text).toBe(204);
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
    expect(await indexedMarkers(s.ws)).toEqual([]);
  });
});
