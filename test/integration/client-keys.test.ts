// Client strings that name Object.prototype members (`toString`, `constructor`, `__proto__`, …) are
// ordinary strings: an unknown plan is a 400 that writes nothing, an unknown query parameter is refused
// or ignored as any other, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { partitionItems } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('plan ids are looked up among the catalog’s own plans', () => {
  it.each(PROTOTYPE_NAMES)('creating a workspace on plan "%s" is a 400 that writes nothing', async (plan) => {
    const user = uniqueUser('proto');
    const token = await t.token(user);
    const res = await t.call('POST', '/v1/workspaces', { token, body: { name: 'Proto', plan } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'body.plan', message: expect.any(String) }],
    });
    expect(await partitionItems(`USER#${user}`)).toHaveLength(0);
  });

  it.each(PROTOTYPE_NAMES)('changing to plan "%s" is a 400 and the workspace keeps its plan', async (plan) => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const res = await t.call('PUT', `/v1/workspaces/${ws}/plan`, { token, body: { plan } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'body.plan' }] });
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body.plan.id).toBe('pro');
    const audit = await partitionItems(`WS#${ws}`);
    expect(audit.filter((i) => i.action === 'plan.change')).toHaveLength(0);
  });
});

describe('query parameters and headers named like Object.prototype members', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    '?%s=1 is refused by a strict query schema and ignored elsewhere, never a 5xx',
    async (name) => {
      const { ws, token } = await createWorkspace(t);
      // The members list's query schema is strict: an unknown parameter is a 400 naming it.
      const strict = await t.call('GET', `/v1/workspaces/${ws}/members?${name}=1`, { token });
      expect(strict.status).toBe(400);
      expect(strict.body.error.code).toBe('invalid_request');
      expect(strict.body.error.issues).toEqual([expect.objectContaining({ path: 'query' })]);
      expect(strict.text).toContain(name);
      // A route without a query schema ignores it.
      const none = await t.call('GET', `/v1/workspaces/${ws}?${name}=1`, { token });
      expect(none.status).toBe(200);
      expect(none.body.id).toBe(ws);
      // Repeated, too.
      const twice = await t.call('GET', `/v1/workspaces/${ws}?${name}=1&${name}=2`, { token });
      expect(twice.status).toBe(200);
    },
  );

  it('a header named constructor or toString is just a header', async () => {
    const { ws, token } = await createWorkspace(t);
    const res = await t.call('GET', `/v1/workspaces/${ws}`, {
      token,
      headers: { constructor: '1', toString: '2', hasOwnProperty: '3' },
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(ws);
  });
});
