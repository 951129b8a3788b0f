// Access requests with approval (PRODUCT.md §10, issue 11): someone who could grant it, and is not the
// requester, approves or denies; approval applies the grant in the transaction that closes the request; of a
// concurrent approve and deny exactly one wins; a request expires after 7 days (injected clock); approvers
// are emailed through the stream → mailer → SES path; `requireApprovalFor` turns grants into requests.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterEach(() => setClockForTests());
afterAll(async () => {
  await t.stop();
});

async function waitForMail(to: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call('GET', `/dev/outbox?to=${encodeURIComponent(to)}`);
    if (res.body.items.length > 0) return res.body.items as { subject: string; text: string }[];
    if (Date.now() > deadline) throw new Error(`no email to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
    const mail = await waitForMail(`${w.owner}@example.test`);
    expect(mail[0]!.text).toContain('CRM sync');

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
