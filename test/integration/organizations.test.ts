import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('organizations and company admins', () => {
  it('gives company admins full access in every workspace of the organization, and nothing outside it', async () => {
    const a = await createWorkspace(t, 'unlimited', 'Org WS A');
    const b = await createWorkspace(t, 'unlimited', 'Org WS B');
    const outside = await createWorkspace(t, 'unlimited', 'Outside');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Acme Group' } });
    expect(org.status).toBe(201);
    const orgId = org.body.id;
    // B's owner must be a company admin to move B in: A's owner adds them first.
    expect(
      (await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: a.token, body: { userId: b.owner } })).status,
    ).toBe(201);
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${b.ws}`, { token: b.token })).status).toBe(200);

    const cadmin = uniqueUser('cadmin');
    const added = await t.call('POST', `/v1/organizations/${orgId}/admins`, {
      token: a.token,
      body: { userId: cadmin, email: `${cadmin}@example.test` },
    });
    expect(added.body.workspaceIds.sort()).toEqual([a.ws, b.ws].sort());
    const token = await t.token(cadmin);
    for (const ws of [a.ws, b.ws]) {
      const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
      expect(me.status).toBe(200);
      expect(me.body.role.id).toBe('companyAdmin');
      expect(me.body.permissions['apiKeys.manage']).toBe(true);
      // Full access includes administration the custom roles would limit, e.g. granting admins.
      const inv = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
        token,
        body: { email: `${uniqueUser('byca')}@example.test`, roleId: 'admin' },
      });
      expect(inv.status).toBe(201);
    }
    expect([403, 404]).toContain((await t.call('GET', `/v1/workspaces/${outside.ws}/me`, { token })).status);

    // Plans still apply to company admins.
    await t.call('PUT', `/v1/workspaces/${a.ws}/plan`, { token: a.token, body: { plan: 'basic' } });
    const check = await t.call('POST', `/v1/workspaces/${a.ws}/authz/check`, {
      token,
      body: { action: 'analytics.view' },
    });
    expect(check.body).toMatchObject({ allowed: false, code: 'plan_limit' });

    // Removing the company admin removes their access everywhere.
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${cadmin}`, { token: a.token })).status).toBe(
      204,
    );
    expect([403, 404]).toContain((await t.call('GET', `/v1/workspaces/${b.ws}/me`, { token })).status);
  });

  it('hides an organization from non-admins and keeps at least one admin', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Solo' } });
    const stranger = await t.token(uniqueUser('stranger'));
    expect((await t.call('GET', `/v1/organizations/${org.body.id}`, { token: stranger })).status).toBe(404);
    expect((await t.call('GET', '/v1/organizations/org_nope', { token: stranger })).status).toBe(404);
    expect(
      (await t.call('DELETE', `/v1/organizations/${org.body.id}/admins/${a.owner}`, { token: a.token })).status,
    ).toBe(409);
  });

  it('lets only the Owner (also a company admin) attach a workspace, once', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Group' } });
    const admin = await addMember(t, a.ws, 'admin');
    await t.call('POST', `/v1/organizations/${org.body.id}/admins`, { token: a.token, body: { userId: admin.userId } });
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${a.ws}`, { token: admin.token })).status,
    ).toBe(403);
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${a.ws}`, { token: a.token })).status,
    ).toBe(200);
    const other = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Other group' } });
    expect(
      (await t.call('PUT', `/v1/organizations/${other.body.id}/workspaces/${a.ws}`, { token: a.token })).status,
    ).toBe(409);
    const outsider = await createWorkspace(t, 'unlimited');
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${outsider.ws}`, { token: outsider.token }))
        .status,
    ).toBe(404);
  });
});

// ---- Concurrency, repair, audit and the size cap (issue 7: defects 2 and 15) ----

/** A workspace created by the holder of `token` (who becomes its Owner). */
async function ownWorkspace(token: string, name = 'Org member WS') {
  const res = await t.call('POST', '/v1/workspaces', { token, body: { name, plan: 'unlimited' } });
  if (res.status !== 201) throw new Error(`create workspace: ${res.status} ${res.text}`);
  return res.body.workspace.id as string;
}

async function newOrg(token: string, name = 'Group') {
  const res = await t.call('POST', '/v1/organizations', { token, body: { name } });
  if (res.status !== 201) throw new Error(`create organization: ${res.status} ${res.text}`);
  return res.body.id as string;
}

async function attach(token: string, orgId: string, ws: string) {
  const res = await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${ws}`, { token });
  if (res.status !== 200) throw new Error(`attach: ${res.status} ${res.text}`);
}

async function addAdmin(token: string, orgId: string, userId: string) {
  const res = await t.call('POST', `/v1/organizations/${orgId}/admins`, { token, body: { userId } });
  if (res.status !== 201) throw new Error(`add admin: ${res.status} ${res.text}`);
}

const adminsOf = async (token: string, orgId: string): Promise<string[]> =>
  (await t.call('GET', `/v1/organizations/${orgId}`, { token })).body.admins.map((a: { userId: string }) => a.userId);

const meStatus = async (token: string, ws: string) =>
  (await t.call('GET', `/v1/workspaces/${ws}/me`, { token })).status;

/** Writes a company-admin grant item directly, the way a lost race used to leave one behind. */
async function writeGrant(userId: string, ws: string, orgId: string) {
  const { PutCommand } = await import('../../shared/db/client');
  const { db, tableName } = await import('../../shared/db/client');
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { PK: `USER#${userId}`, SK: `ORGWS#${ws}`, entity: 'CompanyAdminGrant', orgId, userId, workspaceId: ws },
    }),
  );
}

async function auditActions(token: string, ws: string, targetId: string): Promise<string[]> {
  const res = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.items.filter((e: any) => e.target.id === targetId).map((e: any) => e.action);
}

describe('company admins under concurrency', () => {
  it('a removed company admin keeps no grant when the removal races a workspace attach', async () => {
    for (let i = 0; i < 20; i++) {
      const o = await createWorkspace(t, 'unlimited', `Race ${i}`);
      const orgId = await newOrg(o.token);
      await attach(o.token, orgId, o.ws);
      const x = uniqueUser('raced');
      await addAdmin(o.token, orgId, x);
      const later = await ownWorkspace(o.token, `Race ${i} later`);

      // An attach takes longer than a removal (its authorizer and write re-check come first): starting the
      // removal 0 to 190 ms later across the iterations makes the two overlap in every possible order.
      const [removed, attached] = await Promise.all([
        sleep(i * 10).then(() => t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })),
        t.call('PUT', `/v1/organizations/${orgId}/workspaces/${later}`, { token: o.token }),
      ]);
      expect([204, 409], removed.text).toContain(removed.status);
      expect([200, 409], attached.text).toContain(attached.status);

      const xToken = await t.token(x);
      if (!(await adminsOf(o.token, orgId)).includes(x)) {
        expect(await meStatus(xToken, o.ws)).toBe(403);
        expect(await meStatus(xToken, later)).toBe(403);
      }
      // Whatever happened, the state is consistent: a repair finds nothing to change.
      const repair = await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: o.token });
      expect(repair.status, repair.text).toBe(200);
      expect(repair.body.grantsWritten).toEqual([]);
      expect(repair.body.grantsDeleted).toEqual([]);
    }
  });

  it('two company admins removing each other: exactly one succeeds, an admin always remains', async () => {
    for (let i = 0; i < 20; i++) {
      const o = await createWorkspace(t, 'unlimited', `Mutual ${i}`);
      const orgId = await newOrg(o.token);
      await attach(o.token, orgId, o.ws);
      const x = uniqueUser('mutual');
      await addAdmin(o.token, orgId, x);
      const xToken = await t.token(x);

      const results = await Promise.all([
        t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token }),
        t.call('DELETE', `/v1/organizations/${orgId}/admins/${o.owner}`, { token: xToken }),
      ]);
      const ok = results.filter((r) => r.status === 204);
      expect(ok.length, results.map((r) => `${r.status} ${r.text}`).join(' | ')).toBe(1);
      for (const r of results) expect([204, 404, 409]).toContain(r.status);

      const survivor = results[0]?.status === 204 ? o : { owner: x, token: xToken };
      const admins = await adminsOf(survivor.token, orgId);
      expect(admins).toEqual([survivor.owner]);
    }
  });

  it('never removes the last admin, even the caller themselves', async () => {
    const o = await createWorkspace(t, 'unlimited');
    const orgId = await newOrg(o.token);
    const x = uniqueUser('self');
    await addAdmin(o.token, orgId, x);
    const xToken = await t.token(x);
    // Both leave at once: one may go, the other stays.
    const results = await Promise.all([
      t.call('DELETE', `/v1/organizations/${orgId}/admins/${o.owner}`, { token: o.token }),
      t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: xToken }),
    ]);
    expect(results.filter((r) => r.status === 204).length).toBe(1);
    const stays = results[0]?.status === 204 ? xToken : o.token;
    expect((await adminsOf(stays, orgId)).length).toBe(1);
  });
});

describe('repairing an organization', () => {
  it('deletes an orphaned grant, writes a missing one, and reports what it changed', async () => {
    const o = await createWorkspace(t, 'unlimited', 'Repair A');
    const orgId = await newOrg(o.token);
    const b = await ownWorkspace(o.token, 'Repair B');
    await attach(o.token, orgId, o.ws);
    await attach(o.token, orgId, b);
    const gone = uniqueUser('gone');
    const kept = uniqueUser('kept');
    await addAdmin(o.token, orgId, gone);
    await addAdmin(o.token, orgId, kept);
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${gone}`, { token: o.token })).status).toBe(204);
    const goneToken = await t.token(gone);
    const keptToken = await t.token(kept);
    expect(await meStatus(goneToken, b)).toBe(403);

    // Corrupt it: a grant for the removed admin (what a lost race left), and a listed admin's grant gone.
    await writeGrant(gone, b, orgId);
    const { DeleteCommand } = await import('../../shared/db/client');
    const { db, tableName } = await import('../../shared/db/client');
    await db.send(new DeleteCommand({ TableName: tableName, Key: { PK: `USER#${kept}`, SK: `ORGWS#${o.ws}` } }));
    expect(await meStatus(goneToken, b)).toBe(200);
    expect(await meStatus(keptToken, o.ws)).toBe(403);

    // Only company admins may repair; others learn nothing.
    const stranger = await t.token(uniqueUser('stranger'));
    expect((await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: stranger })).status).toBe(404);
    expect(await meStatus(goneToken, b)).toBe(200);

    const repair = await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: o.token });
    expect(repair.status, repair.text).toBe(200);
    expect(repair.body).toEqual({
      orgId,
      grantsWritten: [{ userId: kept, workspaceId: o.ws }],
      grantsDeleted: [{ userId: gone, workspaceId: b }],
      holdersPruned: [gone],
      countersFixed: false,
    });
    expect(await meStatus(goneToken, b)).toBe(403);
    expect(await meStatus(goneToken, o.ws)).toBe(403);
    expect(await meStatus(keptToken, o.ws)).toBe(200);
    expect(await meStatus(keptToken, b)).toBe(200);
    expect(await auditActions(o.token, b, gone)).toContain('organization.grant.revoke');
    expect(await auditActions(o.token, o.ws, kept)).toContain('organization.grant.restore');

    // Repaired means consistent: again, nothing to do.
    const again = await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: o.token });
    expect(again.body).toEqual({
      orgId,
      grantsWritten: [],
      grantsDeleted: [],
      holdersPruned: [],
      countersFixed: false,
    });
  });

  it('re-adding an admin whose grants linger succeeds, and removing them then clears every grant', async () => {
    const o = await createWorkspace(t, 'unlimited', 'Linger A');
    const orgId = await newOrg(o.token);
    const b = await ownWorkspace(o.token, 'Linger B');
    await attach(o.token, orgId, o.ws);
    await attach(o.token, orgId, b);
    const x = uniqueUser('linger');
    await addAdmin(o.token, orgId, x);
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(204);
    await writeGrant(x, b, orgId);
    // Removing someone not listed is 404; adding them back must not trip over the leftover grant.
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(404);
    const readded = await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: o.token, body: { userId: x } });
    expect(readded.status, readded.text).toBe(201);
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(204);
    const xToken = await t.token(x);
    expect(await meStatus(xToken, o.ws)).toBe(403);
    expect(await meStatus(xToken, b)).toBe(403);
  });

  it('sets the version and admin count of an organization stored before they existed', async () => {
    const o = await createWorkspace(t, 'unlimited', 'Legacy');
    const orgId = await newOrg(o.token);
    await attach(o.token, orgId, o.ws);
    const x = uniqueUser('legacy');
    await addAdmin(o.token, orgId, x);
    const { UpdateCommand } = await import('../../shared/db/client');
    const { db, tableName } = await import('../../shared/db/client');
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: `ORG#${orgId}`, SK: 'META' },
        UpdateExpression: 'REMOVE version, adminCount',
      }),
    );
    // Changes still work on such an item (and keep an admin)...
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(204);
    await addAdmin(o.token, orgId, x);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: `ORG#${orgId}`, SK: 'META' },
        UpdateExpression: 'REMOVE version, adminCount',
      }),
    );
    // ...and a repair writes the counters.
    const repair = await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: o.token });
    expect(repair.body).toMatchObject({ grantsWritten: [], grantsDeleted: [], countersFixed: true });
    const { GetCommand } = await import('../../shared/db/client');
    const meta = await db.send(new GetCommand({ TableName: tableName, Key: { PK: `ORG#${orgId}`, SK: 'META' } }));
    expect(meta.Item).toMatchObject({ adminCount: 2 });
    expect(typeof meta.Item?.version).toBe('number');
  });

  it('refuses a body', async () => {
    const o = await createWorkspace(t, 'unlimited');
    const orgId = await newOrg(o.token);
    const res = await t.call('POST', `/v1/organizations/${orgId}/repair`, { token: o.token, body: { userIds: ['x'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});

describe('company-admin changes are audited in every workspace they affect', () => {
  it('adding and removing a company admin leaves an entry in each workspace of the organization', async () => {
    const o = await createWorkspace(t, 'unlimited', 'Audit A');
    const orgId = await newOrg(o.token);
    const others = [await ownWorkspace(o.token, 'Audit B'), await ownWorkspace(o.token, 'Audit C')];
    const all = [o.ws, ...others];
    for (const ws of all) await attach(o.token, orgId, ws);
    const x = uniqueUser('audited');
    await addAdmin(o.token, orgId, x);
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(204);
    for (const ws of all) {
      const res = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token: o.token });
      const entries = res.body.items.filter((e: any) => e.target.type === 'companyAdmin' && e.target.id === x);
      expect(entries.map((e: any) => e.action)).toEqual(['organization.admin.remove', 'organization.admin.add']);
      for (const e of entries) expect(e.actor).toEqual({ memberId: null, userId: o.owner, source: 'app' });
      expect(entries[1].after).toMatchObject({ orgId, userId: x, access: 'full' });
      expect(entries[0].before).toMatchObject({ orgId, userId: x, access: 'full' });
    }
    // Attaching is audited too, naming who gains access with it.
    const attachEntry = (
      await t.call('GET', `/v1/workspaces/${others[0]}/audit-log?limit=100`, { token: o.token })
    ).body.items.find((e: any) => e.action === 'workspace.organization.attach');
    expect(attachEntry.after).toEqual({ orgId, companyAdmins: [o.owner] });
  });

  it('caps an organization at 45 workspaces so every change fits one transaction, with a plan_limit beyond', async () => {
    const o = await createWorkspace(t, 'unlimited', 'Big 0');
    const orgId = await newOrg(o.token);
    const workspaces = [o.ws];
    for (let i = 1; i < 45; i++) workspaces.push(await ownWorkspace(o.token, `Big ${i}`));
    for (const ws of workspaces) await attach(o.token, orgId, ws);

    // The largest admin change: 3 items + a grant and an audit entry in each of 45 workspaces.
    const x = uniqueUser('big');
    await addAdmin(o.token, orgId, x);
    const xToken = await t.token(x);
    expect(await meStatus(xToken, workspaces[44] as string)).toBe(200);
    expect(await auditActions(o.token, workspaces[44] as string, x)).toEqual(['organization.admin.add']);
    expect((await t.call('DELETE', `/v1/organizations/${orgId}/admins/${x}`, { token: o.token })).status).toBe(204);
    expect(await meStatus(xToken, workspaces[44] as string)).toBe(403);
    expect(await auditActions(o.token, workspaces[0] as string, x)).toEqual([
      'organization.admin.remove',
      'organization.admin.add',
    ]);

    const extra = await ownWorkspace(o.token, 'Big 45');
    const refused = await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${extra}`, { token: o.token });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'plan_limit', limit: 'organizationWorkspaces', max: 45 });
    const org = await t.call('GET', `/v1/organizations/${orgId}`, { token: o.token });
    expect(org.body.workspaceIds).toHaveLength(45);
    expect(org.body.workspaceIds).not.toContain(extra);
    expect(await auditActions(o.token, extra, extra)).toEqual(['workspace.create']);
  });
});

describe("a company admin's API keys", () => {
  it('stop at once, on reads and writes, when the admin is removed; a member key is unaffected', async () => {
    const a = await createWorkspace(t, 'unlimited', 'Cadmin keys');
    const base = `/v1/workspaces/${a.ws}`;
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Key Group' } });
    const orgId = org.body.id;
    expect((await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${a.ws}`, { token: a.token })).status).toBe(200);
    const cadmin = uniqueUser('cadmin');
    const admins = `/v1/organizations/${orgId}/admins`;
    expect((await t.call('POST', admins, { token: a.token, body: { userId: cadmin } })).status).toBe(201);
    const token = await t.token(cadmin);
    const created = await t.call('POST', `${base}/api-keys`, { token, body: { name: 'cadmin key', roleId: 'admin' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.createdBy).toBe(`cadmin_${cadmin}`);
    const key = created.body.key as string;
    const member = await addMember(t, a.ws, 'owner');
    const memberKey = await t.call('POST', `${base}/api-keys`, {
      token: await t.token(member.userId),
      body: { name: 'member key', roleId: 'admin' },
    });
    expect(memberKey.status, memberKey.text).toBe(201);
    const rename = (k: string, name: string) => t.call('PATCH', base, { token: k, body: { name } });

    expect((await t.call('GET', `${base}/me`, { token: key })).status).toBe(200);
    expect((await rename(key, 'By cadmin key')).status).toBe(200);
    const before = await t.call('GET', `${base}/api-keys`, { token: a.token });
    expect(before.body.items.filter((k: { suspended?: boolean }) => k.suspended)).toEqual([]);

    expect((await t.call('DELETE', `${admins}/${cadmin}`, { token: a.token })).status).toBe(204);
    // Refused at once (the harness caches nothing; in production, reads after the cache TTL), writes included.
    expect((await t.call('GET', `${base}/me`, { token: key })).status).toBe(401);
    expect((await rename(key, 'After removal')).status).toBe(401);
    expect((await t.call('GET', `${base}/me`, { token: memberKey.body.key })).status).toBe(200);
    expect((await rename(memberKey.body.key, 'By member key')).status).toBe(200);
    const after = await t.call('GET', `${base}/api-keys`, { token: a.token });
    const byId = new Map((after.body.items as { id: string }[]).map((k) => [k.id, k]));
    expect(byId.get(created.body.id)).toMatchObject({
      suspended: true,
      suspendedReason: 'owner no longer a company admin',
    });
    expect(byId.get(memberKey.body.id)).not.toHaveProperty('suspended');

    // Added again: their own token works, the key made in the earlier tenure does not; a new key does.
    expect((await t.call('POST', admins, { token: a.token, body: { userId: cadmin } })).status).toBe(201);
    expect((await t.call('GET', `${base}/me`, { token })).status).toBe(200);
    expect((await t.call('GET', `${base}/me`, { token: key })).status).toBe(401);
    expect((await rename(key, 'After re-adding')).status).toBe(401);
    const again = await t.call('POST', `${base}/api-keys`, { token, body: { name: 'new key', roleId: 'admin' } });
    expect(again.status, again.text).toBe(201);
    expect((await rename(again.body.key, 'By new cadmin key')).status).toBe(200);
    const listed = await t.call('GET', `${base}/api-keys`, { token: a.token });
    const shown = new Map((listed.body.items as { id: string }[]).map((k) => [k.id, k]));
    expect(shown.get(created.body.id)).toMatchObject({ suspended: true });
    expect(shown.get(again.body.id)).not.toHaveProperty('suspended');
  });
});
