// The release of a member's conversations when it is deactivated or removed, and its second pass (over HTTP,
// DynamoDB Local, the injected clock; sweeps scoped to this file's workspaces): the first pass finds the member's
// conversations through GSI1, which real DynamoDB updates eventually, so an assignment committed an instant before
// can be missed. DynamoDB Local's indexes are synchronous, so the miss is simulated: the assignment is written
// straight to the table after the deactivation or removal, as an index lag would leave it. The release marker
// (GSI2 `RELEASE#<shard>`) has the grant sweep release it, audited, and the marker goes after a pass that finds
// nothing once the safety margin is over; reactivation deletes it, removal replaces it with its own. Races between
// an assignment and the removal are forced by holding one's transaction until the other has committed
// (test/fixtures/dynamo-hold.ts).
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { getConversation, replaceConversation } from '../../shared/conversations/repository';
import { db, dynamoInterceptors, type Interceptor, PutCommand, QueryCommand, tableName } from '../../shared/db/client';
import { getItem } from '../../shared/db/ops';
import { RELEASE_SAFETY_MARGIN_MS } from '../../shared/jobs/release-pass';
import { RELEASE_SHARDS, releaseDuePk, releaseMarkerItem, releaseMarkerKey } from '../../shared/table/members/keys';
import { addMember, createWorkspace, testApiForFile } from '../fixtures/api';
import { holdTransactions } from '../fixtures/dynamo-hold';

const t = testApiForFile({ resetClock: true });

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
  return { ...w, base, inboxId: inbox.body.id as string, convId: conv.body.conversation.id as string, worker };
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

  it.each(['deactivated', 'removed'] as const)(
    'a %s marker whose member is active is stale: the sweep deletes it and releases nothing',
    async (departure) => {
      const s = await setup(`Release sweep stale ${departure} marker`);
      const assigned = await t.call('POST', `${s.base}/conversations/${s.convId}/assign`, {
        token: s.token,
        body: { memberId: s.worker.memberId },
      });
      expect(assigned.status, assigned.text).toBe(200);
      const at = new Date().toISOString();
      await db.send(
        new PutCommand({ TableName: tableName, Item: releaseMarkerItem(s.ws, s.worker.memberId, departure, at) }),
      );
      expect(await indexedMarkers(s.ws)).toHaveLength(1);
      setClockForTests(Date.parse(at) + 1_000);
      expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
      expect(await assigneeOf(s)).toBe(s.worker.memberId);
      expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
    },
  );
});

type Setup = Awaited<ReturnType<typeof setup>>;
type AuditItem = { action: string; target: { id: string }; actor: { memberId: string | null }; after: unknown };

/** The unassign entries of a conversation, oldest first. */
async function unassignsOf(s: Setup, convId: string): Promise<AuditItem[]> {
  const audit = await t.call('GET', `${s.base}/audit-log?limit=100`, { token: s.token });
  expect(audit.status, audit.text).toBe(200);
  return (audit.body.items as AuditItem[])
    .filter((e) => e.action === 'conversation.unassign' && e.target.id === convId)
    .reverse();
}

const assign = (s: Setup, convId: string, memberId: string) =>
  t.call('POST', `${s.base}/conversations/${convId}/assign`, { token: s.token, body: { memberId } });
const remove = (s: Setup, memberId: string) => t.call('DELETE', `${s.base}/members/${memberId}`, { token: s.token });
const removed = { assigneeId: null, reason: 'assignee removed' };

describe('removing a member releases its conversations', () => {
  it('puts them back in the unassigned queue at once, audited, and leaves a marker the sweep finishes with', async () => {
    const s = await setup('Removal release');
    const second = await t.call('POST', `${s.base}/inboxes/${s.inboxId}/conversations`, {
      token: s.token,
      body: {},
    });
    expect(second.status, second.text).toBe(201);
    const convs = [s.convId, second.body.conversation.id as string];
    for (const c of convs) expect((await assign(s, c, s.worker.memberId)).status).toBe(200);

    const gone = await remove(s, s.worker.memberId);
    expect(gone.status, gone.text).toBe(204);
    for (const c of convs) {
      expect(await assigneeOf({ ...s, convId: c })).toBeNull();
      // Released by the Owner's request, with the reason.
      expect(await unassignsOf(s, c)).toEqual([
        expect.objectContaining({ actor: expect.objectContaining({ memberId: s.ownerMemberId }), after: removed }),
      ]);
    }
    const assignedToMe = await t.call('GET', `${s.base}/conversations?assignee=me`, { token: s.worker.token });
    expect(assignedToMe.status).toBe(403);

    const m = await marker(s.ws, s.worker.memberId);
    expect(m).toMatchObject({ entity: 'ReleaseDue', memberId: s.worker.memberId });
    expect(m).not.toHaveProperty('deactivatedAt');
    const removedAt = String(m?.removedAt);
    expect(await indexedMarkers(s.ws)).toEqual([`${removedAt}#${s.ws}#${s.worker.memberId}`]);

    // An assignment the first pass could not see yet is released by the sweep, as the system.
    await assignBehindTheRelease(s.ws, s.convId, s.worker.memberId);
    setClockForTests(Date.parse(removedAt) + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0, failures: [] });
    expect(await assigneeOf(s)).toBeNull();
    expect((await unassignsOf(s, s.convId)).at(-1)).toEqual(
      expect.objectContaining({ actor: expect.objectContaining({ memberId: null, userId: null }), after: removed }),
    );
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();

    setClockForTests(Date.parse(removedAt) + RELEASE_SAFETY_MARGIN_MS - 1);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await marker(s.ws, s.worker.memberId)).toBeDefined();
    setClockForTests(Date.parse(removedAt) + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
    expect(await indexedMarkers(s.ws)).toEqual([]);
  });

  it("removing a deactivated member replaces the deactivation's marker with its own, which the sweep releases under", async () => {
    const s = await setup('Removal after deactivation');
    const off = await t.call('POST', `${s.base}/members/${s.worker.memberId}/deactivate`, { token: s.token });
    expect(off.status, off.text).toBe(200);
    const deactivatedAt = String((await marker(s.ws, s.worker.memberId))?.deactivatedAt);
    expect((await remove(s, s.worker.memberId)).status).toBe(204);
    const m = await marker(s.ws, s.worker.memberId);
    expect(m).not.toHaveProperty('deactivatedAt');
    const removedAt = String(m?.removedAt);
    expect(removedAt > deactivatedAt).toBe(true);
    expect(await indexedMarkers(s.ws)).toEqual([`${removedAt}#${s.ws}#${s.worker.memberId}`]);

    // The member item is gone, so a "still deactivated" check could never hold: the removal's own check does.
    await assignBehindTheRelease(s.ws, s.convId, s.worker.memberId);
    setClockForTests(Date.parse(removedAt) + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0 });
    expect(await assigneeOf(s)).toBeNull();
    expect((await unassignsOf(s, s.convId)).map((e) => e.after)).toEqual([removed]);
    setClockForTests(Date.parse(removedAt) + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await marker(s.ws, s.worker.memberId)).toBeUndefined();
  });
});

describe('an assignment racing the removal of its assignee', () => {
  it('held until the removal has committed: refused (404), the conversation stays unassigned', async () => {
    const s = await setup('Assign vs remove, assignment last');
    const hold = holdTransactions((i) => i.includes('ConversationAssignment') && i.includes(s.worker.memberId));
    try {
      const assigning = assign(s, s.convId, s.worker.memberId);
      await hold.arrived();
      const gone = await remove(s, s.worker.memberId);
      expect(gone.status, gone.text).toBe(204);
      hold.release();
      const res = await assigning;
      // Its ConditionCheck on the assignee's member item failed; decided again, the member no longer exists.
      expect(res.status, res.text).toBe(404);
      expect(hold.seen.filter((x) => x.held)).toHaveLength(1);
    } finally {
      hold.remove();
    }
    expect(await assigneeOf(s)).toBeNull();
    expect(await unassignsOf(s, s.convId)).toEqual([]);
  });

  it('committed while the removal waits to commit: the removal releases it', async () => {
    const s = await setup('Assign vs remove, removal last');
    const hold = holdTransactions((i) => i.includes('SeatDeparture') && i.includes(s.worker.memberId));
    try {
      const removing = remove(s, s.worker.memberId);
      await hold.arrived();
      const assigned = await assign(s, s.convId, s.worker.memberId);
      expect(assigned.status, assigned.text).toBe(200);
      expect(await assigneeOf(s)).toBe(s.worker.memberId);
      hold.release();
      const gone = await removing;
      expect(gone.status, gone.text).toBe(204);
    } finally {
      hold.remove();
    }
    expect(await assigneeOf(s)).toBeNull();
    expect((await unassignsOf(s, s.convId)).map((e) => e.after)).toEqual([removed]);
  });
});

// A change that takes a member's reach of an inbox releases what it was assigned there (reach-release.ts), found
// through GSI1 like a deactivation's: an assignment committed an instant before the change can be missing from it.
// Here the Query of the member's assignee entries is answered without that conversation while the change runs (as
// an index lag would answer it); the change's marker has the sweep decide again with what is in force then.
describe('losing the reach of an inbox: second pass by the grant sweep', () => {
  /**
   * A private shared inbox, one conversation in it, an Agent given the inbox (its own list, or a team's) and assigned
   * the conversation.
   */
  async function reachSetup(label: string, via: 'inboxes' | 'team' = 'inboxes') {
    const w = await createWorkspace(t, 'pro', label);
    const base = `/v1/workspaces/${w.ws}`;
    const inbox = await t.call('POST', `${base}/inboxes`, {
      token: w.token,
      body: { name: 'VIP', visibility: 'private', kind: 'shared' },
    });
    expect(inbox.status, inbox.text).toBe(201);
    const conv = await t.call('POST', `${base}/inboxes/${inbox.body.id}/conversations`, { token: w.token, body: {} });
    expect(conv.status, conv.text).toBe(201);
    const worker = await addMember(t, w.ws, 'agent');
    const s = { ...w, base, inboxId: inbox.body.id as string, convId: conv.body.conversation.id as string, worker };
    let teamId: string | undefined;
    if (via === 'inboxes') expect((await setInboxes(s, [s.inboxId])).status).toBe(200);
    else {
      const team = await t.call('POST', `${base}/teams`, {
        token: w.token,
        body: { name: 'VIP team', memberIds: [worker.memberId], inboxIds: [s.inboxId] },
      });
      expect(team.status, team.text).toBe(201);
      teamId = team.body.id as string;
    }
    const assigned = await assign(s, s.convId, worker.memberId);
    expect(assigned.status, assigned.text).toBe(200);
    return { ...s, teamId };
  }
  const setInboxes = (s: { base: string; token: string; worker: { memberId: string } }, inboxIds: string[]) =>
    t.call('PUT', `${s.base}/members/${s.worker.memberId}/inboxes`, { token: s.token, body: { inboxIds } });

  /** Runs `fn` while GSI1 Queries of assignee entries answer without the conversation `convId`. */
  async function withAssignmentHidden<T>(convId: string, fn: () => Promise<T>): Promise<T> {
    const hide: Interceptor = async (call, next) => {
      const out = await next();
      const input = call.input as { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> };
      if (call.operation !== 'Query' || input.IndexName !== 'GSI1') return out;
      if (!String(input.ExpressionAttributeValues?.[':pk'] ?? '').includes('#ASSIGNEE#')) return out;
      const res = out as { Items?: Record<string, unknown>[] };
      return { ...res, Items: (res.Items ?? []).filter((i) => i.id !== convId) };
    };
    dynamoInterceptors.add(hide);
    try {
      return await fn();
    } finally {
      dynamoInterceptors.delete(hide);
    }
  }
  const lost = { assigneeId: null, reason: 'assignee lost the inbox' };

  it('an assignment the change did not see is released by the sweep, audited, then the marker goes', async () => {
    const s = await reachSetup('Reach release sweep');
    const taken = await withAssignmentHidden(s.convId, () => setInboxes(s, []));
    expect(taken.status, taken.text).toBe(200);
    // The change's own pass did not see it: the Agent is still the assignee of a private inbox it no longer reaches.
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    expect(await unassignsOf(s, s.convId)).toEqual([]);
    const marked = await indexedMarkers(s.ws);
    expect(marked).toHaveLength(1);
    const at = Date.parse(String(marked[0]).split('#')[0] ?? '');

    setClockForTests(at + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0, failures: [] });
    expect(await assigneeOf(s)).toBeNull();
    expect(await unassignsOf(s, s.convId)).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ memberId: null, userId: null }), after: lost }),
    ]);
    const mine = await t.call('GET', `${s.base}/conversations?assignee=me`, { token: s.worker.token });
    expect(mine.body.items).toEqual([]);
    // A clean pass within the margin keeps the marker (the index may still be catching up); one past it drops it.
    setClockForTests(at + RELEASE_SAFETY_MARGIN_MS - 1);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await indexedMarkers(s.ws)).toHaveLength(1);
    setClockForTests(at + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await indexedMarkers(s.ws)).toEqual([]);
    expect(await unassignsOf(s, s.convId)).toHaveLength(1);
  });

  it('a member who regains the inbox before the sweep keeps the conversation', async () => {
    const s = await reachSetup('Reach release sweep, reach regained');
    expect((await withAssignmentHidden(s.convId, () => setInboxes(s, []))).status).toBe(200);
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    expect((await setInboxes(s, [s.inboxId])).status).toBe(200);
    const [first] = await indexedMarkers(s.ws);
    const at = Date.parse(String(first).split('#')[0] ?? '');

    setClockForTests(at + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    expect(await unassignsOf(s, s.convId)).toEqual([]);
    const read = await t.call('GET', `${s.base}/conversations/${s.convId}`, { token: s.worker.token });
    expect(read.status, read.text).toBe(200);
    expect(await indexedMarkers(s.ws)).toEqual([]);
  });

  it('a member taken out of the team that gave it the inbox: the sweep releases what the change missed', async () => {
    const s = await reachSetup('Reach release sweep, team', 'team');
    const before = await indexedMarkers(s.ws);
    const left = await withAssignmentHidden(s.convId, () =>
      t.call('PATCH', `${s.base}/teams/${s.teamId}`, { token: s.token, body: { memberIds: [] } }),
    );
    expect(left.status, left.text).toBe(200);
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    const added = (await indexedMarkers(s.ws)).filter((m) => !before.includes(m));
    expect(added).toHaveLength(1);
    setClockForTests(Date.parse(String(added[0]).split('#')[0] ?? '') + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0 });
    expect(await assigneeOf(s)).toBeNull();
    expect((await unassignsOf(s, s.convId)).map((e) => e.after)).toEqual([lost]);
  });

  it('a member who keeps the inbox in its own list but can no longer work in it (made Admin): released, marker gone', async () => {
    // An Admin sees private inboxes but does not read messages (PRODUCT §4): it cannot work in the inbox it keeps.
    const s = await reachSetup('Reach release sweep, own inbox kept');
    const changed = await withAssignmentHidden(s.convId, () =>
      t.call('PATCH', `${s.base}/members/${s.worker.memberId}`, { token: s.token, body: { roleId: 'admin' } }),
    );
    expect(changed.status, changed.text).toBe(200);
    expect(await assigneeOf(s)).toBe(s.worker.memberId);
    const [first] = await indexedMarkers(s.ws);
    const at = Date.parse(String(first).split('#')[0] ?? '');

    setClockForTests(at + 1_000);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 1, failed: 0 });
    expect(await assigneeOf(s)).toBeNull();
    expect((await unassignsOf(s, s.convId)).map((e) => e.after)).toEqual([lost]);
    setClockForTests(at + RELEASE_SAFETY_MARGIN_MS);
    expect(await sweep(s.ws)).toMatchObject({ assignmentsReleased: 0, failed: 0 });
    expect(await indexedMarkers(s.ws)).toEqual([]);
  });
});
