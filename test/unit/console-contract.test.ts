// The console's ties to the API's one source of truth: its generated client types are those of the
// current OpenAPI document, and each workspace page is offered under the permission its list route needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../console/src/nav';
import { CONSOLE_SCHEMA_FILE, consoleSchemaSource } from '../../scripts/console-api';
import { routes } from '../../shared/routes';

describe('console contract', () => {
  it('console/src/api/schema.d.ts is generated from the current OpenAPI document (npm run console:api)', async () => {
    expect(readFileSync(CONSOLE_SCHEMA_FILE, 'utf8')).toBe(await consoleSchemaSource());
  });

  it("each workspace page's link needs exactly the permission of the route it reads", () => {
    for (const page of PAGES) {
      const route = routes.find((r) => r.method === page.route.method && r.path === page.route.path);
      expect(route, `${page.label}: ${page.route.method} ${page.route.path}`).toBeDefined();
      const access = route!.access as { permission?: string };
      expect(page.permission, page.label).toBe(access.permission);
    }
  });
});
