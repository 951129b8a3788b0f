// Access requests with approval (PRODUCT.md §10, issue 11): someone who could grant it, and is not the
// requester, approves or denies; approval applies the grant in the transaction that closes the request; of a
// concurrent approve and deny exactly one wins; a request expires after 7 days (injected clock); approvers
// are emailed through the stream → mailer → SES path; `requireApprovalFor` turns grants into requests.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { dynamoInterceptors, type Interceptor } from '../../shared/db/client';
import { addMember, createWorkspace, type Reply, testApiForFile } from '../fixtures/api';
import { dynamoRequests } from '../fixtures/dynamo-calls';
import { mailsTo } from '../fixtures/mail';

const t = testApiForFile({ resetClock: true });

describe('access requests', () => {
  it('a member asks; not itself, not someone lacking it (403 naming what exceeds); an able approver applies it at once', async () => {
    const w = await createWorkspace(t, 'pro', 'Requests');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const admin = await addMember(t, w.ws, 'admin');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const asked = await t.call('POST', `${base}/access-requests`, {
      token: agent.token,
      body: { permissions: { 'apiKeys.manage': true }, reason: 'CRM sync', until },
    });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body).toMatchObject({ status: 'pending', memberId: agent.memberId, requestedBy: agent.memberId });
    const id = asked.body.id as string;

    // The Owner (who could approve) is emailed.
    const mail = await mailsTo(t, `${w.owner}@example.test`);
    expect(mail[0]!.text).toContain('CRM sync');
    // Its link opens the console's Access requests page of this workspace.
    expect(mail[0]!.text).toMatch(new RegExp(`https?://[^\\s]+/console/w/${w.ws}/access-requests(\\s|$)`));

    const own = await t.call('POST', `${base}/access-requests/${id}/approve`, { token: agent.token });
    expect(own.status).toBe(403);
    const lacking = await t.call('POST', `${base}/access-requests/${id}/approve`, { token: admin.token });
    expect(lacking.status).toBe(403);
    expect(lacking.body.error.exceeds).toEqual([{ permission: 'apiKeys.manage', requested: true, held: null }]);
    expect((await t.call('POST', `${base}/access-requests/${id}/deny`, { token: admin.token })).status).toBe(403);

    const ok = await t.call('POST', `${base}/access-requests/${id}/approve`, { token: w.token });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: w.ownerMemberId });
    const me = await t.call('GET', `${base}/me`, { token: agent.token });
    expect(me.body.grants).toHaveLength(1);
    expect(me.body.permissions['apiKeys.manage']).toBe(true);
    expect((await t.call('POST', `${base}/access-requests/${id}/approve`, { token: w.token })).status).toBe(409);

    const mine = await t.call('GET', `${base}/access-requests`, { token: agent.token });
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const audit = await t.call('GET', `${base}/audit-log?limit=100`, { token: w.token });
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['accessRequest.create', 'accessRequest.approve', 'grant.create']));
  });

  it('concurrent approve and deny: exactly one wins', async () => {
    const w = await createWorkspace(t, 'pro', 'Race');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const admin = await addMember(t, w.ws, 'admin');
    for (let i = 0; i < 5; i++) {
      const asked = await t.call('POST', `${base}/access-requests`, {
        token: agent.token,
        body: { roleId: 'manager', reason: `round ${i}` },
      });
      expect(asked.status, asked.text).toBe(201);
      const [a, d] = await Promise.all([
        t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: w.token }),
        t.call('POST', `${base}/access-requests/${asked.body.id}/deny`, { token: admin.token }),
      ]);
      expect([a.status, d.status].sort()).toEqual([200, 409]);
      const member = await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token });
      expect(member.body.roleId).toBe(a.status === 200 ? 'manager' : 'agent');
      if (a.status === 200) {
        // Back to agent for the next round.
        expect(
          (await t.call('PATCH', `${base}/members/${agent.memberId}`, { token: w.token, body: { roleId: 'agent' } }))
            .status,
        ).toBe(200);
      }
    }
  });

  it('an expired request cannot be approved (7 days, injected clock)', async () => {
    const w = await createWorkspace(t, 'pro', 'Expiry');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const asked = await t.call('POST', `${base}/access-requests`, {
      token: agent.token,
      body: { roleId: 'manager', reason: 'Covering' },
    });
    setClockForTests(Date.parse(asked.body.expiresAt) + 1);
    const late = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: w.token });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/expired/);
    const list = await t.call('GET', `${base}/access-requests?status=expired`, { token: w.token });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([asked.body.id]);
    setClockForTests();
    expect((await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token })).body.roleId).toBe('agent');
  });

  it('requireApprovalFor: a role change or grant by anyone but the Owner becomes a pending request (202)', async () => {
    const w = await createWorkspace(t, 'pro', 'Approval required');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const admin = await addMember(t, w.ws, 'admin');
    const admin2 = await addMember(t, w.ws, 'admin');
    // Only the Owner sets it.
    expect(
      (await t.call('PATCH', base, { token: admin.token, body: { settings: { requireApprovalFor: ['admin'] } } }))
        .status,
    ).toBe(403);
    const set = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['admin', 'roles.manage'] } },
    });
    expect(set.status, set.text).toBe(200);
    const change = await t.call('PATCH', `${base}/members/${agent.memberId}`, {
      token: admin.token,
      body: { roleId: 'admin' },
    });
    expect(change.status, change.text).toBe(202);
    expect(change.body).toMatchObject({
      status: 'pending',
      kind: 'role',
      roleId: 'admin',
      requestedBy: admin.memberId,
    });
    expect((await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token })).body.roleId).toBe('agent');
    const grant = await t.call('POST', `${base}/members/${agent.memberId}/grants`, {
      token: admin.token,
      body: {
        permissions: { 'roles.manage': true },
        until: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'x',
      },
    });
    expect(grant.status, grant.text).toBe(202);
    // The one who asked cannot approve it; another Admin can.
    expect(
      (await t.call('POST', `${base}/access-requests/${change.body.id}/approve`, { token: admin.token })).status,
    ).toBe(403);
    const ok = await t.call('POST', `${base}/access-requests/${change.body.id}/approve`, { token: admin2.token });
    expect(ok.status, ok.text).toBe(200);
    expect((await t.call('GET', `${base}/members/${agent.memberId}`, { token: w.token })).body.roleId).toBe('admin');
    // The Owner's own changes take effect.
    const direct = await t.call('PATCH', `${base}/members/${admin.memberId}`, {
      token: w.token,
      body: { roleId: 'agent' },
    });
    expect(direct.status).toBe(200);
  });
});

/** Runs `meanwhile` when `fn` reaches its first TransactWriteItems, before that transaction goes out. */
async function holdingTransaction<T>(fn: () => Promise<T>, meanwhile: () => Promise<unknown>): Promise<T> {
  let held = false;
  const hold: Interceptor = async (call, next) => {
    if (!held && call.operation === 'TransactWriteItems') {
      held = true;
      await meanwhile();
    }
    return next();
  };
  dynamoInterceptors.add(hold);
  try {
    return await fn();
  } finally {
    dynamoInterceptors.delete(hold);
  }
}

describe('requireApprovalFor names only what exists', () => {
  const settingsOf = async (base: string, token: string) =>
    (await t.call('GET', base, { token })).body.settings.requireApprovalFor as string[] | undefined;

  it('a typo, an unknown role or another workspace’s role is a 400 naming each bad entry; nothing is written', async () => {
    const w = await createWorkspace(t, 'pro', 'Approval entries');
    const other = await createWorkspace(t, 'pro', 'Approval entries elsewhere');
    const base = `/v1/workspaces/${w.ws}`;
    const elsewhere = await t.call('POST', `/v1/workspaces/${other.ws}/roles`, {
      token: other.token,
      body: { name: 'Elsewhere', cloneFrom: 'agent' },
    });
    expect(elsewhere.status, elsewhere.text).toBe(201);
    const set = await t.call('PATCH', base, { token: w.token, body: { settings: { requireApprovalFor: ['admin'] } } });
    expect(set.status, set.text).toBe(200);
    const bad = await t.call('PATCH', base, {
      token: w.token,
      body: {
        name: 'Renamed',
        settings: { requireApprovalFor: ['roles.manage', 'roles.manag', 'manager', 'role_nope', elsewhere.body.id] },
      },
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'body.settings.requireApprovalFor.1',
      'body.settings.requireApprovalFor.3',
      'body.settings.requireApprovalFor.4',
    ]);
    expect(bad.body.error.message).toContain('"roles.manag"');
    expect(bad.body.error.message).toContain('"role_nope"');
    expect(bad.body.error.message).toContain(`"${elsewhere.body.id}"`);
    const after = await t.call('GET', base, { token: w.token });
    expect(after.body.name).not.toBe('Renamed');
    expect(after.body.settings.requireApprovalFor).toEqual(['admin']);
    // A permission, a built-in role and this workspace's custom role are taken.
    const mine = await t.call('POST', `${base}/roles`, { token: w.token, body: { name: 'Mine', cloneFrom: 'agent' } });
    expect(mine.status, mine.text).toBe(201);
    const good = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['roles.manage', 'manager', mine.body.id] } },
    });
    expect(good.status, good.text).toBe(200);
    expect(await settingsOf(base, w.token)).toEqual(['roles.manage', 'manager', mine.body.id]);
  });

  it('a listed custom role is not deleted (409 naming the setting) until the Owner takes it off the list', async () => {
    const w = await createWorkspace(t, 'pro', 'Approval role delete');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const role = await t.call('POST', `${base}/roles`, {
      token: w.token,
      body: { name: 'Listed', cloneFrom: 'agent' },
    });
    expect(role.status, role.text).toBe(201);
    const set = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['admin', role.body.id] } },
    });
    expect(set.status, set.text).toBe(200);
    for (const token of [admin.token, w.token]) {
      const refused = await t.call('DELETE', `${base}/roles/${role.body.id}`, { token });
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.error.message).toContain('requireApprovalFor');
      expect(refused.body.error.setting).toBe('requireApprovalFor');
    }
    expect((await t.call('GET', `${base}/roles/${role.body.id}`, { token: w.token })).status).toBe(200);
    expect(await settingsOf(base, w.token)).toEqual(['admin', role.body.id]);
    const unlisted = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { requireApprovalFor: ['admin'] } },
    });
    expect(unlisted.status, unlisted.text).toBe(200);
    expect((await t.call('DELETE', `${base}/roles/${role.body.id}`, { token: admin.token })).status).toBe(204);
  });

  it('a role deletion and a list naming it, interleaved: exactly one lands, never a list naming a deleted role', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Approval race');
    const base = `/v1/workspaces/${w.ws}`;
    const newRole = async (name: string) => {
      const r = await t.call('POST', `${base}/roles`, { token: w.token, body: { name, cloneFrom: 'agent' } });
      expect(r.status, r.text).toBe(201);
      return r.body.id as string;
    };
    const list = (ids: string[]) =>
      t.call('PATCH', base, { token: w.token, body: { settings: { requireApprovalFor: ids } } });

    // The deletion read the workspace before the list named the role; the list commits first.
    const first = await newRole('Race one');
    let listed: Reply | undefined;
    const deleted = await holdingTransaction(
      () => t.call('DELETE', `${base}/roles/${first}`, { token: w.token }),
      async () => {
        listed = await list([first]);
      },
    );
    expect(listed?.status, listed?.text).toBe(200);
    expect(deleted.status, deleted.text).toBe(409);
    expect((await t.call('GET', `${base}/roles/${first}`, { token: w.token })).status).toBe(200);
    expect(await settingsOf(base, w.token)).toEqual([first]);

    // The list read the role before its deletion; the deletion commits first.
    const second = await newRole('Race two');
    let gone: Reply | undefined;
    const late = await holdingTransaction(
      () => list([first, second]),
      async () => {
        gone = await t.call('DELETE', `${base}/roles/${second}`, { token: w.token });
      },
    );
    expect(gone?.status, gone?.text).toBe(204);
    expect(late.status, late.text).toBe(409);
    expect(await settingsOf(base, w.token)).toEqual([first]);
    // Asked again, it is decided on the fresh read: the deleted role is an unknown entry.
    const again = await list([first, second]);
    expect(again.status, again.text).toBe(400);
    expect(again.body.error.issues).toHaveLength(1);
  });
});

describe('requireApprovalFor and invitations', () => {
  it('an invitation granting a listed role by anyone but the Owner waits for approval; approving sends it', async () => {
    const w = await createWorkspace(t, 'pro', 'Invite approval');
    const base = `/v1/workspaces/${w.ws}`;
    const admin = await addMember(t, w.ws, 'admin');
    const admin2 = await addMember(t, w.ws, 'admin');
    expect(
      (await t.call('PATCH', base, { token: w.token, body: { settings: { requireApprovalFor: ['admin'] } } })).status,
    ).toBe(200);
    const email = `frank-${w.ws.slice(-6).toLowerCase()}@example.test`;
    const asked = await t.call('POST', `${base}/invitations`, { token: admin.token, body: { email, roleId: 'admin' } });
    expect(asked.status, asked.text).toBe(202);
    expect(asked.body).toMatchObject({ kind: 'invitation', email, roleId: 'admin', status: 'pending' });
    expect((await t.call('GET', `${base}/invitations`, { token: w.token })).body.items).toHaveLength(0);
    // A non-listed role is sent at once.
    expect(
      (
        await t.call('POST', `${base}/invitations`, {
          token: admin.token,
          body: { email: `g-${email}`, roleId: 'agent' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: admin.token })).status,
    ).toBe(403);
    const ok = await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: admin2.token });
    expect(ok.status, ok.text).toBe(200);
    const invitations = (await t.call('GET', `${base}/invitations`, { token: w.token })).body.items as {
      email: string;
    }[];
    expect(invitations.map((i) => i.email)).toContain(email);
    expect(
      (await t.call('POST', `${base}/access-requests/${asked.body.id}/approve`, { token: admin2.token })).status,
    ).toBe(409);
  });
});

describe('listing access requests', () => {
  /** Every page of a list, walking `nextCursor` (each page checked against `limit`). */
  async function pages(path: string, token: string, limit: number) {
    const out: string[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res: Reply = await t.call(
        'GET',
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token },
      );
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      out.push((res.body.items as { id: string }[]).map((r) => r.id));
      cursor = res.body.nextCursor;
      expect(out.length).toBeLessThan(20);
    } while (cursor);
    return out;
  }

  it('pages with a DynamoDB cursor, newest first; status lists through the key design; members see their own', async () => {
    const w = await createWorkspace(t, 'pro', 'Request lists');
    const base = `/v1/workspaces/${w.ws}`;
    const a = await addMember(t, w.ws, 'agent');
    const b = await addMember(t, w.ws, 'agent');
    const ask = async (who: { token: string }, reason: string) => {
      const res = await t.call('POST', `${base}/access-requests`, {
        token: who.token,
        body: { roleId: 'manager', reason },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    // Two asked 8 days ago: expired now.
    setClockForTests(Date.now() - 8 * 86_400_000);
    const r1 = await ask(a, 'old a');
    const r2 = await ask(b, 'old b');
    setClockForTests();
    const r3 = await ask(a, 'approved');
    const r4 = await ask(a, 'denied');
    const r5 = await ask(a, 'pending a');
    const r6 = await ask(b, 'pending b');
    expect((await t.call('POST', `${base}/access-requests/${r3}/approve`, { token: w.token })).status).toBe(200);
    expect((await t.call('POST', `${base}/access-requests/${r4}/deny`, { token: w.token })).status).toBe(200);

    const list = `${base}/access-requests`;
    const all = await pages(list, w.token, 2);
    expect(all.flat()).toEqual([r6, r5, r4, r3, r2, r1]);
    expect(all.slice(0, 3).every((p) => p.length === 2)).toBe(true);
    expect((await pages(`${list}?status=pending`, w.token, 1)).flat()).toEqual([r6, r5]);
    expect((await pages(`${list}?status=expired`, w.token, 1)).flat()).toEqual([r2, r1]);
    expect((await pages(`${list}?status=approved`, w.token, 5)).flat()).toEqual([r3]);
    expect((await pages(`${list}?status=denied`, w.token, 5)).flat()).toEqual([r4]);
    const statuses = await t.call('GET', `${list}?limit=100`, { token: w.token });
    expect(
      Object.fromEntries((statuses.body.items as { id: string; status: string }[]).map((r) => [r.id, r.status])),
    ).toEqual({
      [r1]: 'expired',
      [r2]: 'expired',
      [r3]: 'approved',
      [r4]: 'denied',
      [r5]: 'pending',
      [r6]: 'pending',
    });

    // A member without teammates.manage: its own only, pages filled across the others' requests.
    const mine = await pages(list, a.token, 1);
    expect(mine.flat()).toEqual([r5, r4, r3, r1]);
    expect(mine.slice(0, 4).every((p) => p.length === 1)).toBe(true);
    expect((await pages(`${list}?status=pending`, a.token, 10)).flat()).toEqual([r5]);
    expect((await pages(`${list}?status=expired`, b.token, 10)).flat()).toEqual([r2]);

    // One Query per page (GSI1 for a status), not a read of every request.
    const calls = await dynamoRequests(() => t.call('GET', `${list}?status=approved&limit=1`, { token: w.token }));
    expect(calls.filter((c) => c.command === 'QueryCommand')).toEqual([{ command: 'QueryCommand', index: 'GSI1' }]);
    const plain = await dynamoRequests(() => t.call('GET', `${list}?limit=2`, { token: w.token }));
    expect(plain.filter((c) => c.command === 'QueryCommand')).toEqual([{ command: 'QueryCommand' }]);

    // A cursor belongs to its list.
    const approvedPage = await t.call('GET', `${list}?status=approved&limit=1`, { token: w.token });
    const cursor = encodeURIComponent(approvedPage.body.nextCursor);
    for (const other of [`${list}?status=denied&cursor=${cursor}`, `${list}?cursor=${cursor}`, `${list}?cursor=nope`]) {
      const res = await t.call('GET', other, { token: w.token });
      expect(res.status, other).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    // A forged cursor of this list with an empty key value is a 400, not a DynamoDB ValidationException (500).
    const key = JSON.parse(Buffer.from(approvedPage.body.nextCursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...key, GSI1SK: '' })).toString('base64url');
    const emptyKey = await t.call('GET', `${list}?status=approved&cursor=${forged}`, { token: w.token });
    expect(emptyKey.status, emptyKey.text).toBe(400);
    expect(emptyKey.body.error.code).toBe('invalid_request');
    // A pending page's cursor whose request expired meanwhile ends the pending list (never a 5xx).
    const first = await t.call('GET', `${list}?status=pending&limit=1`, { token: w.token });
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([r6]);
    setClockForTests(Date.now() + 8 * 86_400_000);
    const after = await t.call(
      'GET',
      `${list}?status=pending&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: w.token,
      },
    );
    expect(after.status, after.text).toBe(200);
    expect(after.body).toEqual({ items: [], nextCursor: null });
    expect((await pages(`${list}?status=expired`, w.token, 10)).flat()).toEqual([r6, r5, r2, r1]);
  });
});
