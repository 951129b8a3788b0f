// Over HTTP: a member item written before member versions existed (no `version`; it reads as version 1) takes
// every change conditioned on the member's version, once; and the change moves the stored version past that
// default, so a second write decided on the same read (repository level) is a Conflict like on any other item,
// and a write decided before a removal never writes the item back.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { db, GetCommand, tableName, UpdateCommand } from '../../shared/db/client';
import { versionIs } from '../../shared/db/versions';
import { Conflict } from '../../shared/errors';
import { deactivateMember, deleteMember, getMember, writeGrants } from '../../shared/members/repository';
import type { Member } from '../../shared/members/schema';
import { memberKey } from '../../shared/table/members/keys';
import { addMember, createWorkspace, testApiForFile } from '../fixtures/api';

const t = testApiForFile({ resetClock: true });

type Workspace = Awaited<ReturnType<typeof createWorkspace>>;

/** Makes the member item one from before versions: the attribute is gone, everything else stays. */
async function unversion(ws: string, memberId: string): Promise<Member> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: memberKey(ws, memberId),
      UpdateExpression: 'REMOVE version',
      ConditionExpression: 'attribute_exists(PK)',
    }),
  );
  const read = await getMember(ws, memberId, true);
  expect(read?.version).toBe(1);
  return read!;
}

async function stored(ws: string, memberId: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: memberKey(ws, memberId), ConsistentRead: true }),
  );
  return Item;
}

/** A write decided on `stale` (the read before the HTTP change) that only the version condition can stop. */
const staleGrantWrite = (ws: string, stale: Member) => writeGrants(ws, stale, [], []);

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();

async function oldAgent(w: Workspace) {
  const m = await addMember(t, w.ws, 'agent');
  return { ...m, read: await unversion(w.ws, m.memberId) };
}

describe('versionIs at the default version', () => {
  it('does not let an update decided on an item that is gone since write it back', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    const Key = memberKey(ws, 'mem_never_written');
    const read = versionIs(1, 1);
    await expect(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'SET note = :n',
          ConditionExpression: read.condition,
          ExpressionAttributeValues: { ':n': 'x', ...read.values },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await stored(ws, 'mem_never_written')).toBeUndefined();
  });
});

describe('a member item without a version (written before versions existed)', () => {
  it('is deactivated once; the item goes to version 2 and a removal decided on the old read conflicts', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const res = await t.call('POST', `/v1/workspaces/${w.ws}/members/${m.memberId}/deactivate`, { token: w.token });
    expect(res.status, res.text).toBe(200);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    await expect(deleteMember(w.ws, m.read, new Date().toISOString())).rejects.toBeInstanceOf(Conflict);
    expect(await stored(w.ws, m.memberId)).toMatchObject({ status: 'deactivated', version: 2 });
  });

  it('is reactivated once; a deactivation decided on the deactivated read conflicts', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await addMember(t, w.ws, 'agent');
    const base = `/v1/workspaces/${w.ws}/members/${m.memberId}`;
    expect((await t.call('POST', `${base}/deactivate`, { token: w.token })).status).toBe(200);
    const stale = await unversion(w.ws, m.memberId);
    const res = await t.call('POST', `${base}/reactivate`, { token: w.token });
    expect(res.status, res.text).toBe(200);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    // Decided as if the member were active at the old read (status aside, every other condition holds).
    const decidedActive: Member = { ...stale, status: 'active', deactivatedAt: undefined };
    await expect(deactivateMember(w.ws, decidedActive, 0, [], new Date().toISOString(), [])).rejects.toBeInstanceOf(
      Conflict,
    );
    expect((await stored(w.ws, m.memberId))?.status).toBeUndefined();
  });

  it('gets a grant once and has it revoked once; each second write on the same read conflicts', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const base = `/v1/workspaces/${w.ws}/members/${m.memberId}`;
    const granted = await t.call('POST', `${base}/grants`, {
      token: w.token,
      body: { permissions: { 'logs.export': true }, until: hourFromNow(), reason: 'old item' },
    });
    expect(granted.status, granted.text).toBe(201);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    await expect(staleGrantWrite(w.ws, m.read)).rejects.toBeInstanceOf(Conflict);

    const beforeRevoke = await unversion(w.ws, m.memberId);
    const revoked = await t.call('DELETE', `${base}/grants/${granted.body.id}`, { token: w.token });
    expect(revoked.status, revoked.text).toBe(204);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    await expect(staleGrantWrite(w.ws, beforeRevoke)).rejects.toBeInstanceOf(Conflict);
  });

  it('is removed once; a write decided before the removal does not write the item back', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const res = await t.call('DELETE', `/v1/workspaces/${w.ws}/members/${m.memberId}`, { token: w.token });
    expect(res.status, res.text).toBe(204);
    await expect(staleGrantWrite(w.ws, m.read)).rejects.toBeInstanceOf(Conflict);
    expect(await stored(w.ws, m.memberId)).toBeUndefined();
  });

  it('joins and leaves teams (each moves its version); a removal decided before a team change conflicts', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const base = `/v1/workspaces/${w.ws}`;
    const team = await t.call('POST', `${base}/teams`, {
      token: w.token,
      body: { name: 'Old hands', memberIds: [m.memberId] },
    });
    expect(team.status, team.text).toBe(201);
    expect(await stored(w.ws, m.memberId)).toMatchObject({ version: 2, teamIds: new Set([team.body.id]) });
    // Removed on the read from before it joined: the team would keep a member who is gone.
    await expect(deleteMember(w.ws, m.read, new Date().toISOString())).rejects.toBeInstanceOf(Conflict);

    const beforeLeaving = await unversion(w.ws, m.memberId);
    const left = await t.call('PATCH', `${base}/teams/${team.body.id}`, { token: w.token, body: { memberIds: [] } });
    expect(left.status, left.text).toBe(200);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    await expect(staleGrantWrite(w.ws, beforeLeaving)).rejects.toBeInstanceOf(Conflict);
  });

  it('becomes the Owner through a transfer; the former Owner (also without a version) becomes an Admin', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const owner = await unversion(w.ws, w.ownerMemberId);
    const res = await t.call('POST', `/v1/workspaces/${w.ws}/ownership`, {
      token: w.token,
      body: { memberId: m.memberId },
    });
    expect(res.status, res.text).toBe(200);
    expect(await stored(w.ws, m.memberId)).toMatchObject({ roleId: 'owner', version: 2 });
    expect(await stored(w.ws, w.ownerMemberId)).toMatchObject({ roleId: 'admin', version: 2 });
    await expect(staleGrantWrite(w.ws, m.read)).rejects.toBeInstanceOf(Conflict);
    await expect(staleGrantWrite(w.ws, owner)).rejects.toBeInstanceOf(Conflict);
  });

  it('has an access request for permissions approved once', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await addMember(t, w.ws, 'agent');
    const base = `/v1/workspaces/${w.ws}`;
    const asked = await t.call('POST', `${base}/access-requests`, {
      token: m.token,
      body: { permissions: { 'logs.export': true }, until: hourFromNow(), reason: 'old item' },
    });
    expect(asked.status, asked.text).toBe(201);
    const stale = await unversion(w.ws, m.memberId);
    const ok = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: w.token });
    expect(ok.status, ok.text).toBe(200);
    expect((await stored(w.ws, m.memberId))?.version).toBe(2);
    await expect(staleGrantWrite(w.ws, stale)).rejects.toBeInstanceOf(Conflict);
  });

  it('has an ended grant and an ended role term taken off by the grant sweep', async () => {
    const w = await createWorkspace(t, 'pro');
    const base = `/v1/workspaces/${w.ws}`;
    const until = hourFromNow();
    const withGrant = await addMember(t, w.ws, 'agent');
    const granted = await t.call('POST', `${base}/members/${withGrant.memberId}/grants`, {
      token: w.token,
      body: { permissions: { 'logs.export': true }, until, reason: 'old item' },
    });
    expect(granted.status, granted.text).toBe(201);
    const withTerm = await addMember(t, w.ws, 'agent');
    const patched = await t.call('PATCH', `${base}/members/${withTerm.memberId}`, {
      token: w.token,
      body: { roleId: 'manager', until },
    });
    expect(patched.status, patched.text).toBe(200);
    const staleGrant = await unversion(w.ws, withGrant.memberId);
    const staleTerm = await unversion(w.ws, withTerm.memberId);

    setClockForTests(Date.parse(until) + 1);
    const sweep = await t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [w.ws] } });
    expect(sweep.status, sweep.text).toBe(200);
    // One grant.expired entry for the grant and one for the term.
    expect(sweep.body).toMatchObject({ expired: 2, rolesReverted: 1, failed: 0 });
    expect(await stored(w.ws, withGrant.memberId)).toMatchObject({ grants: [], version: 2 });
    expect(await stored(w.ws, withTerm.memberId)).toMatchObject({ roleId: 'agent', version: 2 });
    await expect(staleGrantWrite(w.ws, staleGrant)).rejects.toBeInstanceOf(Conflict);
    await expect(staleGrantWrite(w.ws, staleTerm)).rejects.toBeInstanceOf(Conflict);
  });

  it('is assigned a conversation (its assignment checks the member item at the version read)', async () => {
    const w = await createWorkspace(t, 'pro');
    const m = await oldAgent(w);
    const base = `/v1/workspaces/${w.ws}`;
    const inbox = await t.call('POST', `${base}/inboxes`, { token: w.token, body: { name: 'Support' } });
    expect(inbox.status, inbox.text).toBe(201);
    const conv = await t.call('POST', `${base}/inboxes/${inbox.body.id}/conversations`, { token: w.token, body: {} });
    expect(conv.status, conv.text).toBe(201);
    const conversationId = conv.body.conversation.id as string;
    const res = await t.call('POST', `${base}/conversations/${conversationId}/assign`, {
      token: w.token,
      body: { memberId: m.memberId },
    });
    expect(res.status, res.text).toBe(200);
    const mine = await t.call('GET', `${base}/conversations?assignee=me`, { token: m.token });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([conversationId]);
  });
});
