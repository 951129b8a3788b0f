// Invitation rules (PRODUCT.md §10, issue 11): `inviteDomains` at invite and at accept (ASCII-lowercased,
// trailing dot dropped, subdomains only if listed, `+tags` irrelevant, look-alike IDN domains never match) and
// `requireIdentityProvider` at accept (issuer, `idp` or `amr`).
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

const invite = (ws: string, token: string, email: string) =>
  t.call('POST', `/v1/workspaces/${ws}/invitations`, { token, body: { email, roleId: 'member' } });

describe('inviteDomains', () => {
  it('decides case, trailing dots, subdomains, +tags and look-alike domains at invite', async () => {
    const w = await createWorkspace(t, 'pro', 'Domains');
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { inviteDomains: ['Example.COM.', 'eu.example.org'] } },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.settings.inviteDomains).toEqual(['example.com', 'eu.example.org']);
    const bad = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { inviteDomains: ['exаmple.com'] } },
    });
    expect(bad.status).toBe(400);

    const u = uniqueUser('dom');
    expect((await invite(w.ws, w.token, `Bob-${u}@Example.COM`)).status).toBe(201);
    expect((await invite(w.ws, w.token, `bob+sales-${u}@example.com`)).status).toBe(201);
    expect((await invite(w.ws, w.token, `eve-${u}@eu.example.org`)).status).toBe(201);
    for (const email of [
      `bob-${u}@sub.example.com`,
      `bob-${u}@example.org`,
      `bob-${u}@example.com.evil.test`,
      `bob-${u}@notexample.com`,
    ]) {
      const res = await invite(w.ws, w.token, email);
      expect(res.status, email).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invite_rule', rule: 'inviteDomains' });
    }
    // A look-alike (Cyrillic а) is never the listed domain: refused (invitations take ASCII addresses only).
    expect((await invite(w.ws, w.token, `bob-${u}@exаmple.com`)).status).toBe(400);
    // An address with a trailing dot is not one SES sends to: refused as an address (a listed domain's
    // trailing dot, above, is dropped).
    expect((await invite(w.ws, w.token, `dot-${u}@example.com.`)).status).toBe(400);
  });

  it('is checked again at accept: an invitation sent before the rule cannot be accepted outside it', async () => {
    const w = await createWorkspace(t, 'pro', 'Domains at accept');
    const u = uniqueUser('acc');
    const outside = `carol-${u}@other.test`;
    const inside = `Dan-${u}@Example.COM`;
    expect((await invite(w.ws, w.token, outside)).status).toBe(201);
    expect((await invite(w.ws, w.token, inside)).status).toBe(201);
    const outsideToken = await mailedInvitationToken(t, outside);
    const insideToken = await mailedInvitationToken(t, inside);
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
          token: w.token,
          body: { settings: { inviteDomains: ['example.com'] } },
        })
      ).status,
    ).toBe(200);
    const refused = await t.call('POST', '/v1/invitations/accept', {
      token: await t.token(`carol-${u}`, outside),
      body: { token: outsideToken },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'invite_rule', rule: 'inviteDomains' });
    const ok = await t.call('POST', '/v1/invitations/accept', {
      token: await t.token(`dan-${u}`, `dan-${u}@example.com`),
      body: { token: insideToken },
    });
    expect(ok.status, ok.text).toBe(200);
  });
});

describe('requireIdentityProvider', () => {
  it('accepts only a sign-in whose idp or amr is listed', async () => {
    const w = await createWorkspace(t, 'pro', 'IdP');
    expect(
      (
        await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
          token: w.token,
          body: { settings: { requireIdentityProvider: ['okta-acme'] } },
        })
      ).status,
    ).toBe(200);
    const u = uniqueUser('idp');
    const email = `erin-${u}@example.test`;
    expect((await invite(w.ws, w.token, email)).status).toBe(201);
    const token = await mailedInvitationToken(t, email);
    const plain = await t.call('POST', '/v1/invitations/accept', {
      token: await t.api.issuer.sign({ sub: `erin-${u}`, email }),
      body: { token },
    });
    expect(plain.status).toBe(422);
    expect(plain.body.error).toMatchObject({ code: 'invite_rule', rule: 'requireIdentityProvider' });
    const viaIdp = await t.call('POST', '/v1/invitations/accept', {
      token: await t.api.issuer.sign({ sub: `erin-${u}`, email, idp: 'okta-acme', amr: ['pwd', 'mfa'] }),
      body: { token },
    });
    expect(viaIdp.status, viaIdp.text).toBe(200);
  });
  it('an amr value is matched whole: "pwd okta" is not okta (claims are carried without joining)', async () => {
    const w = await createWorkspace(t, 'pro', 'IdP amr');
    const set = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
      token: w.token,
      body: { settings: { requireIdentityProvider: ['okta'] } },
    });
    expect(set.status, set.text).toBe(200);
    const u = uniqueUser('amr');
    const email = `amr-${u}@example.test`;
    expect((await invite(w.ws, w.token, email)).status).toBe(201);
    const token = await mailedInvitationToken(t, email);
    const spaced = await t.call('POST', '/v1/invitations/accept', {
      token: await t.api.issuer.sign({ sub: `amr-${u}`, email, amr: ['pwd okta'] }),
      body: { token },
    });
    expect(spaced.status, spaced.text).toBe(422);
    expect(spaced.body.error).toMatchObject({ code: 'invite_rule', rule: 'requireIdentityProvider' });
    const whole = await t.call('POST', '/v1/invitations/accept', {
      token: await t.api.issuer.sign({ sub: `amr-${u}`, email, amr: ['pwd', 'okta'] }),
      body: { token },
    });
    expect(whole.status, whole.text).toBe(200);
  });
});
