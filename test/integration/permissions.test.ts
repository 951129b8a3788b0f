import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes';
import { startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('GET /v1/permissions', () => {
  it('serves the catalog by section, with scoped, kind and dangerous flags', async () => {
    const res = await t.call('GET', '/v1/permissions', { token: await t.token(uniqueUser()) });
    expect(res.status).toBe(200);
    const sections = res.body.sections as { id: string; permissions: any[] }[];
    expect(sections.map((s) => s.id)).toEqual([
      'workspace',
      'teammates',
      'inboxes',
      'conversations',
      'contacts',
      'content',
      'analytics',
      'presence',
    ]);
    const all = sections.flatMap((s) => s.permissions);
    const byKey = new Map(all.map((p) => [p.key, p]));
    expect(all).toHaveLength(43);
    expect(byKey.get('messages.view')).toMatchObject({ section: 'conversations', scoped: true, kind: 'work' });
    expect(byKey.get('messages.delete')).toMatchObject({ scoped: false, kind: 'administrative' });
    expect(byKey.get('contacts.update')).toMatchObject({ scoped: false, kind: 'work' });
    const dangerous = all.filter((p) => p.dangerous).map((p) => p.key);
    expect(dangerous.sort()).toEqual(['roles.manage', 'teammates.invite', 'teammates.manage']);
    for (const p of all.filter((x) => x.dangerous)) expect(p.warning).toMatch(/\w/);
    expect(res.body.scopes).toEqual(['all', 'groups', 'assigned']);
    expect(res.body.alwaysAllowed).toContain('personalInbox.all');
  });
});

describe('GET /v1/openapi.json', () => {
  it('documents every route of the route table with its schemas', async () => {
    const res = await t.call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of routes) {
      const op = res.body.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op.operationId).toBe(r.id);
    }
    const create = res.body.paths['/v1/workspaces'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('name');
    expect(res.body.components.schemas.Workspace).toBeDefined();
  });
});
