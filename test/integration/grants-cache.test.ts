// A cached authorizer Allow must not outlive a time-bound grant (API Gateway REST cannot vary the TTL per
// answer): the Allow carries the nearest grant end, and past it the handler decides again on fresh data.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let cached: TestApi;
beforeAll(async () => {
  cached = await startTestApi({ authorizerCacheTtlSeconds: 30 });
});
afterEach(() => setClockForTests());
afterAll(async () => {
  await cached.stop();
});

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const justBefore = (iso: string) => setClockForTests(Date.parse(iso) - 1);
const justAfter = (iso: string) => setClockForTests(Date.parse(iso) + 1);

describe('time-bound grants and the authorizer cache', () => {
  it('a cached Allow of a read is not used past `until` (authorizer cache TTL 30 s)', async () => {
    const w = await createWorkspace(cached, 'pro', 'Cached grants');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(cached, w.ws, 'agent');
    const until = hourFromNow();
    expect(
      (
        await cached.call('POST', `${base}/members/${agent.memberId}/grants`, {
          token: w.token,
          body: { permissions: { 'logs.export': true }, until, reason: 'Audit' },
        })
      ).status,
    ).toBe(201);
    justBefore(until);
    expect((await cached.call('GET', `${base}/audit-log`, { token: agent.token })).status).toBe(200);
    const calls = cached.api.gateway.stats.authorizerCalls;
    justAfter(until);
    const again = await cached.call('GET', `${base}/audit-log`, { token: agent.token });
    expect(again.status).toBe(403);
    expect(again.body.error.permission).toBe('logs.export');
    // The gateway answered from its cache: the handler refused on fresh data.
    expect(cached.api.gateway.stats.authorizerCalls).toBe(calls);
  });
});
