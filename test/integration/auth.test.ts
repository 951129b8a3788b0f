import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
let ws: string;
let ownerToken: string;
const owner = uniqueUser('auth-owner');

beforeAll(async () => {
  t = await startTestApi();
  ownerToken = await t.token(owner);
  const res = await t.call('POST', '/v1/workspaces', { token: ownerToken, body: { name: 'Auth WS' } });
  ws = res.body.workspace.id;
});
afterAll(async () => {
  await t.stop();
});

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: owner,
    email: `${owner}@example.test`,
    iss: t.api.issuer.issuer,
    aud: t.api.issuer.audience,
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

async function signWithOtherKey(payload: Record<string, unknown>) {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: t.api.issuer.jwks.keys[0]?.kid as string })
    .sign(privateKey);
}

async function expect401(token: string | undefined, header?: string) {
  const headers: Record<string, string> = {};
  if (header !== undefined) headers.authorization = header;
  else if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await t.call('GET', `/v1/workspaces/${ws}/me`, { headers });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
}

describe('tokens', () => {
  it('accepts a valid token', async () => {
    expect((await t.call('GET', `/v1/workspaces/${ws}/me`, { token: ownerToken })).status).toBe(200);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    await expect401(undefined);
    await expect401(undefined, 'Basic abc');
    await expect401(undefined, 'Bearer');
    await expect401(undefined, `Token ${ownerToken}`);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await t.api.issuer.sign({ sub: owner }, { expiresIn: now - 60 }));
  });

  it('refuses a token that is not yet valid', async () => {
    const token = await t.api.issuer.sign({ sub: owner }, { notBefore: Math.floor(Date.now() / 1000) + 3600 });
    await expect401(token);
  });

  it('refuses wrong issuer or audience even with a good signature', async () => {
    await expect401(await t.api.issuer.sign({ sub: owner }, { issuer: 'https://evil.example/' }));
    await expect401(await t.api.issuer.sign({ sub: owner }, { audience: 'another-api' }));
  });

  it('refuses alg "none"', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`;
    await expect401(token);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const jwk = t.api.issuer.jwks.keys[0]!;
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: jwk.kid as string }).sign(secret);
    await expect401(token);
  });

  it('refuses a tampered payload (another sub) and a token from another key', async () => {
    const good = await t.api.issuer.sign({ sub: 'someone-else' });
    const [h, , s] = good.split('.');
    await expect401(`${h}.${b64url(claims())}.${s}`);
    await expect401(await signWithOtherKey(claims()));
    await expect401('not-a-jwt');
  });

  it('refuses an unknown API key', async () => {
    await expect401('ak_doesnotexist0000000000000000');
  });

  it('refuses a token with an empty subject', async () => {
    await expect401(await t.api.issuer.sign({ sub: '' }));
  });

  it('needs a token for every route except the OpenAPI document', async () => {
    expect((await t.call('GET', '/v1/permissions')).status).toBe(401);
    expect((await t.call('POST', '/v1/workspaces', { body: { name: 'x' } })).status).toBe(401);
    const doc = await t.call('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
  });
});
