// A SCIM write of a User (PUT, PATCH) is all or nothing (RFC 7644 §3.5.2 for PATCH; PUT likewise): a request that
// changes the profile and the status, and is refused for either (no seat left to reactivate, too many API keys to
// deactivate), leaves the user as it was: profile, userName (and the sign-in it binds by), status, role, no audit
// entry. Accepted combinations land together. Over HTTP on DynamoDB Local, on a plan with SCIM and 3 seats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoInterceptors, type Interceptor } from '../../shared/db/client';
import { DynamoError } from '../../shared/db/signed-request';
import { MAX_KEYS_PER_DEACTIVATION } from '../../shared/members/status';
import { scimUserKey } from '../../shared/table/scim/keys';
import { createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { oktaUser, SCIM_PATCH as PATCH } from '../fixtures/scim';
import { addPlan } from '../fixtures/table';

let t: TestApi;
const PLAN = `scimAtomic${Date.now().toString(36)}`;
const SEATS = 3;
beforeAll(async () => {
  t = await startTestApi();
  await addPlan({ id: PLAN, name: 'SCIM atomic', features: ['scim', 'apiKeys'], seats: SEATS });
});
afterAll(async () => {
  await t.stop();
});

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const okta = (userName: string, extra: Record<string, unknown> = {}) =>
  oktaUser(userName, { displayName: 'Ada Lovelace', externalId: `ext-${userName}`, ...extra });

interface AuditEntry {
  action: string;
  target: { type: string; id: string };
}

/** `keys`: the token's ceiling is an Admin who also manages API keys (a custom role), and it can give that role. */
async function fullWorkspace(opts: { keys?: boolean } = {}) {
  const w = await createWorkspace(t, PLAN, 'SCIM atomic');
  let maxRoleId = 'admin';
  if (opts.keys) {
    const role = await t.call('POST', `/v1/workspaces/${w.ws}/roles`, {
      token: w.token,
      body: { name: 'Key admin', cloneFrom: 'admin', permissions: { 'apiKeys.manage': true } },
    });
    expect(role.status, role.text).toBe(201);
    maxRoleId = role.body.id;
  }
  const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
    token: w.token,
    body: { name: 'Okta', maxRoleId },
  });
  expect(made.status, made.text).toBe(201);
  const scim = (path: string, method = 'GET', body?: unknown) =>
    t.call(method, `/v1/workspaces/${w.ws}/scim/v2${path}`, {
      token: made.body.token,
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/scim+json' } } : {}),
    });
  const create = async (userName: string, extra: Record<string, unknown> = {}) => {
    const u = await scim('/Users', 'POST', okta(userName, extra));
    expect(u.status, u.text).toBe(201);
    return u.body as { id: string; userName: string };
  };
  const setActive = async (id: string, active: boolean) => {
    const r = await scim(`/Users/${id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: active }],
    });
    expect(r.status, r.text).toBe(200);
  };
  const audit = async (memberId: string) => {
    const log = await t.call('GET', `/v1/workspaces/${w.ws}/audit-log?limit=100`, { token: w.token });
    expect(log.status, log.text).toBe(200);
    return (log.body.items as AuditEntry[]).filter((e) => e.target.id === memberId).map((e) => e.action);
  };
  const byUserName = async (userName: string) =>
    (await scim(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body.totalResults as number;
  const member = async (id: string) =>
    (await t.call('GET', `/v1/workspaces/${w.ws}/members/${id}`, { token: w.token })).body as {
      status: string;
      roleId: string;
      email: string;
    };
  // Owner + a + c hold the three seats; b is deactivated and finds none to come back to.
  const a = await create(`a-${stamp()}@example.test`);
  const b = await create(`b-${stamp()}@example.test`);
  await setActive(b.id, false);
  await create(`c-${stamp()}@example.test`);
  return { ...w, maxRoleId, scim, create, setActive, audit, byUserName, member, a, b };
}

/** Everything a refused request must have left as it was. */
async function snapshot(w: Awaited<ReturnType<typeof fullWorkspace>>, id: string) {
  const user = await w.scim(`/Users/${id}`);
  expect(user.status, user.text).toBe(200);
  const { meta: _m, ...resource } = user.body;
  return { resource, version: user.body.meta.version, member: await w.member(id), audit: await w.audit(id) };
}

describe('SCIM user writes are all or nothing', () => {
  it('an Okta PUT that changes the profile and reactivates on a full plan is refused and writes nothing', async () => {
    const w = await fullWorkspace();
    const before = await snapshot(w, w.b.id);
    const newName = `b-renamed-${stamp()}@example.test`;
    const put = await w.scim(
      `/Users/${w.b.id}`,
      'PUT',
      okta(newName, {
        id: w.b.id,
        name: { givenName: 'Grace', familyName: 'Hopper' },
        displayName: 'Grace Hopper',
        externalId: 'ext-grace',
        active: true,
      }),
    );
    expect(put.status, put.text).toBe(409);
    expect(put.body.scimType).toBe('tooMany');
    expect(await snapshot(w, w.b.id)).toEqual(before);
    expect(before.resource).toMatchObject({ userName: w.b.userName, displayName: 'Ada Lovelace', active: false });
    // The userName it binds by did not move: the identity provider finds it by the old one, not the new one.
    expect(await w.byUserName(newName)).toBe(0);
    expect(await w.byUserName(w.b.userName)).toBe(1);
    expect(before.audit).not.toContain('member.scim.update');

    // With a seat free, the same request lands whole: profile and status, both audited.
    await w.setActive(w.a.id, false);
    const again = await w.scim(
      `/Users/${w.b.id}`,
      'PUT',
      okta(newName, { id: w.b.id, displayName: 'Grace Hopper', active: true }),
    );
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ userName: newName, displayName: 'Grace Hopper', active: true });
    expect(await w.audit(w.b.id)).toEqual(expect.arrayContaining(['member.scim.update', 'member.reactivate']));
  });

  it('an Entra PATCH whose last operation reactivates on a full plan applies none of its operations', async () => {
    const w = await fullWorkspace();
    const before = await snapshot(w, w.b.id);
    const newName = `b-patched-${stamp()}@example.test`;
    const patch = await w.scim(`/Users/${w.b.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Grace Hopper' },
        { op: 'Replace', path: 'userName', value: newName },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: newName },
        { op: 'Add', value: { 'name.givenName': 'Grace', externalId: 'ext-grace' } },
        { op: 'Replace', path: 'active', value: 'True' },
      ],
    });
    expect(patch.status, patch.text).toBe(409);
    expect(patch.body.scimType).toBe('tooMany');
    expect(await snapshot(w, w.b.id)).toEqual(before);
    expect(await w.byUserName(newName)).toBe(0);

    // The reactivation first, the profile after: the same answer, the same nothing.
    const reversed = await w.scim(`/Users/${w.b.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', value: { active: true } },
        { op: 'replace', path: 'displayName', value: 'Grace Hopper' },
      ],
    });
    expect(reversed.status, reversed.text).toBe(409);
    expect(await snapshot(w, w.b.id)).toEqual(before);
  });

  it('a roles change with the reactivation on a full plan is refused whole: the role the next request decides from is unchanged', async () => {
    const w = await fullWorkspace();
    const before = await snapshot(w, w.b.id);
    const put = await w.scim(
      `/Users/${w.b.id}`,
      'PUT',
      okta(w.b.userName, { id: w.b.id, roles: [{ value: 'agent', primary: true }], active: true }),
    );
    expect(put.status, put.text).toBe(409);
    expect(await snapshot(w, w.b.id)).toEqual(before);
    // The roles value was not kept: once active (a seat freed), the same roles value is a change the
    // identity provider makes, and the member gets the role.
    await w.setActive(w.a.id, false);
    await w.setActive(w.b.id, true);
    const roles = await w.scim(`/Users/${w.b.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'roles', value: [{ value: 'agent', primary: true }] }],
    });
    expect(roles.status, roles.text).toBe(200);
    expect((await w.member(w.b.id)).roleId).toBe('agent');
  });

  it('a deactivation with a profile change lands whole, and one refused (too many API keys) writes nothing', async () => {
    const w = await fullWorkspace({ keys: true });
    // Deactivation with the profile: both land, in one request.
    const off = await w.scim(
      `/Users/${w.a.id}`,
      'PUT',
      okta(w.a.userName, { id: w.a.id, displayName: 'Ada Off', active: false }),
    );
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ displayName: 'Ada Off', active: false });
    expect(await w.audit(w.a.id)).toEqual(expect.arrayContaining(['member.scim.update', 'member.deactivate']));

    // A key admin who signed in and made more API keys than one deactivation can suspend.
    const keyed = await w.create(`keys-${stamp()}@example.test`, { roles: [{ value: w.maxRoleId, primary: true }] });
    const token = await t.token(`keys-user-${stamp()}`, keyed.userName);
    for (let i = 0; i <= MAX_KEYS_PER_DEACTIVATION; i++) {
      const k = await t.call('POST', `/v1/workspaces/${w.ws}/api-keys`, {
        token,
        body: { name: `k${i}`, roleId: 'member' },
      });
      expect(k.status, k.text).toBe(201);
    }
    const before = await snapshot(w, keyed.id);
    const newName = `keys-renamed-${stamp()}@example.test`;
    const refused = await w.scim(`/Users/${keyed.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'userName', value: newName },
        { op: 'replace', path: 'displayName', value: 'Renamed' },
        { op: 'replace', path: 'active', value: false },
      ],
    });
    expect(refused.status, refused.text).toBe(409);
    expect(await snapshot(w, keyed.id)).toEqual(before);
    expect(before.member.status).toBe('active');
    expect(await w.byUserName(newName)).toBe(0);
  });

  it('a PATCH refused by the guard in a later operation (a role above the ceiling) applies none of them', async () => {
    const w = await fullWorkspace();
    const before = await snapshot(w, w.a.id);
    const patch = await w.scim(`/Users/${w.a.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Grace Hopper' },
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: 'roles', value: [{ value: 'owner', primary: true }] },
      ],
    });
    expect([400, 403]).toContain(patch.status);
    expect(await snapshot(w, w.a.id)).toEqual(before);
  });

  it('a deactivation keeps the role: a roles value sent with it is given once the member is active and it is sent again', async () => {
    const w = await fullWorkspace();
    const off = await w.scim(
      `/Users/${w.a.id}`,
      'PUT',
      okta(w.a.userName, { id: w.a.id, displayName: 'Ada Off', roles: [{ value: 'agent' }], active: false }),
    );
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({
      displayName: 'Ada Off',
      active: false,
      roles: [{ value: 'member', primary: true }],
    });
    expect(await w.member(w.a.id)).toMatchObject({ status: 'deactivated', roleId: 'member' });
    // Reactivated with the same role (PRODUCT §10); the identity provider's next full PUT gives its role.
    const on = await w.scim(`/Users/${w.a.id}`, 'PUT', okta(w.a.userName, { id: w.a.id, displayName: 'Ada Off' }));
    expect(on.status, on.text).toBe(200);
    expect(await w.member(w.a.id)).toMatchObject({ status: 'active', roleId: 'member' });
    const put = await w.scim(
      `/Users/${w.a.id}`,
      'PUT',
      okta(w.a.userName, { id: w.a.id, displayName: 'Ada Off', roles: [{ value: 'agent' }] }),
    );
    expect(put.status, put.text).toBe(200);
    expect(await w.member(w.a.id)).toMatchObject({ status: 'active', roleId: 'agent' });
  });

  it('a profile change with a role requireApprovalFor lists: the request is opened and the profile kept, together', async () => {
    const w = await fullWorkspace();
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['agent'] } },
    });
    expect(set.status, set.text).toBe(200);
    const put = await w.scim(
      `/Users/${w.a.id}`,
      'PUT',
      okta(w.a.userName, { id: w.a.id, displayName: 'Grace Hopper', roles: [{ value: 'agent' }] }),
    );
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Grace Hopper', roles: [{ value: 'member', primary: true }] });
    const requests = await t.call('GET', `/v1/workspaces/${w.ws}/access-requests`, { token: w.token });
    expect(requests.status, requests.text).toBe(200);
    expect(requests.body.items).toEqual([
      expect.objectContaining({ memberId: w.a.id, roleId: 'agent', status: 'pending' }),
    ]);
    expect(await w.audit(w.a.id)).toContain('member.scim.update');
  });
});

describe('SCIM user creation is one write', () => {
  it('a user created inactive takes no seat: provisioned on a full plan, deactivated from the start, refused its reactivation', async () => {
    const w = await fullWorkspace();
    const seats = async () =>
      (await t.call('GET', `/v1/workspaces/${w.ws}/billing/seats`, { token: w.token })).body.limit.used as number;
    expect(await seats()).toBe(SEATS);
    const created = await w.scim('/Users', 'POST', okta(`off-${stamp()}@example.test`, { active: false }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.active).toBe(false);
    expect(await seats()).toBe(SEATS);
    expect(await w.member(created.body.id)).toMatchObject({ status: 'deactivated', roleId: 'member' });
    expect(await w.audit(created.body.id)).toEqual(['member.scim.provision']);
    const on = await w.scim(`/Users/${created.body.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    expect(on.status, on.text).toBe(409);
    expect(on.body.scimType).toBe('tooMany');
    // A seat freed: it comes in like any deactivated user.
    await w.setActive(w.a.id, false);
    await w.setActive(created.body.id, true);
    expect(await w.member(created.body.id)).toMatchObject({ status: 'active' });
  });
  it('a user created inactive over a pending invitation consumes it and gives its seat back', async () => {
    const w = await fullWorkspace();
    const seats = async () =>
      (await t.call('GET', `/v1/workspaces/${w.ws}/billing/seats`, { token: w.token })).body.limit.used as number;
    await w.setActive(w.a.id, false);
    const email = `invited-${stamp()}@example.test`;
    const invited = await t.call('POST', `/v1/workspaces/${w.ws}/invitations`, {
      token: w.token,
      body: { email, roleId: 'member' },
    });
    expect(invited.status, invited.text).toBe(201);
    expect(await seats()).toBe(SEATS);
    const created = await w.scim('/Users', 'POST', okta(email, { active: false }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.active).toBe(false);
    expect(await seats()).toBe(SEATS - 1);
    const list = await t.call('GET', `/v1/workspaces/${w.ws}/invitations`, { token: w.token });
    expect(list.body.items.find((i: { id: string }) => i.id === invited.body.id).status).toBe('revoked');
    // The counter agrees with what holds a seat: the freed seat takes one reactivation, not two.
    await w.setActive(created.body.id, true);
    const second = await w.scim(`/Users/${w.a.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    expect(second.status, second.text).toBe(409);
  });
});

describe('SCIM user deletion is one write', () => {
  it('a DELETE whose write fails leaves the user whole (retried, it deletes; the userName is free again)', async () => {
    const w = await fullWorkspace();
    const key = scimUserKey(w.ws, w.a.id);
    // Every transaction that deletes the user's SCIM document fails as DynamoDB's throttling does (retries too).
    const fault: Interceptor = async (call, next) => {
      if (call.operation !== 'TransactWriteItems') return next();
      const items = (call.input as { TransactItems?: { Delete?: { Key?: { PK: string; SK: string } } }[] })
        .TransactItems;
      if (items?.some((i) => i.Delete?.Key?.PK === key.PK && i.Delete.Key.SK === key.SK)) {
        throw new DynamoError('ThrottlingException', 'Rate of requests exceeds the allowed throughput', 400);
      }
      return next();
    };
    dynamoInterceptors.add(fault);
    let failed: Awaited<ReturnType<typeof w.scim>>;
    try {
      failed = await w.scim(`/Users/${w.a.id}`, 'DELETE');
    } finally {
      dynamoInterceptors.delete(fault);
    }
    expect(failed.status, failed.text).toBe(503);
    // Nothing was removed: the member and its SCIM user are both there, and the identity provider's retry works.
    expect((await w.scim(`/Users/${w.a.id}`)).status).toBe(200);
    expect((await w.member(w.a.id)).status).toBe('active');
    expect((await w.scim(`/Users/${w.a.id}`, 'DELETE')).status).toBe(204);
    expect((await w.scim(`/Users/${w.a.id}`)).status).toBe(404);
    const again = await w.scim('/Users', 'POST', okta(w.a.userName));
    expect(again.status, again.text).toBe(201);
  });
});

describe('SCIM group writes are decided before anything is written', () => {
  async function groupWorkspace() {
    const w = await createWorkspace(t, 'unlimited', 'SCIM groups');
    const token = async (maxRoleId: string) => {
      const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
        token: w.token,
        body: { name: `Okta ${maxRoleId}`, maxRoleId },
      });
      expect(made.status, made.text).toBe(201);
      return (path: string, method = 'GET', body?: unknown) =>
        t.call(method, `/v1/workspaces/${w.ws}/scim/v2${path}`, {
          token: made.body.token,
          ...(body !== undefined ? { body, headers: { 'content-type': 'application/scim+json' } } : {}),
        });
    };
    const admin = await token('admin');
    const agent = await token('agent');
    const user = async (roleId: string) => {
      const u = await admin(
        '/Users',
        'POST',
        okta(`g-${roleId}-${stamp()}@example.test`, { roles: [{ value: roleId }] }),
      );
      expect(u.status, u.text).toBe(201);
      return u.body.id as string;
    };
    const group = await admin('/Groups', 'POST', { displayName: `Support ${stamp()}` });
    expect(group.status, group.text).toBe(201);
    const state = async () => {
      const g = await admin(`/Groups/${group.body.id}`);
      const log = await t.call('GET', `/v1/workspaces/${w.ws}/audit-log?limit=100`, { token: w.token });
      return {
        displayName: g.body.displayName,
        members: (g.body.members ?? []).map((m: { value: string }) => m.value).sort(),
        version: g.body.meta.version,
        audit: (log.body.items as AuditEntry[]).filter((e) => e.target.id === group.body.id).map((e) => e.action),
      };
    };
    return { ...w, admin, agent, user, groupId: group.body.id as string, state };
  }

  it('a PATCH whose later operation names an unknown user renames nobody and adds nobody', async () => {
    const w = await groupWorkspace();
    const member = await w.user('member');
    const before = await w.state();
    const patch = await w.admin(`/Groups/${w.groupId}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: `Renamed ${stamp()}` },
        { op: 'add', path: 'members', value: [{ value: member }] },
        { op: 'add', path: 'members', value: [{ value: 'mem_nobody' }] },
      ],
    });
    expect(patch.status, patch.text).toBe(400);
    expect(patch.body.scimType).toBe('invalidValue');
    expect(await w.state()).toEqual(before);
  });

  it('a PATCH whose later operation moves a user above the token’s ceiling is refused whole', async () => {
    const w = await groupWorkspace();
    const member = await w.user('member');
    const admin = await w.user('admin');
    const before = await w.state();
    const patch = await w.agent(`/Groups/${w.groupId}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: member }] },
        { op: 'add', path: 'members', value: [{ value: admin }] },
      ],
    });
    expect(patch.status, patch.text).toBe(403);
    expect(await w.state()).toEqual(before);
    // A PUT (Okta) with a new name and the same members: refused the same way, nothing written.
    const put = await w.agent(`/Groups/${w.groupId}`, 'PUT', {
      displayName: `Renamed ${stamp()}`,
      members: [{ value: member }, { value: admin }],
    });
    expect(put.status, put.text).toBe(403);
    expect(await w.state()).toEqual(before);
    // Within the ceiling, the same PATCH lands whole.
    const ok = await w.agent(`/Groups/${w.groupId}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: `Renamed ${stamp()}` },
        { op: 'add', path: 'members', value: [{ value: member }] },
      ],
    });
    expect(ok.status, ok.text).toBe(200);
    expect((await w.state()).members).toEqual([member]);
  });
});
