// Microsoft Entra's SCIM request/response samples, transcribed in test/fixtures/scim/ (the provisioning tutorial,
// and the known-issues page's requests without and with aadOptscim062020), replayed over HTTP against the local API.
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

const load = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/scim', name), 'utf8')) as T;

async function entraWorkspace() {
  const w = await createWorkspace(t, 'unlimited');
  const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
    token: w.token,
    body: { name: 'Entra', maxRoleId: 'admin' },
  });
  return {
    base: `/v1/workspaces/${w.ws}/scim/v2`,
    vars: { auth: `Bearer ${made.body.token}` } as Record<string, string>,
  };
}

describe('Microsoft Entra SCIM samples', () => {
  it('the provisioning tutorial: users, groups and schema discovery', async () => {
    const { base, vars } = await entraWorkspace();
    expect(await replay(t, base, load<{ steps: Step[] }>('entra-tutorial.json').steps, vars)).toEqual([]);
  });

  const known = load<{ sequences: Record<string, Step[]> }>('entra-known-issues.json');
  it.each(Object.keys(known.sequences))('the known-issues requests, %s (aadOptscim062020)', async (name) => {
    const { base, vars } = await entraWorkspace();
    expect(await replay(t, base, known.sequences[name] as Step[], vars)).toEqual([]);
  });
});
