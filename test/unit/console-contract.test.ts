// The console's tie to the API's one source of truth: each workspace page is offered under the permission
// its route needs. (Its client types are generated from the current OpenAPI document by `npm run typecheck`
// before `tsc -p console`, so a contract change that breaks the console fails the typecheck.)
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../console/src/nav';
import { routes } from '../../shared/routes';

describe('console contract', () => {
  it("each workspace page's link needs exactly the permission of the route it reads", () => {
    for (const page of PAGES) {
      const route = routes.find((r) => r.method === page.route.method && r.path === page.route.path);
      expect(route, `${page.label}: ${page.route.method} ${page.route.path}`).toBeDefined();
      const access = route!.access as { permission?: string };
      expect(page.permission, page.label).toBe(access.permission);
    }
  });
});
