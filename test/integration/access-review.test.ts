// Role-edit simulation, member role simulation and the access review, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { parseCsv } from '../fixtures/csv';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function fixture() {
  const w = await createWorkspace(t, 'unlimited', 'Review');
  const role = await t.call('POST', `/v1/workspaces/${w.ws}/roles`, {
    token: w.token,
    body: {
      name: 'Support',
      permissions: { 'messages.view': 'all', 'messages.send': 'all', 'contacts.update': true, 'analytics.view': true },
    },
  });
  expect(role.status, role.text).toBe(201);
  const plain = await addMember(t, w.ws, role.body.id);
  const cadmin = await addMember(t, w.ws, role.body.id);
  // cadmin becomes a company admin of the workspace's organization: it keeps everything whatever the role.
  const org = await t.call('POST', '/v1/organizations', { token: w.token, body: { name: 'Group' } });
  expect(org.status, org.text).toBe(201);
  const attach = await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${w.ws}`, { token: w.token });
  expect(attach.status, attach.text).toBe(200);
  const admin = await t.call('POST', `/v1/organizations/${org.body.id}/admins`, {
    token: w.token,
    body: { userId: cadmin.userId },
  });
  expect(admin.status, admin.text).toBe(201);
  const key = await t.call('POST', `/v1/workspaces/${w.ws}/api-keys`, {
    token: w.token,
    body: { name: 'Bot', roleId: role.body.id },
  });
  expect(key.status, key.text).toBe(201);
  const invite = await t.call('POST', `/v1/workspaces/${w.ws}/invitations`, {
    token: w.token,
    body: { email: `${plain.userId}-friend@example.test`, roleId: role.body.id },
  });
  expect(invite.status, invite.text).toBe(201);
  return {
    ...w,
    roleId: role.body.id as string,
    version: role.body.version as number,
    plain,
    cadmin,
    keyId: key.body.id,
    inviteId: invite.body.id,
    orgId: org.body.id as string,
  };
}

describe('POST .../roles/{roleId}/simulate', () => {
  it('lists who loses a permission, who keeps it and why, the invitations and keys; PATCH then gives exactly that', async () => {
    const f = await fixture();
    const edit = { permissions: { 'messages.send': false, 'messages.view': 'groups', 'tags.apply': true } };
    const sim = await t.call('POST', `/v1/workspaces/${f.ws}/roles/${f.roleId}/simulate`, {
      token: f.token,
      body: edit,
    });
    expect(sim.status, sim.text).toBe(200);
    expect(sim.body).toMatchObject({ roleId: f.roleId, version: f.version, mayApply: true });
    const change = (p: string) => sim.body.changes.find((c: any) => c.permission === p);
    expect(change('messages.send')).toMatchObject({ before: 'all', after: null, change: 'removed' });
    expect(change('messages.view')).toMatchObject({ before: 'all', after: 'groups', change: 'narrowed' });
    expect(change('tags.apply')).toMatchObject({ before: null, after: true, change: 'added' });
    const ids = (list: any[]) => list.map((h) => h.id).sort();
    expect(ids(change('messages.send').lose)).toEqual([f.inviteId, f.keyId, f.plain.memberId].sort());
    expect(change('messages.send').unchanged).toEqual([
      expect.objectContaining({ id: f.cadmin.memberId, reason: expect.stringMatching(/company admin/i) }),
    ]);
    expect(ids(change('tags.apply').gain)).toContain(f.plain.memberId);
    // Nothing was written.
    const role = await t.call('GET', `/v1/workspaces/${f.ws}/roles/${f.roleId}`, { token: f.token });
    expect(role.body.version).toBe(f.version);
    expect(role.body.permissions['messages.send']).toBe('all');

    const patched = await t.call('PATCH', `/v1/workspaces/${f.ws}/roles/${f.roleId}`, {
      token: f.token,
      body: { ...edit, version: sim.body.version },
    });
    expect(patched.status, patched.text).toBe(200);
    for (const who of [f.plain, f.cadmin]) {
      const me = await t.call('GET', `/v1/workspaces/${f.ws}/me`, { token: who.token });
      const simulated = sim.body.holders.find((h: any) => h.id === who.memberId);
      expect(me.body.permissions).toEqual(simulated.permissionsAfter);
    }
    // Computed on a version that is no longer the role's: 409.
    const stale = await t.call('POST', `/v1/workspaces/${f.ws}/roles/${f.roleId}/simulate`, {
      token: f.token,
      body: { ...edit, version: f.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
  });

  it('names the escalation and plan problems the edit would hit, without refusing the preview', async () => {
    const f = await fixture();
    const editor = await t.call('POST', `/v1/workspaces/${f.ws}/roles`, {
      token: f.token,
      body: { name: 'Editor', permissions: { 'roles.manage': true, 'messages.view': 'all' } },
    });
    const who = await addMember(t, f.ws, editor.body.id);
    const sim = await t.call('POST', `/v1/workspaces/${f.ws}/roles/${f.roleId}/simulate`, {
      token: who.token,
      body: { permissions: { 'billing.manage': true } },
    });
    expect(sim.status, sim.text).toBe(200);
    expect(sim.body.mayApply).toBe(false);
    const escalation = sim.body.problems.filter((p: any) => p.kind === 'escalation');
    expect(escalation.flatMap((p: any) => p.exceeds.map((e: any) => e.permission))).toContain('billing.manage');
    const patch = await t.call('PATCH', `/v1/workspaces/${f.ws}/roles/${f.roleId}`, {
      token: who.token,
      body: { permissions: { 'billing.manage': true } },
    });
    expect(patch.status).toBe(403);
    // Built-in roles are refused like PATCH (409); unknown ones are 404; a malformed map is 400.
    expect(
      (
        await t.call('POST', `/v1/workspaces/${f.ws}/roles/agent/simulate`, {
          token: f.token,
          body: { description: 'x' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await t.call('POST', `/v1/workspaces/${f.ws}/roles/role_nope/simulate`, {
          token: f.token,
          body: { description: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.call('POST', `/v1/workspaces/${f.ws}/roles/${f.roleId}/simulate`, {
          token: f.token,
          body: { permissions: { 'rockets.launch': true } },
        })
      ).status,
    ).toBe(400);
  });
});

describe('POST .../members/{memberId}/simulate-role', () => {
  it('what a member gains and loses, the inboxes they would see, and what would refuse it', async () => {
    const f = await fixture();
    const inbox = await t.call('POST', `/v1/workspaces/${f.ws}/inboxes`, {
      token: f.token,
      body: { name: 'VIP', visibility: 'private', kind: 'shared' },
    });
    const sim = await t.call('POST', `/v1/workspaces/${f.ws}/members/${f.plain.memberId}/simulate-role`, {
      token: f.token,
      body: { roleId: 'manager' },
    });
    expect(sim.status, sim.text).toBe(200);
    expect(sim.body).toMatchObject({ fromRoleId: f.roleId, toRoleId: 'manager', mayApply: true, companyAdmin: false });
    expect(sim.body.inboxes.gain).toEqual([inbox.body.id]);
    expect(sim.body.changes.find((c: any) => c.permission === 'inboxes.private.access').gain).toHaveLength(1);
    const applied = await t.call('PATCH', `/v1/workspaces/${f.ws}/members/${f.plain.memberId}`, {
      token: f.token,
      body: { roleId: 'manager' },
    });
    expect(applied.status).toBe(200);
    const me = await t.call('GET', `/v1/workspaces/${f.ws}/me`, { token: f.plain.token });
    expect(me.body.permissions).toEqual(sim.body.permissionsAfter);
    const self = await t.call('POST', `/v1/workspaces/${f.ws}/members/${f.ownerMemberId}/simulate-role`, {
      token: f.token,
      body: { roleId: 'admin' },
    });
    expect(self.body.mayApply).toBe(false);
    expect(self.body.problems.map((p: any) => p.kind)).toEqual(expect.arrayContaining(['self', 'owner']));
  });
});

describe('GET .../access-review', () => {
  it('every member and API key with role, effective permissions, inboxes and how, last change; pages; CSV', async () => {
    const f = await fixture();
    const pub = await t.call('POST', `/v1/workspaces/${f.ws}/inboxes`, {
      token: f.token,
      body: { name: '=HYPERLINK("x")', visibility: 'public', kind: 'shared' },
    });
    const priv = await t.call('POST', `/v1/workspaces/${f.ws}/inboxes`, {
      token: f.token,
      body: { name: 'VIP', visibility: 'private', kind: 'shared' },
    });
    await t.call('POST', `/v1/workspaces/${f.ws}/teams`, {
      token: f.token,
      body: { name: 'Tier 2', memberIds: [f.plain.memberId], inboxIds: [priv.body.id] },
    });
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.call(
        'GET',
        `/v1/workspaces/${f.ws}/access-review?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token: f.token,
        },
      );
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(items.filter((i) => i.type === 'member')).toHaveLength(3);
    expect(items.filter((i) => i.type === 'apiKey').map((i) => i.id)).toEqual([f.keyId]);
    const plain = items.find((i) => i.id === f.plain.memberId);
    expect(plain).toMatchObject({ roleId: f.roleId, roleName: 'Support', companyAdmin: false });
    expect(plain.permissions['messages.view']).toBe('all');
    const reach = Object.fromEntries(plain.inboxes.map((i: any) => [i.inboxId, i]));
    expect(reach[priv.body.id]).toMatchObject({ via: ['team'], teamIds: [expect.any(String)] });
    expect(reach[pub.body.id].via).toEqual(['public']);
    expect(plain.lastChange).toMatchObject({ action: expect.any(String), at: expect.any(String) });
    const cadmin = items.find((i) => i.id === f.cadmin.memberId);
    expect(cadmin.companyAdmin).toBe(true);
    expect(cadmin.permissions['billing.manage']).toBe(true);

    const csv = await t.call('GET', `/v1/workspaces/${f.ws}/access-review?format=csv`, { token: f.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^type,id,label/);
    expect(lines).toHaveLength(1 + items.length);
    expect(csv.text).not.toMatch(/(^|,)"=/m);
    expect(csv.text).toContain(`'=HYPERLINK`);

    // Only with teammates.manage.
    const agent = await addMember(t, f.ws, 'agent');
    const refused = await t.call('GET', `/v1/workspaces/${f.ws}/access-review`, { token: agent.token });
    expect(refused.status).toBe(403);
  });
  it('lists company admins who are not members, with what the authorizer gives them, between members and keys', async () => {
    const f = await fixture();
    const base = `/v1/workspaces/${f.ws}`;
    const vip = await t.call('POST', `${base}/inboxes`, {
      token: f.token,
      body: { name: 'VIP', visibility: 'private', kind: 'shared' },
    });
    expect(vip.status, vip.text).toBe(201);
    const orgId = f.orgId;
    const outsider = uniqueUser('outsider');
    const added = await t.call('POST', `/v1/organizations/${orgId}/admins`, {
      token: f.token,
      body: { userId: outsider, email: `${outsider}@example.test` },
    });
    expect(added.status, added.text).toBe(201);
    const outsiderToken = await t.token(outsider);
    // The authorizer lets the outsider in: the review must say so.
    expect((await t.call('GET', `${base}/me`, { token: outsiderToken })).status).toBe(200);

    const pages = async (limit: number) => {
      const items: any[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await t.call(
          'GET',
          `${base}/access-review?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          {
            token: f.token,
          },
        );
        expect(res.status, res.text).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return items;
    };
    const items = await pages(1);
    // Members, then the company admins who are not members, then keys; each once whatever the page size.
    expect(items.map((i) => i.type)).toEqual(['member', 'member', 'member', 'companyAdmin', 'apiKey']);
    expect((await pages(100)).map((i) => `${i.type}:${i.id}`)).toEqual(items.map((i) => `${i.type}:${i.id}`));
    expect((await pages(2)).map((i) => `${i.type}:${i.id}`)).toEqual(items.map((i) => `${i.type}:${i.id}`));
    // The Owner (who created the organization) and the member company admin are member rows only.
    expect(items.filter((i) => i.userId === f.owner || i.userId === f.cadmin.userId).map((i) => i.type)).toEqual([
      'member',
      'member',
    ]);
    const row = items.find((i) => i.type === 'companyAdmin');
    const ownerRow = items.find((i) => i.userId === f.owner);
    expect(row).toMatchObject({
      id: outsider,
      userId: outsider,
      label: `${outsider}@example.test`,
      roleId: 'companyAdmin',
      companyAdmin: true,
      status: 'active',
      grants: [],
      roleGrant: null,
      lastChange: { action: 'organization.admin.add', target: { type: 'companyAdmin', id: outsider } },
    });
    expect(row.permissions).toEqual(ownerRow.permissions);
    expect(row.inboxes).toEqual([expect.objectContaining({ inboxId: vip.body.id, via: ['private access'] })]);

    const csv = await t.call('GET', `${base}/access-review?format=csv`, { token: f.token });
    expect(csv.status).toBe(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(rows).toHaveLength(items.length);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('type')])).toEqual(items.map((i) => i.type));
    const csvRow = rows.find((r) => r[col('type')] === 'companyAdmin')!;
    expect([csvRow[col('id')], csvRow[col('userId')], csvRow[col('roleId')], csvRow[col('companyAdmin')]]).toEqual([
      outsider,
      outsider,
      'companyAdmin',
      'true',
    ]);
    expect(csvRow[col('inboxes')]).toContain(`(${vip.body.id}) via private access`);

    // No longer a company admin: no access, no row.
    const removed = await t.call('DELETE', `/v1/organizations/${orgId}/admins/${outsider}`, { token: f.token });
    expect(removed.status, removed.text).toBeLessThan(300);
    expect((await t.call('GET', `${base}/me`, { token: outsiderToken })).status).toBe(403);
    expect((await pages(1)).map((i) => i.type)).toEqual(['member', 'member', 'member', 'apiKey']);
  });
});
