// Over HTTP: an address spelled with a non-ASCII look-alike letter (the Kelvin sign U+212A reads as K and
// lowercases to `k`) is never the same address as the ASCII one: not for "already a member", and not for
// accepting an invitation sent to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { mailedInvitationToken } from '../fixtures/mail';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const KELVIN = '\u212A';
/** `kate@…` and `Kate@…` with a Kelvin sign, on a domain no other test uses. */
const kates = () => {
  const domain = `${uniqueUser('d')}.test`;
  return { ascii: `kate@${domain}`, kelvin: `${KELVIN}ate@${domain}` };
};

const userToken = (sub: string, email: string, emailVerified = true) =>
  t.api.issuer.sign({ sub, email, emailVerified });

const members = async (ws: string, token: string) =>
  (await t.call('GET', `/v1/workspaces/${ws}/members?limit=100`, { token })).body.items as {
    userId: string;
    email: string;
  }[];

describe('emails that only look alike', () => {
  it('lets kate@ be invited to a workspace whose owner signed in as Kelvin-sign ate@', async () => {
    const { ascii, kelvin } = kates();
    const owner = uniqueUser('kelvin-owner');
    const ownerToken = await userToken(owner, kelvin);
    const created = await t.call('POST', '/v1/workspaces', { token: ownerToken, body: { name: 'Kelvin Labs' } });
    expect(created.status).toBe(201);
    expect(created.body.member.email).toBe(kelvin);
    const ws = created.body.workspace.id as string;

    const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token: ownerToken,
      body: { email: ascii, roleId: 'agent' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: ascii, status: 'pending' });

    const kate = uniqueUser('kate');
    const accepted = await t.call('POST', '/v1/invitations/accept', {
      token: await userToken(kate, ascii),
      body: { token: await mailedInvitationToken(t, ascii) },
    });
    expect(accepted.status).toBe(200);
    expect((await members(ws, ownerToken)).map((m) => m.email).sort()).toEqual([kelvin, ascii].sort());
  });

  it('refuses an invitation to a non-ASCII address with 400, not as "already a member"', async () => {
    const { ascii, kelvin } = kates();
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const kate = uniqueUser('kate');
    await t.call('POST', `/v1/workspaces/${ws}/invitations`, { token, body: { email: ascii, roleId: 'member' } });
    const joined = await t.call('POST', '/v1/invitations/accept', {
      token: await userToken(kate, ascii),
      body: { token: await mailedInvitationToken(t, ascii) },
    });
    expect(joined.status).toBe(200);

    const res = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: kelvin, roleId: 'member' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.issues[0].path).toBe('body.email');
    const pending = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(pending.body.items.map((i: { email: string }) => i.email)).toEqual([ascii]);
  });

  it('does not let a user whose verified email is Kelvin-sign ate@ accept an invitation to kate@', async () => {
    const { ascii, kelvin } = kates();
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: ascii, roleId: 'admin' },
    });
    expect(invited.status).toBe(201);
    const invitation = await mailedInvitationToken(t, ascii);

    const impostor = uniqueUser('impostor');
    const refused = await t.call('POST', '/v1/invitations/accept', {
      token: await userToken(impostor, kelvin),
      body: { token: invitation },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    // Nothing was written: no membership for the impostor, the invitation is still pending for kate.
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: await userToken(impostor, kelvin) });
    expect(me.status).toBe(403);
    expect((await members(ws, token)).map((m) => m.userId)).not.toContain(impostor);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items[0]).toMatchObject({ email: ascii, status: 'pending' });

    // The real kate, however she capitalises her address, still can.
    const kate = uniqueUser('kate');
    const accepted = await t.call('POST', '/v1/invitations/accept', {
      token: await userToken(kate, ascii.toUpperCase()),
      body: { token: invitation },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.member).toMatchObject({ userId: kate, email: ascii, roleId: 'admin' });
  });
});
