// GET .../analytics over HTTP: counts equal what the test created, the window is respected, the plan
// feature and the permission are enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transact } from '../../shared/db/ops';
import { conversationCounterItems, messageSentCounterItem } from '../../shared/table/analytics/items';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const analytics = (ws: string, token: string, q = '') => t.call('GET', `/v1/workspaces/${ws}/analytics${q}`, { token });
const today = () => new Date().toISOString().slice(0, 10);

describe('analytics', () => {
  it('is plan_limit on basic (even for the Owner) and needs analytics.view', async () => {
    const basic = await createWorkspace(t, 'basic');
    const res = await analytics(basic.ws, basic.token);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'plan_limit', feature: 'analytics' });
    const pro = await createWorkspace(t, 'pro');
    const agent = await addMember(t, pro.ws, 'agent');
    const refused = await analytics(pro.ws, agent.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('analytics.view');
  });

  it('counts active members per role from the members themselves (deactivated ones are not counted)', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'manager');
    const res = await analytics(ws, token);
    expect(res.status, res.text).toBe(200);
    expect(res.body.membersByRole).toEqual([
      { roleId: 'agent', members: 2 },
      { roleId: 'manager', members: 1 },
      { roleId: 'owner', members: 1 },
    ]);
    // Deactivated members are not counted (the schema says: active members).
    const gone = await addMember(t, ws, 'agent');
    const solo = await addMember(t, ws, 'member');
    for (const m of [gone, solo]) {
      const off = await t.call('POST', `/v1/workspaces/${ws}/members/${m.memberId}/deactivate`, { token });
      expect(off.status, off.text).toBe(200);
    }
    const after = await analytics(ws, token);
    expect(after.body.membersByRole).toEqual([
      { roleId: 'agent', members: 2 },
      { roleId: 'manager', members: 1 },
      { roleId: 'owner', members: 1 },
    ]);
  });

  it('refuses an empty or too long window, and malformed dates, with 400', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (const q of ['?from=2024-05-02&to=2024-05-01', '?from=2020-01-01&to=2024-01-01', '?from=yesterday', '?x=1']) {
      const res = await analytics(ws, token, q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('sums the counter items of the window only (days both included)', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    // What the conversations service writes in its transactions, on three days.
    const conv = (inboxId: string, day: string, status: 'open' | 'archived' = 'open') => ({
      inboxId,
      status,
      createdAt: `${day}T10:00:00.000Z`,
    });
    await transact(conversationCounterItems(ws, null, conv('inbox_a', '2024-05-01')));
    await transact(conversationCounterItems(ws, null, conv('inbox_a', '2024-05-02')));
    await transact(conversationCounterItems(ws, null, conv('inbox_a', '2024-05-03')));
    await transact(
      conversationCounterItems(ws, conv('inbox_a', '2024-05-02'), conv('inbox_a', '2024-05-02', 'archived')),
    );
    // Moved to inbox_b, then deleted there: counted nowhere.
    await transact(conversationCounterItems(ws, null, conv('inbox_a', '2024-05-02')));
    await transact(conversationCounterItems(ws, conv('inbox_a', '2024-05-02'), conv('inbox_b', '2024-05-02')));
    await transact(conversationCounterItems(ws, conv('inbox_b', '2024-05-02'), null));
    for (const day of ['2024-05-01', '2024-05-02', '2024-05-02', '2024-05-04']) {
      await transact([messageSentCounterItem(ws, 'mem_x', `${day}T08:00:00.000Z`)]);
    }
    const res = await analytics(ws, token, '?from=2024-05-02&to=2024-05-03');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      from: '2024-05-02',
      to: '2024-05-03',
      conversationsByInbox: [{ inboxId: 'inbox_a', open: 1, archived: 1 }],
      messagesSentByMember: [{ memberId: 'mem_x', sent: 2 }],
    });
  });

  it('counts what the test created over HTTP: conversations per inbox by status, messages per member', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'pro');
    const agent = await addMember(t, ws, 'agent');
    const inbox = async (name: string) =>
      (
        await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
          token,
          body: { name, visibility: 'public', kind: 'shared' },
        })
      ).body.id as string;
    const [sales, support] = [await inbox('Sales'), await inbox('Support')];
    const create = async (inboxId: string) =>
      (await t.call('POST', `/v1/workspaces/${ws}/inboxes/${inboxId}/conversations`, { token, body: {} })).body
        .conversation.id as string;
    const s1 = await create(sales);
    const s2 = await create(sales);
    const p1 = await create(support);
    const p2 = await create(support);
    await t.call('POST', `/v1/workspaces/${ws}/conversations/${s2}/archive`, { token });
    await t.call('POST', `/v1/workspaces/${ws}/conversations/${p2}/move`, { token, body: { inboxId: sales } });
    await t.call('DELETE', `/v1/workspaces/${ws}/conversations/${p1}`, { token });
    const send = (who: string, id: string) =>
      t.call('POST', `/v1/workspaces/${ws}/conversations/${id}/messages`, { token: who, body: { body: 'Hi' } });
    expect((await send(token, s1)).status).toBe(201);
    expect((await send(agent.token, s1)).status).toBe(201);
    expect((await send(agent.token, p2)).status).toBe(201);
    await t.call('POST', `/v1/workspaces/${ws}/conversations/${s1}/comments`, { token, body: { body: 'Note' } });

    const res = await analytics(ws, token, `?from=${today()}&to=${today()}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.conversationsByInbox).toEqual([{ inboxId: sales, open: 2, archived: 1 }]);
    expect(res.body.messagesSentByMember).toEqual(
      [
        { memberId: agent.memberId, sent: 2 },
        { memberId: ownerMemberId, sent: 1 },
      ].sort((a, b) => a.memberId.localeCompare(b.memberId)),
    );
    const before = await analytics(ws, token, '?from=2020-01-01&to=2020-01-31');
    expect(before.body).toMatchObject({ conversationsByInbox: [], messagesSentByMember: [] });
  });
});
