// The SES-triggered flow, seen locally over HTTP: the local SES stand-in honours SES's mailbox simulator, so
// inviting bounce@, complaint@ or suppressionlist@simulator.amazonses.com runs the real path: the mailer sends
// the invitation, SES publishes a Bounce / Complaint event to SNS, the real functions/mail-events handler marks
// the invitation bounced (giving back its seat and its role's count) and tells the inviter by email.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await read();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const seatsUsed = async (ws: string, token: string) => {
  const res = await t.call('GET', `/v1/workspaces/${ws}/billing/seats`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.limit.used as number;
};

describe('SES mailbox simulator (local SES stand-in → SNS → functions/mail-events)', () => {
  it.each([
    ['bounce@simulator.amazonses.com', 'bounce'],
    ['complaint@simulator.amazonses.com', 'complaint'],
    ['suppressionlist@simulator.amazonses.com', 'bounce'],
  ])('inviting %s ends bounced: seat and role count given back, inviter told', async (email, kind) => {
    const { ws, token, owner } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Simulated', permissions: { 'messages.view': 'assigned' } },
    });
    expect(role.status, role.text).toBe(201);
    const seatsBefore = await seatsUsed(ws, token);

    const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email, roleId: role.body.id },
    });
    expect(invited.status, invited.text).toBe(201);
    // The invitation holds a seat until its bounce comes back; the stand-in may already have delivered it (SES ->
    // SNS -> mail-events runs beside this request), in which case the invitation already reads bounced.
    const seatsInvited = await seatsUsed(ws, token);
    if (seatsInvited !== seatsBefore + 1) {
      expect(seatsInvited).toBe(seatsBefore);
      const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
      expect(list.body.items.find((i: { id: string }) => i.id === invited.body.id)?.status).toBe('bounced');
    }

    const invitation = await until('the invitation bounced', async () => {
      const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
      const it = list.body.items.find((i: { id: string }) => i.id === invited.body.id);
      return it?.status === 'bounced' ? it : undefined;
    });
    expect(invitation).toMatchObject({ email, status: 'bounced' });

    // The seat is free again and the role holds nothing: it can be deleted without reassigning anyone.
    expect(await seatsUsed(ws, token)).toBe(seatsBefore);
    const deleted = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${role.body.id}`, { token });
    expect(deleted.status, deleted.text).toBe(204);

    const notice = await until('the inviter’s notice', async () => {
      const res = await t.call('GET', `/dev/outbox?to=${encodeURIComponent(`${owner}@example.test`)}`);
      return res.body.items[0] as { subject: string; text: string } | undefined;
    });
    expect(notice.subject).toContain('could not be delivered');
    expect(notice.text).toContain(email);
    expect(notice.text).toContain(kind);

    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toContain('invitation.bounced');
  });

  it('an ordinary address stays pending', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = 'success@simulator.amazonses.com';
    const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email, roleId: 'agent' },
    });
    expect(invited.status, invited.text).toBe(201);
    await until('the invitation email', async () => {
      const res = await t.call('GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
      return res.body.items.length > 0 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items.find((i: { id: string }) => i.id === invited.body.id)?.status).toBe('pending');
  });
});
