// SCIM 2.0 over HTTP through the local gateway (no authorizer in front: the handler checks the scim_ token), on
// DynamoDB Local: tokens, authentication, Users ↔ members, Groups ↔ teams, filters, PATCH quirks, seats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { oktaUser, SCIM_PATCH as PATCH } from '../fixtures/scim';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function scimWorkspace(maxRoleId = 'admin', plan = 'unlimited') {
  const w = await createWorkspace(t, plan);
  const res = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
    token: w.token,
    body: { name: 'Okta', maxRoleId },
  });
  expect(res.status).toBe(201);
  const scim = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
    t.call(method, `/v1/workspaces/${w.ws}/scim/v2${path}`, {
      token: res.body.token,
      ...(body !== undefined ? { body } : {}),
      headers: { ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...headers },
    });
  return { ...w, scimToken: res.body.token as string, tokenId: res.body.id as string, scim };
}

const okta = (userName: string, extra: Record<string, unknown> = {}) =>
  oktaUser(userName, {
    displayName: 'Ada Lovelace',
    locale: 'en-US',
    externalId: `00u${userName.length}${userName.charCodeAt(0)}`,
    password: 'never-stored-1!',
    ...extra,
  });

describe('SCIM tokens', () => {
  it('are shown once, stored as a hash, need the scim feature and stay within the maker', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
      token: w.token,
      body: { name: 'Entra', maxRoleId: 'manager' },
      headers: { 'idempotency-key': 'scim-token-1' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Entra', maxRoleId: 'manager' });
    expect(made.body.token).toMatch(/^scim_/);
    const replay = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
      token: w.token,
      body: { name: 'Entra', maxRoleId: 'manager' },
      headers: { 'idempotency-key': 'scim-token-1' },
    });
    expect(replay.body.token).toBeUndefined();
    expect(replay.body.secretsWithheld).toEqual(['token']);
    const list = await t.call('GET', `/v1/workspaces/${w.ws}/scim/tokens`, { token: w.token });
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(made.body.token);

    const owner = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
      token: w.token,
      body: { name: 'x', maxRoleId: 'owner' },
    });
    expect(owner.status).toBe(400);
    // A Manager cannot make one (teammates.manage); an Admin cannot give a ceiling above what it may grant.
    const manager = await addMember(t, w.ws, 'manager');
    expect(
      (
        await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
          token: manager.token,
          body: { name: 'x', maxRoleId: 'member' },
        })
      ).status,
    ).toBe(403);
    const basic = await createWorkspace(t, 'pro');
    const refused = await t.call('POST', `/v1/workspaces/${basic.ws}/scim/tokens`, {
      token: basic.token,
      body: { name: 'x', maxRoleId: 'member' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'plan_limit', feature: 'scim' });

    expect(
      (await t.call('DELETE', `/v1/workspaces/${w.ws}/scim/tokens/${made.body.id}`, { token: w.token })).status,
    ).toBe(204);
    const after = await t.call('GET', `/v1/workspaces/${w.ws}/scim/v2/Users`, { token: made.body.token });
    expect(after.status).toBe(401);
  });

  it('answers every authentication failure with a SCIM 401, and a token works in its own workspace only', async () => {
    const a = await scimWorkspace();
    const b = await scimWorkspace();
    const path = `/v1/workspaces/${a.ws}/scim/v2/Users`;
    const missing = await t.call('GET', path);
    const wrong = await t.call('GET', path, { token: 'scim_nottherealtoken000000' });
    const jwt = await t.call('GET', path, { token: a.token });
    const otherWs = await t.call('GET', path, { token: b.scimToken });
    for (const r of [missing, wrong, jwt, otherWs]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ schemas: [SCIM_ERROR], status: '401', detail: 'Missing or invalid SCIM token' });
      expect(r.headers.get('content-type')).toContain('application/scim+json');
    }
    expect((await a.scim('/ServiceProviderConfig')).body.patch).toEqual({ supported: true });
  });
});

describe('SCIM Users', () => {
  it('provisions a member at once (password never kept), finds it by filter, deactivates and reactivates, deletes', async () => {
    const w = await scimWorkspace();
    const created = await w.scim('/Users', 'POST', okta('Ada@Example.test'));
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('never-stored');
    expect(created.body).toMatchObject({ userName: 'Ada@Example.test', active: true, roles: [{ value: 'member' }] });
    expect(created.headers.get('etag')).toBe(created.body.meta.version);
    const id = created.body.id as string;

    const members = await t.call('GET', `/v1/workspaces/${w.ws}/members`, { token: w.token });
    expect(members.body.items.map((m: { id: string }) => m.id)).toContain(id);

    const found = await w.scim(
      `/Users?filter=${encodeURIComponent('userName eq "ada@example.TEST"')}&startIndex=1&count=100`,
    );
    expect(found.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.body.Resources[0].id).toBe(id);
    const none = await w.scim(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.test"')}`);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
    const bad = await w.scim(`/Users?filter=${encodeURIComponent('title eq "x"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');

    const dup = await w.scim('/Users', 'POST', okta('ada@example.test'));
    expect(dup.status).toBe(409);
    expect(dup.body.scimType).toBe('uniqueness');

    // Entra: capitalised op, string boolean.
    const off = await w.scim(`/Users/${id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${id}`, { token: w.token });
    expect(member.body.status).toBe('deactivated');
    expect((await w.scim(`/Users/${id}`)).body.active).toBe(false);

    // Okta: PUT with the whole user.
    const on = await w.scim(`/Users/${id}`, 'PUT', okta('Ada@Example.test', { active: true, id }));
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);

    const stale = await w.scim(
      `/Users/${id}`,
      'PATCH',
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'A' }] },
      { 'if-match': created.body.meta.version },
    );
    expect(stale.status).toBe(412);

    const log = await t.call('GET', `/v1/workspaces/${w.ws}/audit-log`, { token: w.token });
    const scimEntries = log.body.items.filter((e: { actor: { source: string } }) => e.actor.source === 'scim');
    expect(scimEntries.length).toBeGreaterThanOrEqual(3);
    expect(scimEntries[0].actor).toEqual({ memberId: null, userId: null, source: 'scim', tokenId: w.tokenId });

    expect((await w.scim(`/Users/${id}`, 'DELETE')).status).toBe(204);
    expect((await w.scim(`/Users/${id}`)).status).toBe(404);
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/members/${id}`, { token: w.token })).status).toBe(404);
  });
});

describe('SCIM seats and groups under concurrency', () => {
  it('provisions exactly K of N concurrent users when K seats remain', async () => {
    const w = await scimWorkspace();
    const { scimAccess } = await import('../../shared/scim/access');
    const { createUser } = await import('../../shared/scim/users');
    const access = await scimAccess({ authorization: `Bearer ${w.scimToken}` }, w.ws);
    // The plan as if it allowed 1 (the Owner) + 3 seats.
    const limited = { ...access, plan: { ...access.plan, limits: { ...access.plan.limits, seats: 4 } } };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => createUser(limited, 'http://x', okta(`seat${i}@example.test`))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { status?: number }).status).toBe(409);
    }
    const list = await w.scim('/Users');
    expect(list.body.totalResults).toBe(3);
  });

  it('creates managed teams, adds and removes members per member, and concurrent PATCHes lose nobody', async () => {
    const w = await scimWorkspace();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const u = await w.scim('/Users', 'POST', okta(`g${i}@example.test`, { externalId: `ext-${i}` }));
      expect(u.status).toBe(201);
      ids.push(u.body.id);
    }
    const g = await w.scim('/Groups', 'POST', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Support EMEA',
      externalId: 'grp-1',
      members: [{ value: ids[0] }],
    });
    expect(g.status).toBe(201);
    expect(g.body.members).toEqual([{ value: ids[0], display: 'g0@example.test' }]);
    const gid = g.body.id as string;
    expect((await w.scim('/Groups', 'POST', { displayName: 'support emea' })).body.scimType).toBe('uniqueness');

    // Two PATCHes at once, each adding its own members: both land.
    const [a, b] = await Promise.all([
      w.scim(`/Groups/${gid}`, 'PATCH', {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: ids.slice(1, 6).map((value) => ({ value })) }],
      }),
      w.scim(`/Groups/${gid}`, 'PATCH', {
        schemas: [PATCH],
        Operations: [{ op: 'Add', path: 'members', value: ids.slice(6, 12).map((value) => ({ value })) }],
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const full = await w.scim(`/Groups/${gid}`);
    expect(full.body.members.map((m: { value: string }) => m.value).sort()).toEqual([...ids].sort());

    // Entra: remove members with a value list removes exactly those; Okta: members[value eq "x"].
    await w.scim(`/Groups/${gid}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: ids[1] }, { value: ids[2] }] }],
    });
    await w.scim(`/Groups/${gid}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${ids[3]}"]` }],
    });
    const after = await w.scim(`/Groups/${gid}?excludedAttributes=members`);
    expect(after.body.members).toBeUndefined();
    const kept = (await w.scim(`/Groups/${gid}`)).body.members.map((m: { value: string }) => m.value);
    expect(kept.sort()).toEqual(ids.filter((_, i) => ![1, 2, 3].includes(i)).sort());
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${ids[4]}`, { token: w.token });
    expect(member.body.teamIds).toEqual([gid]);
    const user = await w.scim(`/Users/${ids[4]}`);
    expect(user.body.groups).toEqual([{ value: gid, display: 'Support EMEA', type: 'direct' }]);

    // The API may not rename it or change its members; the IdP's filter finds it by displayName.
    const api = await t.call('PATCH', `/v1/workspaces/${w.ws}/teams/${gid}`, { token: w.token, body: { name: 'X' } });
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('managed_by_scim');
    const byName = await w.scim(
      `/Groups?filter=${encodeURIComponent('displayName eq "support emea"')}&excludedAttributes=members`,
    );
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].id).toBe(gid);

    // Okta: replace members [] empties it; deleting the group takes it off its members.
    await w.scim(`/Groups/${gid}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'members', value: [] }],
    });
    expect((await w.scim(`/Groups/${gid}`)).body.members).toEqual([]);
    expect((await w.scim(`/Groups/${gid}`, 'DELETE')).status).toBe(204);
    expect((await w.scim(`/Groups/${gid}`)).status).toBe(404);
  });
});

describe('SCIM and pending invitations', () => {
  it('provisions over a pending invitation for the same email: the invitation is consumed, its inboxes kept', async () => {
    const w = await scimWorkspace();
    const email = `Invited-${Date.now().toString(36)}@example.test`;
    const inbox = await t.call('POST', `/v1/workspaces/${w.ws}/inboxes`, {
      token: w.token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    expect(inbox.status, inbox.text).toBe(201);
    const invited = await t.call('POST', `/v1/workspaces/${w.ws}/invitations`, {
      token: w.token,
      body: { email, roleId: 'agent', inboxIds: [inbox.body.id] },
    });
    expect(invited.status, invited.text).toBe(201);
    // Okta pushes the same person (the userName in another case).
    const created = await w.scim('/Users', 'POST', okta(email.toUpperCase().replace('@EXAMPLE.TEST', '@example.test')));
    expect(created.status, created.text).toBe(201);
    // The identity provider decides the role; the inboxes the invitation carried are the member's; the member is
    // there at once and the invitation is no longer pending.
    expect(created.body.roles).toEqual([{ value: 'member', primary: true }]);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${created.body.id}`, { token: w.token });
    expect(member.body).toMatchObject({ roleId: 'member', status: 'active', inboxIds: [inbox.body.id] });
    const list = await t.call('GET', `/v1/workspaces/${w.ws}/invitations`, { token: w.token });
    const inv = list.body.items.find((i: { id: string }) => i.id === invited.body.id);
    expect(inv.status).toBe('revoked');
    const log = await t.call('GET', `/v1/workspaces/${w.ws}/audit-log`, { token: w.token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toContain('invitation.scim.supersede');
    // Inviting the email again: it is a member's now.
    const again = await t.call('POST', `/v1/workspaces/${w.ws}/invitations`, {
      token: w.token,
      body: { email, roleId: 'agent' },
    });
    expect(again.status).toBe(409);
  });

  it('hands the invitation its seat: with the last seat held by the invitation, its email is provisioned, another is not', async () => {
    const w = await scimWorkspace();
    const stamp = Date.now().toString(36);
    expect(
      (
        await t.call('POST', `/v1/workspaces/${w.ws}/invitations`, {
          token: w.token,
          body: { email: `last-${stamp}@example.test`, roleId: 'member' },
        })
      ).status,
    ).toBe(201);
    const { scimAccess } = await import('../../shared/scim/access');
    const { createUser } = await import('../../shared/scim/users');
    const access = await scimAccess({ authorization: `Bearer ${w.scimToken}` }, w.ws);
    // The plan as if it allowed the Owner and the invitation only.
    const limited = { ...access, plan: { ...access.plan, limits: { ...access.plan.limits, seats: 2 } } };
    const other = await createUser(limited, 'http://x', okta(`other-${stamp}@example.test`)).catch((e) => e);
    expect(other.status).toBe(409);
    expect(other.scimType).toBe('tooMany');
    const user = await createUser(limited, 'http://x', okta(`last-${stamp}@example.test`));
    expect(user.active).toBe(true);
    const { getSeatCounter } = await import('../../shared/seats/counter');
    expect((await getSeatCounter(w.ws))?.seatsUsed).toBe(2);
  });
});

describe('SCIM roles', () => {
  it('settings.scim needs teammates.manage and roles the actor could give; groupRoles first match wins, within the ceiling', async () => {
    const w = await scimWorkspace('manager');
    const manager = await addMember(t, w.ws, 'manager');
    const admin = await addMember(t, w.ws, 'admin');
    const settings = (token: string, scim: unknown) =>
      t.call('PATCH', `/v1/workspaces/${w.ws}`, { token, body: { settings: { scim } } });
    // A Manager lacks workspace.settings.manage and teammates.manage.
    expect((await settings(manager.token, { defaultRoleId: 'agent' })).status).toBe(403);
    // Nobody names owner.
    expect((await settings(admin.token, { defaultRoleId: 'owner' })).status).toBe(400);
    const set = await settings(w.token, {
      groupRoles: [
        { group: 'Leads', roleId: 'manager' },
        { group: 'Support', roleId: 'agent' },
        { group: 'Admins', roleId: 'admin' },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.body.settings.scim).toEqual({
      rolesFrom: 'idp',
      groupRoles: [
        { group: 'Leads', roleId: 'manager' },
        { group: 'Support', roleId: 'agent' },
        { group: 'Admins', roleId: 'admin' },
      ],
      defaultRoleId: 'member',
    });

    // A user's roles value names its role; above the token's ceiling (manager) it is refused.
    const agent = await w.scim(
      '/Users',
      'POST',
      okta('r1@example.test', { roles: [{ value: 'agent', primary: true }] }),
    );
    expect(agent.body.roles).toEqual([{ value: 'agent', primary: true }]);
    const tooHigh = await w.scim('/Users', 'POST', okta('r2@example.test', { roles: [{ value: 'admin' }] }));
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.body.schemas).toEqual([SCIM_ERROR]);
    const u = await w.scim('/Users', 'POST', okta('r3@example.test'));
    expect(u.body.roles).toEqual([{ value: 'member', primary: true }]);

    const group = async (name: string) => (await w.scim('/Groups', 'POST', { displayName: name })).body.id as string;
    const support = await group('Support');
    const leads = await group('Leads');
    const admins = await group('Admins');
    const add = (gid: string) =>
      w.scim(`/Groups/${gid}`, 'PATCH', {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: u.body.id }] }],
      });
    const roleOf = async () =>
      (await t.call('GET', `/v1/workspaces/${w.ws}/members/${u.body.id}`, { token: w.token })).body.roleId;
    await add(support);
    expect(await roleOf()).toBe('agent');
    await add(leads);
    // Leads comes first in the mapping.
    expect(await roleOf()).toBe('manager');
    // Admins maps to admin, above the token's ceiling: membership lands, the role stays.
    expect((await add(admins)).status).toBe(200);
    expect(await roleOf()).toBe('manager');
    // The app cannot change the role of a provisioned member while roles come from the identity provider.
    const api = await t.call('PATCH', `/v1/workspaces/${w.ws}/members/${u.body.id}`, {
      token: w.token,
      body: { roleId: 'agent' },
    });
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('managed_by_scim');
    // Leaving Leads: Support's role.
    await w.scim(`/Groups/${leads}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${u.body.id}"]` }],
    });
    expect(await roleOf()).toBe('agent');
    // rolesFrom app: the app decides and SCIM no longer changes it.
    await settings(w.token, { rolesFrom: 'app' });
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${w.ws}/members/${u.body.id}`, {
          token: w.token,
          body: { roleId: 'member' },
        })
      ).status,
    ).toBe(200);
    await add(leads);
    expect(await roleOf()).toBe('member');
  });
});

describe('SCIM sign-in binding', () => {
  it('binds a provisioned member to the first sign-in with its verified email, once', async () => {
    const w = await scimWorkspace();
    const email = `Bind-${Date.now().toString(36)}@Example.test`;
    const created = await w.scim('/Users', 'POST', okta(email));
    expect(created.status).toBe(201);
    const userId = `bind-${Date.now().toString(36)}`;
    const token = await t.token(userId, email.toLowerCase());
    // The user's first request is a workspace route (not the console's list of workspaces): it binds, then decides.
    const me = await t.call('GET', `/v1/workspaces/${w.ws}/me`, { token });
    expect(me.status, me.text).toBe(200);
    expect(me.body.member).toMatchObject({ id: created.body.id, userId, roleId: 'member' });
    const mine = await t.call('GET', '/v1/workspaces', { token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(w.ws);
    const log = await t.call('GET', `/v1/workspaces/${w.ws}/audit-log`, { token: w.token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toContain('member.scim.bind');
    // Another user with the same email signing in later binds nothing.
    const other = await t.token(`${userId}-2`, email);
    const theirs = await t.call('GET', '/v1/workspaces', { token: other });
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(w.ws);
    // Deactivation through SCIM still reaches the bound member.
    await w.scim(`/Users/${created.body.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect([401, 403]).toContain((await t.call('GET', `/v1/workspaces/${w.ws}/me`, { token })).status);
  });

  it("binds at the first request of any route, and only a sign-in the workspace's sign-in rules accept", async () => {
    const w = await scimWorkspace();
    const stamp = Date.now().toString(36);
    const email = `rules-${stamp}@example.test`;
    const created = await w.scim('/Users', 'POST', okta(email));
    expect(created.status).toBe(201);
    // The rules as they are now, as on accepting an invitation: requireIdentityProvider, then inviteDomains.
    const set = (settings: unknown) =>
      t.call('PATCH', `/v1/workspaces/${w.ws}`, { token: w.token, body: { settings } });
    expect((await set({ requireIdentityProvider: ['okta-acme'] })).status).toBe(200);
    const plain = await t.api.issuer.sign({ sub: `rules-${stamp}`, email });
    // A write route as the first request: refused as a non-member, nothing bound.
    const refused = await t.call('POST', `/v1/workspaces/${w.ws}/teams`, { token: plain, body: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect((await w.scim(`/Users/${created.body.id}`)).status).toBe(200);
    const member = await t.call('GET', `/v1/workspaces/${w.ws}/members/${created.body.id}`, { token: w.token });
    expect(member.body.userId).toBe(`scim:${created.body.id}`);

    expect((await set({ inviteDomains: ['other.test'] })).status).toBe(200);
    const viaIdp = await t.api.issuer.sign({ sub: `rules-${stamp}`, email, idp: 'okta-acme' });
    expect((await t.call('GET', `/v1/workspaces/${w.ws}/inboxes`, { token: viaIdp })).status).toBe(403);

    expect((await set({ inviteDomains: ['example.test'] })).status).toBe(200);
    const listed = await t.api.issuer.sign({ sub: `rules-${stamp}`, email, idp: 'okta-acme', amr: ['mfa'] });
    const inboxes = await t.call('GET', `/v1/workspaces/${w.ws}/inboxes`, { token: listed });
    expect(inboxes.status, inboxes.text).toBe(200);
    const bound = await t.call('GET', `/v1/workspaces/${w.ws}/members/${created.body.id}`, { token: w.token });
    expect(bound.body.userId).toBe(`rules-${stamp}`);
  });
});
