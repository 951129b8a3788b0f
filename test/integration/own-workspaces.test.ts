// GET /v1/workspaces: the console's list after sign-in. Over HTTP through the authorizer and the handler, on
// DynamoDB Local: only the caller's own workspaces, paged, deactivated ones with their status, and workspaces
// reached as company admin of their organization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function newWorkspace(token: string, name: string, plan = 'unlimited') {
  const res = await t.call('POST', '/v1/workspaces', { token, body: { name, plan } });
  expect(res.status).toBe(201);
  return res.body.workspace.id as string;
}

/** Every entry of the caller's list, following cursors at page size `limit`. */
async function listAll(token: string, limit = 50) {
  const items: Array<{ id: string; name: string; plan: string; roleId: string; status: string }> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.call('GET', `/v1/workspaces${q}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 20);
  return { items, pages };
}

describe('GET /v1/workspaces', () => {
  it("lists the caller's own workspaces with name, plan and role, and no one else's", async () => {
    const me = uniqueUser('lister');
    const token = await t.token(me);
    const first = await newWorkspace(token, 'Support EU', 'unlimited');
    const second = await newWorkspace(token, 'Support US', 'basic');
    const other = await createWorkspace(t, 'unlimited', 'Somebody else');

    const mine = await listAll(token);
    expect(mine.items.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { id: first, name: 'Support EU', plan: 'unlimited', roleId: 'owner', status: 'active' },
      { id: second, name: 'Support US', plan: 'basic', roleId: 'owner', status: 'active' },
    ]);
    const theirs = await listAll(other.token);
    expect(theirs.items.map((w) => w.id)).toEqual([other.ws]);

    // A member added to the other workspace sees it, with its role, and nothing else.
    const agent = await addMember(t, other.ws, 'agent');
    expect((await listAll(agent.token)).items).toEqual([
      { id: other.ws, name: 'Somebody else', plan: 'unlimited', roleId: 'agent', status: 'active' },
    ]);

    // A user with no workspace gets an empty list, not an error.
    expect((await t.call('GET', '/v1/workspaces', { token: await t.token(uniqueUser('nobody')) })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages with a cursor: every workspace once, at most `limit` per page', async () => {
    const token = await t.token(uniqueUser('pager'));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await newWorkspace(token, `Team ${i}`));
    const paged = await listAll(token, 2);
    expect(paged.pages).toBeGreaterThanOrEqual(3);
    expect(paged.items.map((w) => w.id).sort()).toEqual([...ids].sort());
    const whole = await listAll(token, 100);
    expect(whole.pages).toBe(1);
    expect(whole.items.map((w) => w.id).sort()).toEqual([...ids].sort());
  });

  it("refuses a cursor from another user's list, a bad limit, and a caller without a token", async () => {
    const a = await createWorkspace(t, 'unlimited', 'A1');
    await newWorkspace(a.token, 'A2');
    const page = await t.call('GET', '/v1/workspaces?limit=1', { token: a.token });
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const b = await createWorkspace(t, 'unlimited', 'B1');
    const forged = await t.call('GET', `/v1/workspaces?cursor=${encodeURIComponent(page.body.nextCursor)}`, {
      token: b.token,
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('invalid_request');
    expect((await t.call('GET', '/v1/workspaces?limit=0', { token: a.token })).status).toBe(400);
    expect((await t.call('GET', '/v1/workspaces?cursor=not-a-cursor', { token: a.token })).status).toBe(400);
    expect((await t.call('GET', '/v1/workspaces')).status).toBe(401);
  });

  it('lists a workspace where the caller is deactivated, with status deactivated, and active again once reactivated', async () => {
    const owner = await createWorkspace(t, 'unlimited', 'Night shift');
    const agent = await addMember(t, owner.ws, 'agent');
    const off = await t.call('POST', `/v1/workspaces/${owner.ws}/members/${agent.memberId}/deactivate`, {
      token: owner.token,
    });
    expect(off.status).toBe(200);
    expect((await listAll(agent.token)).items).toEqual([
      { id: owner.ws, name: 'Night shift', plan: 'unlimited', roleId: 'agent', status: 'deactivated' },
    ]);
    // The workspace itself still refuses them: the list only says why.
    expect((await t.call('GET', `/v1/workspaces/${owner.ws}/me`, { token: agent.token })).status).not.toBe(200);
    const on = await t.call('POST', `/v1/workspaces/${owner.ws}/members/${agent.memberId}/reactivate`, {
      token: owner.token,
    });
    expect(on.status).toBe(200);
    expect((await listAll(agent.token)).items[0]?.status).toBe('active');
  });

  it("lists the workspaces of a company admin's organizations once each, and drops them when the admin is removed", async () => {
    const a = await createWorkspace(t, 'unlimited', 'Group A');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Group' } });
    expect(org.status).toBe(201);
    const orgId = org.body.id as string;
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    const second = await newWorkspace(a.token, 'Group A2');
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${second}`, { token: a.token })).status).toBe(
      200,
    );

    // A company admin who is a member of none of them, with a workspace of their own outside the organization.
    const cadmin = uniqueUser('cadmin');
    const token = await t.token(cadmin);
    const own = await newWorkspace(token, 'Own');
    expect(
      (await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: a.token, body: { userId: cadmin } })).status,
    ).toBe(201);
    const listed = (await listAll(token, 1)).items;
    expect(listed.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { id: a.ws, name: 'Group A', plan: 'unlimited', roleId: 'companyAdmin', status: 'active' },
      { id: second, name: 'Group A2', plan: 'unlimited', roleId: 'companyAdmin', status: 'active' },
      { id: own, name: 'Own', plan: 'unlimited', roleId: 'owner', status: 'active' },
    ]);

    // The org's creator is company admin and Owner of both: each listed once, as the member they are.
    expect((await listAll(a.token, 1)).items.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { id: a.ws, name: 'Group A', plan: 'unlimited', roleId: 'owner', status: 'active' },
      { id: second, name: 'Group A2', plan: 'unlimited', roleId: 'owner', status: 'active' },
    ]);

    // A deactivated member who is also company admin is let in as company admin: listed so, once.
    const both = await addMember(t, a.ws, 'agent');
    expect(
      (await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: a.token, body: { userId: both.userId } }))
        .status,
    ).toBe(201);
    expect(
      (await t.call('POST', `/v1/workspaces/${a.ws}/members/${both.memberId}/deactivate`, { token: a.token })).status,
    ).toBe(200);
    expect((await listAll(both.token, 1)).items.find((w) => w.id === a.ws)).toEqual({
      id: a.ws,
      name: 'Group A',
      plan: 'unlimited',
      roleId: 'companyAdmin',
      status: 'active',
    });
    expect((await listAll(both.token, 1)).items.filter((w) => w.id === a.ws)).toHaveLength(1);

    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${cadmin}`, { token: a.token })).status).toBe(
      204,
    );
    expect((await listAll(token)).items.map((w) => w.id)).toEqual([own]);
  });
});
