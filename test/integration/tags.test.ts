// Tags over HTTP: shared tags need tags.shared.manage (audited); private tags are their owner's alone and
// always free; applying tags to a conversation needs tags.apply and keeps other members' private tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const tags = (ws: string) => `/v1/workspaces/${ws}/tags`;
const ids = (r: { body: { items?: { id: string }[]; tags?: { id: string }[] } }) =>
  (r.body.items ?? r.body.tags ?? []).map((x) => x.id);

describe('tags', () => {
  it('shared tags need tags.shared.manage; private ones are free and their owner’s alone', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const agent = await addMember(t, ws, 'agent');
    const member = await addMember(t, ws, 'member');

    const shared = await t.call('POST', tags(ws), { token, body: { name: 'VIP', kind: 'shared' } });
    expect(shared.status, shared.text).toBe(201);
    expect(shared.body).toMatchObject({ name: 'VIP', kind: 'shared' });
    const refused = await t.call('POST', tags(ws), { token: agent.token, body: { name: 'Mine', kind: 'shared' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('tags.shared.manage');
    const own = await t.call('POST', tags(ws), { token: agent.token, body: { name: 'Follow up', kind: 'private' } });
    expect(own.status).toBe(201);
    expect(own.body.kind).toBe('private');
    // Names are per owner: the member may have their own "Follow up"; a second shared "vip" is a 409.
    expect(
      (await t.call('POST', tags(ws), { token: member.token, body: { name: 'Follow up', kind: 'private' } })).status,
    ).toBe(201);
    expect((await t.call('POST', tags(ws), { token, body: { name: 'vip', kind: 'shared' } })).status).toBe(409);

    expect(ids(await t.call('GET', tags(ws), { token: agent.token }))).toEqual([shared.body.id, own.body.id]);
    expect(ids(await t.call('GET', tags(ws), { token }))).toEqual([shared.body.id]);

    // Someone else's private tag does not exist for you; a shared one needs the permission.
    for (const [method, body] of [
      ['PATCH', { name: 'Taken' }],
      ['DELETE', undefined],
    ] as const) {
      expect((await t.call(method, `${tags(ws)}/${own.body.id}`, { token: member.token, body })).status).toBe(404);
      expect((await t.call(method, `${tags(ws)}/${own.body.id}`, { token, body })).status).toBe(404);
      const s = await t.call(method, `${tags(ws)}/${shared.body.id}`, { token: agent.token, body });
      expect(s.status).toBe(403);
    }
    const renamed = await t.call('PATCH', `${tags(ws)}/${own.body.id}`, {
      token: agent.token,
      body: { name: 'Later' },
    });
    expect(renamed.body.name).toBe('Later');
    expect((await t.call('PATCH', `${tags(ws)}/${shared.body.id}`, { token, body: { name: 'Gold' } })).status).toBe(
      200,
    );

    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    const actions = log.body.items.map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('tag.'));
    expect(actions).toEqual(['tag.update', 'tag.create']);
  });

  it('pages through the shared tags, then the caller’s private ones', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const expected: string[] = [];
    for (let i = 0; i < 3; i++) {
      expected.push((await t.call('POST', tags(ws), { token, body: { name: `S${i}`, kind: 'shared' } })).body.id);
    }
    for (let i = 0; i < 2; i++) {
      expected.push((await t.call('POST', tags(ws), { token, body: { name: `P${i}`, kind: 'private' } })).body.id);
    }
    for (const limit of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
        const page = await t.call('GET', `${tags(ws)}${q}`, { token });
        expect(page.status).toBe(200);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    expect((await t.call('GET', `${tags(ws)}?cursor=bm9wZQ`, { token })).status).toBe(400);
  });
});

describe('conversation tags', () => {
  it('tags.apply sets the tags the caller sees and keeps other members’ private tags', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const agent = await addMember(t, ws, 'agent');
    const member = await addMember(t, ws, 'member');
    const admin = await addMember(t, ws, 'admin');
    const inbox = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    const conv = await t.call('POST', `/v1/workspaces/${ws}/inboxes/${inbox.body.id}/conversations`, {
      token,
      body: { subject: 'Order' },
    });
    const path = `/v1/workspaces/${ws}/conversations/${conv.body.conversation.id}/tags`;
    const shared = (await t.call('POST', tags(ws), { token, body: { name: 'Billing', kind: 'shared' } })).body;
    const agentOwn = (await t.call('POST', tags(ws), { token: agent.token, body: { name: 'Mine', kind: 'private' } }))
      .body;
    const memberOwn = (await t.call('POST', tags(ws), { token: member.token, body: { name: 'Mine', kind: 'private' } }))
      .body;

    const set = await t.call('PUT', path, { token: agent.token, body: { tagIds: [shared.id, agentOwn.id] } });
    expect(set.status, set.text).toBe(200);
    expect(ids(set)).toEqual([shared.id, agentOwn.id].sort());
    // The member sees the shared tag only, and setting theirs keeps the agent's private tag.
    expect(ids(await t.call('GET', path, { token: member.token }))).toEqual([shared.id]);
    const memberSet = await t.call('PUT', path, { token: member.token, body: { tagIds: [memberOwn.id] } });
    expect(ids(memberSet)).toEqual([memberOwn.id]);
    expect(ids(await t.call('GET', path, { token: agent.token }))).toEqual([agentOwn.id]);

    // Another member's private tag, an unknown tag: 404, nothing written.
    for (const tagIds of [[agentOwn.id], ['tag_01ZZZZZZZZZZZZZZZZZZZZZZZZ']]) {
      const res = await t.call('PUT', path, { token: member.token, body: { tagIds } });
      expect(res.status).toBe(404);
    }
    expect(ids(await t.call('GET', path, { token: member.token }))).toEqual([memberOwn.id]);

    // An Admin cannot apply tags (tags.apply); a deleted tag is gone from the conversation.
    const adminTry = await t.call('PUT', path, { token: admin.token, body: { tagIds: [] } });
    expect(adminTry.status).toBe(403);
    expect(adminTry.body.error.permission).toBe('tags.apply');
    await t.call('DELETE', `${tags(ws)}/${agentOwn.id}`, { token: agent.token });
    expect(ids(await t.call('GET', path, { token: agent.token }))).toEqual([]);
  });

  it("another workspace's conversation or tag is 404", async () => {
    const a = await createWorkspace(t, 'pro');
    const b = await createWorkspace(t, 'pro');
    const inbox = await t.call('POST', `/v1/workspaces/${a.ws}/inboxes`, {
      token: a.token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    const conv = await t.call('POST', `/v1/workspaces/${a.ws}/inboxes/${inbox.body.id}/conversations`, {
      token: a.token,
      body: {},
    });
    const aTag = (await t.call('POST', tags(a.ws), { token: a.token, body: { name: 'A', kind: 'shared' } })).body;
    const bInbox = await t.call('POST', `/v1/workspaces/${b.ws}/inboxes`, {
      token: b.token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    const bConv = await t.call('POST', `/v1/workspaces/${b.ws}/inboxes/${bInbox.body.id}/conversations`, {
      token: b.token,
      body: {},
    });
    const onA = await t.call('PUT', `/v1/workspaces/${b.ws}/conversations/${conv.body.conversation.id}/tags`, {
      token: b.token,
      body: { tagIds: [] },
    });
    expect(onA.status).toBe(404);
    const withATag = await t.call('PUT', `/v1/workspaces/${b.ws}/conversations/${bConv.body.conversation.id}/tags`, {
      token: b.token,
      body: { tagIds: [aTag.id] },
    });
    expect(withATag.status).toBe(404);
    for (const [method, body] of [
      ['PATCH', { name: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      expect((await t.call(method, `${tags(b.ws)}/${aTag.id}`, { token: b.token, body })).status).toBe(404);
    }
    expect(ids(await t.call('GET', tags(a.ws), { token: a.token }))).toEqual([aTag.id]);
  });
});
