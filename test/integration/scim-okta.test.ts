// Okta's "SCIM 2.0 SPEC Test" (Runscope), transcribed in test/fixtures/scim/okta-scim20-spec-test.json, replayed
// over HTTP against the local API (real gateway, the scim Lambda, DynamoDB Local).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { replay, type Step } from '../fixtures/scim-replay';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/scim/okta-scim20-spec-test.json'), 'utf8')) as {
  steps: Step[];
};

describe("Okta's SCIM 2.0 SPEC test", () => {
  it('passes every step, against a workspace that already holds one provisioned user', async () => {
    const w = await createWorkspace(t, 'unlimited');
    const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
      token: w.token,
      body: { name: 'Okta', maxRoleId: 'agent' },
    });
    const base = `/v1/workspaces/${w.ws}/scim/v2`;
    // The suite's first step expects a user to list.
    const seed = await t.call('POST', `${base}/Users`, {
      token: made.body.token,
      body: {
        userName: 'existing@atko.example',
        name: { givenName: 'Existing', familyName: 'User' },
        emails: [{ primary: true, value: 'existing@atko.example', type: 'work' }],
        active: true,
      },
    });
    expect(seed.status).toBe(201);
    const n = Date.now().toString(36);
    const vars: Record<string, string> = {
      auth: `Bearer ${made.body.token}`,
      InvalidUserEmail: `abcdefgh@${n}.example`,
      UserIdThatDoesNotExist: '010101001010101010',
      randomUsername: `Runscope${n}@atko.example`,
      randomUsernameCaps: `RUNSCOPE${n.toUpperCase()}@ATKO.EXAMPLE`,
      randomEmail: `Runscope${n}@atko.example`,
      randomGivenName: 'Runscope',
      randomFamilyName: `Family${n}`,
    };
    expect(await replay(t, base, fixture.steps, vars)).toEqual([]);
    // Beyond the suite (it checks 200 only): the case-insensitive userName finds the user created.
    const caps = await t.call(
      'GET',
      `${base}/Users?filter=${encodeURIComponent(`userName eq "${vars.randomUsernameCaps}"`)}`,
      {
        token: made.body.token,
      },
    );
    expect(caps.body.totalResults).toBe(1);
    expect(caps.body.Resources[0].id).toBe(vars.idUserOne);
  });
});
