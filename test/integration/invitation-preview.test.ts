// Over HTTP: the accept page's question "what does this link invite me to?" (POST /v1/invitations/preview),
// asked before signing in, and the accept answer naming the workspace joined. A token that names no pending
// invitation answers like accept does (404; 409 for an expired one) and reveals nothing of any workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { mailedInvitationToken } from '../fixtures/mail';
import { expireInvitation } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const emailFor = (label: string) => `${uniqueUser(label)}@example.test`;

/** No Authorization header: the invitee has not signed in yet. */
const preview = (body: unknown) => t.call('POST', '/v1/invitations/preview', { body });

describe('previewing an invitation', () => {
  it('names the workspace, the role and the invited email without signing in, and accepting names the workspace', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited', 'Northwind Help Desk');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Night shift', permissions: {} },
    });
    expect(role.status).toBe(201);
    const email = emailFor('preview');
    expect(
      (await t.call('POST', `/v1/workspaces/${ws}/invitations`, { token, body: { email, roleId: role.body.id } }))
        .status,
    ).toBe(201);
    const link = await mailedInvitationToken(t, email);

    const seen = await preview({ token: link });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({
      workspace: { name: 'Northwind Help Desk' },
      role: { id: role.body.id, name: 'Night shift' },
      email,
      expiresAt: expect.any(String),
    });
    // The link's holder learns names only: no workspace id before the invitation is accepted.
    expect(JSON.stringify(seen.body)).not.toContain(ws);

    const user = uniqueUser('preview');
    const accepted = await t.call('POST', '/v1/invitations/accept', {
      token: await t.api.issuer.sign({ sub: user, email, emailVerified: true }),
      body: { token: link },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspace).toEqual({ id: ws, name: 'Northwind Help Desk' });
    expect(accepted.body.member).toMatchObject({ email, roleId: role.body.id });

    // Used: the token is forgotten on accept, so it names nothing any more.
    const used = await preview({ token: link });
    expect(used.status).toBe(404);
    expect(used.text).not.toContain('Northwind');
  });

  it('answers a wrong token and a token replaced by a resend with the same 404, naming nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited', 'Secret Workspace Name');
    const email = emailFor('resent');
    const created = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email, roleId: 'agent' },
    });
    const first = await mailedInvitationToken(t, email, 1);
    expect((await t.call('POST', `/v1/workspaces/${ws}/invitations/${created.body.id}/resend`, { token })).status).toBe(
      200,
    );
    const second = await mailedInvitationToken(t, email, 2);

    const wrong = await preview({ token: `inv_${'x'.repeat(43)}` });
    const replaced = await preview({ token: first });
    expect(wrong.status).toBe(404);
    expect(replaced.status).toBe(404);
    expect(replaced.body.error).toEqual(wrong.body.error);
    expect(replaced.text).not.toContain('Secret Workspace Name');
    expect(replaced.text).not.toContain(email);

    const current = await preview({ token: second });
    expect(current.body).toMatchObject({ workspace: { name: 'Secret Workspace Name' }, role: { name: 'Agent' } });
  });

  it('answers a revoked link like a wrong one (404) and says an expired one is expired (409)', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const revokedEmail = emailFor('revoked');
    const revoked = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: revokedEmail, roleId: 'member' },
    });
    const revokedLink = await mailedInvitationToken(t, revokedEmail);
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/invitations/${revoked.body.id}`, { token })).status).toBe(204);
    // Revoking forgets the token, as accept already answers it.
    const r = await preview({ token: revokedLink });
    expect(r.status).toBe(404);
    expect(r.text).not.toContain(revokedEmail);

    const lateEmail = emailFor('late');
    const late = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: lateEmail, roleId: 'member' },
    });
    const lateLink = await mailedInvitationToken(t, lateEmail);
    // Age it past its 7 days in the table (the clock cannot be moved over HTTP).
    await expireInvitation(ws, late.body.id, new Date(Date.now() - 1000).toISOString());
    const e = await preview({ token: lateLink });
    expect(e.status).toBe(409);
    expect(e.body.error.message).toMatch(/expired/);
    expect(e.body.error.status).toBe('expired');
  });

  it('refuses bad input with 400 and the contract body', async () => {
    for (const body of [undefined, {}, { token: 'short' }, { token: 'inv_'.padEnd(300, 'x') }, { token: 7 }]) {
      const res = await preview(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const extra = await preview({ token: `inv_${'y'.repeat(43)}`, workspaceId: 'ws_1' });
    expect(extra.status).toBe(400);
  });
});
