// Over HTTP: an email the identity provider has not verified is not the member's. A workspace created
// with `email_verified: false` has an Owner without an email, and invitation emails never show the
// unverified address as the inviter's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { mailsTo } from '../fixtures/mail';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

/** A token from the local issuer, the way a developer gets one: POST /dev/token. */
async function devToken(body: Record<string, unknown>): Promise<string> {
  const res = await t.call('POST', '/dev/token', { body });
  expect(res.status).toBe(200);
  return res.body.token;
}

async function ownerInvites(ownerToken: string) {
  const created = await t.call('POST', '/v1/workspaces', { token: ownerToken, body: { name: 'Claimed Co' } });
  expect(created.status).toBe(201);
  const ws = created.body.workspace.id as string;
  const invitee = `${uniqueUser('invitee')}@example.test`;
  const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
    token: ownerToken,
    body: { email: invitee, roleId: 'member' },
  });
  expect(invited.status).toBe(201);
  return { ws, created, mail: (await mailsTo(t, invitee)).at(-1)! };
}

describe('an owner whose email is not verified', () => {
  it('is not shown by that email in invitation emails, nor stored with it', async () => {
    const claimed = `${uniqueUser('ceo')}@victim.example`;
    const token = await devToken({ sub: uniqueUser('claimer'), email: claimed, email_verified: false });
    const { ws, created, mail } = await ownerInvites(token);

    expect(created.body.member.email).toBe('');
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toContain(claimed);
      expect(part).toContain('A teammate');
    }
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body.member.email).toBe('');
    // The address is not taken in the workspace either: its real owner can still be invited.
    const real = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: claimed, roleId: 'member' },
    });
    expect(real.status).toBe(201);
  });

  it('is shown by it once verified (the camelCase field works too)', async () => {
    const email = `${uniqueUser('owner')}@example.test`;
    for (const body of [
      { sub: uniqueUser('owner'), email },
      { sub: uniqueUser('owner'), email, emailVerified: true },
      { sub: uniqueUser('owner'), email, email_verified: true },
    ]) {
      const { created, mail } = await ownerInvites(await devToken(body));
      expect(created.body.member.email).toBe(email);
      expect(mail.subject).toContain(email);
      expect(mail.text).toContain(email);
    }
    const unverified = await devToken({ sub: uniqueUser('owner'), email, emailVerified: false });
    const { created, mail } = await ownerInvites(unverified);
    expect(created.body.member.email).toBe('');
    expect(mail.text).not.toContain(email);
  });
});
