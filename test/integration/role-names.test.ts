// Over HTTP: role names that read as a built-in role are refused, and role and team names that read
// alike are one name, whatever look-alike, blank or invisible characters they were typed with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const TRICKS = [
  '\u0410dmin', // Cyrillic capital A
  'Admin\u3164', // Hangul filler
  'Owner\u2800', // braille blank
  '\u1D00dmin', // small capital A
  'M\u0430n\u0430ger', // Cyrillic small a
  '\u0391gent', // Greek capital Alpha
  'Company\u3000\u0430dmin', // ideographic space, Cyrillic a
];

describe('role names', () => {
  it('refuses names imitating a built-in role with look-alike or invisible characters, creating nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (const name of TRICKS) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.issues[0].path).toBe('body.name');
    }
    const created = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name: 'Admin assistant' } });
    expect(created.status).toBe(201);
    // Renaming into an imitation is refused the same way.
    const renamed = await t.call('PATCH', `/v1/workspaces/${ws}/roles/${created.body.id}`, {
      token,
      body: { name: '\u0410dmin' },
    });
    expect(renamed.status).toBe(400);
    const list = await t.call('GET', `/v1/workspaces/${ws}/roles?limit=100`, { token });
    expect(
      list.body.items.filter((r: { kind: string }) => r.kind === 'custom').map((r: { name: string }) => r.name),
    ).toEqual(['Admin assistant']);
  });

  it('treats a look-alike of an existing role name as the same name', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    expect((await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name: 'Sales' } })).status).toBe(201);
    for (const name of ['\u0405ales', 'S\u0430les\u3164', '\uFF33ales', 'Sa\uFE00les']) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name } });
      expect(res.status, JSON.stringify(name)).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
  });

  it('refuses a name made only of blank look-alikes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    for (const name of ['\u3164', '\u2800\u2800', '\u3164 \uFE0F']) {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.issues[0].path).toBe('body.name');
      const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name } });
      expect(team.status, JSON.stringify(name)).toBe(400);
    }
  });
});

describe('team names', () => {
  it('treats a look-alike of an existing team name as the same name', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    expect((await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: 'Sales' } })).status).toBe(201);
    const res = await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: '\u0405ales' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    const other = await t.call('POST', `/v1/workspaces/${ws}/teams`, { token, body: { name: 'Sales EMEA' } });
    expect(other.status).toBe(201);
  });
});
