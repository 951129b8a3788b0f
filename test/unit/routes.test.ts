import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../scripts/local/route-match';
import { contract } from '../../shared/api/contract';
import { type RouteDef, type RouteEntry, routes } from '../../shared/routes';

// Route entries are checked by the compiler: `npm run typecheck` fails if either entry below stops being refused.
const _misspelt = {
  id: 'probe',
  method: 'GET',
  path: '/v1/probe',
  fn: 'docs',
  access: { kind: 'user' },
  // @ts-expect-error a misspelt field
  sumary: 'Probe',
} satisfies RouteEntry;
const _missing = {
  id: 'probe',
  method: 'GET',
  path: '/v1/probe',
  fn: 'docs',
  access: { kind: 'user' },
  // @ts-expect-error a missing field (summary)
} satisfies RouteEntry;

describe('route table', () => {
  it('has unique ids and unique method+path pairs', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
  });

  it('points every route at an existing Lambda entry and a contract', () => {
    for (const r of routes) {
      expect(existsSync(join(__dirname, '../../functions', r.fn, 'handler.ts')), r.fn).toBe(true);
      expect(contract[r.id]).toBeDefined();
    }
  });

  it('puts {ws} in every member route, and none in user routes', () => {
    for (const r of routes) {
      if (r.access.kind === 'member') expect(r.path).toContain('{ws}');
      // A signed-in user's route names no workspace (the authorizer checks no membership for it); public
      // metadata may (AuthZEN discovery answers alike for any workspace id).
      if (r.access.kind === 'user') expect(r.path).not.toContain('{ws}');
    }
  });

  it('names as secret only fields its answer has, on writes (what an Idempotency-Key replay withholds)', () => {
    const withSecrets = routes.filter((r) => (r as RouteDef).secretFields !== undefined) as RouteDef[];
    expect(withSecrets.map((r) => r.id)).toContain('createApiKey');
    for (const r of withSecrets) {
      expect(r.write, r.id).toBe(true);
      // A union answer (a 202 access request beside the created key) has the field in one of its objects.
      type Shaped = { shape?: object; options?: Shaped[] };
      const fields = (x: Shaped): string[] => (x.options ? x.options.flatMap(fields) : Object.keys(x.shape ?? {}));
      const response = contract[r.id as keyof typeof contract].response as unknown as Shaped;
      for (const field of r.secretFields ?? []) expect(fields(response), r.id).toContain(field);
    }
  });

  it('matches concrete paths and extracts parameters', () => {
    expect(matchRoute('GET', '/v1/workspaces/ws_1/me').match).toMatchObject({
      route: { id: 'getMe' },
      pathParameters: { ws: 'ws_1' },
    });
    expect(matchRoute('GET', '/v1/openapi.json').match?.route.id).toBe('getOpenApi');
    expect(matchRoute('GET', '/v1/openapiXjson').match).toBeUndefined();
    expect(matchRoute('DELETE', '/v1/workspaces/ws_1')).toEqual({ pathExists: true });
    expect(matchRoute('GET', '/v1/workspaces/ws_1/me/extra').match).toBeUndefined();
  });
});
