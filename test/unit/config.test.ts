// The runtime configuration fails loudly on a bad value instead of falling back silently.
import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function freshConfig() {
  vi.resetModules();
  return (await import('../../shared/config')).config;
}

describe('runtime configuration', () => {
  it('refuses an authorizer cache TTL above 60 s and names the variable', async () => {
    process.env.AUTH_CACHE_TTL_SECONDS = '120';
    const config = await freshConfig();
    expect(() => config.auth()).toThrow(/AUTH_CACHE_TTL_SECONDS/);
  });

  it('refuses a missing issuer rather than verifying tokens against an empty one', async () => {
    delete process.env.AUTH_ISSUER;
    const config = await freshConfig();
    expect(() => config.auth()).toThrow(/AUTH_ISSUER/);
  });

  it('needs the invitation secret or its ARN, and a secret of 32+ characters', async () => {
    delete process.env.INVITE_TOKEN_SECRET;
    delete process.env.INVITE_TOKEN_SECRET_ARN;
    await expect((async () => (await freshConfig()).invitationSecret())()).rejects.toThrow(/INVITE_TOKEN_SECRET/);
    process.env.INVITE_TOKEN_SECRET = 'short';
    await expect((async () => (await freshConfig()).invitationSecret())()).rejects.toThrow(/INVITE_TOKEN_SECRET/);
  });

  it('reads each section once: later changes of the environment do not change a running container', async () => {
    process.env.APP_URL = 'https://one.example.com';
    const config = await freshConfig();
    expect(config.mail().APP_URL).toBe('https://one.example.com');
    process.env.APP_URL = 'https://two.example.com';
    expect(config.mail().APP_URL).toBe('https://one.example.com');
  });
});
