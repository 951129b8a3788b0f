import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// zod builds every schema of a module when the module loads: a repository or service that takes one record or
// shape (by value) from another domain's schema.ts makes every bundle it is in build that domain's whole API
// (request bodies, pages...) at each cold start (issue 19: the workspaces bundle built 916 schemas, 620 after these
// moved). Shapes other domains read live below them, in table/ (or a small module such as roles/role.ts), and
// each domain's schema.ts re-exports them. Type-only imports cost nothing at run time and are not counted.
const ALLOWED: Record<string, string> = {
  'access-requests/schema.ts -> members/schema.ts':
    'an access request asks for permissions as a grant does (both request bodies)',
};

const shared = join(import.meta.dirname, '..', '..', 'shared');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative specifiers of value imports and re-exports (an `import type` or all-`type` list is skipped). */
function valueSpecifiers(source: string): string[] {
  const found = source.matchAll(/(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:([^'";]*?)\sfrom\s+)?['"]([^'"]+)['"]/g);
  return [...found]
    .filter(([, typeOnly, clause]) => {
      if (typeOnly) return false;
      const names = /\{([^}]*)\}/.exec(clause ?? '')?.[1];
      if (names === undefined || /^\s*[\w$]/.test(clause ?? '')) return true;
      return names.split(',').some((n) => n.trim() !== '' && !n.trim().startsWith('type '));
    })
    .map((m) => m[3] ?? '')
    .filter((s) => s.startsWith('.'));
}

/** Value imports of another folder's schema.ts from shared/ (the contract in api/ excepted: it is the API). */
function crossSchemaImports(root: string): string[] {
  const found: string[] = [];
  for (const file of tsFiles(root)) {
    const from = relative(root, file);
    if (from.startsWith(`api${sep}`)) continue;
    for (const spec of valueSpecifiers(readFileSync(file, 'utf8'))) {
      const to = relative(root, resolve(dirname(file), spec));
      if (!to.endsWith(`${sep}schema`) || dirname(to) === dirname(from) || dirname(to) === 'permissions') continue;
      found.push(`${from} -> ${to}.ts`.split(sep).join('/'));
    }
  }
  return found.sort();
}

describe('schemas read across domains', () => {
  it('tells value imports from type-only ones', () => {
    const source = [
      "import type { A } from '../a/schema';",
      "import { type B } from '../b/schema';",
      "import { type C, D } from '../c/schema';",
      'import {\n  E,\n} from "../e/schema";',
      "export { F } from '../f/schema';",
      "import * as z from 'zod';",
    ].join('\n');
    expect(valueSpecifiers(source)).toEqual(['../c/schema', '../e/schema', '../f/schema']);
  });

  it('are taken from table/ or a small module, never from another domain schema.ts by value', () => {
    expect(crossSchemaImports(shared).filter((i) => !(i in ALLOWED))).toEqual([]);
  });

  it('lists no allowed import that no longer exists', () => {
    const found = crossSchemaImports(shared);
    expect(Object.keys(ALLOWED).filter((i) => !found.includes(i))).toEqual([]);
  });
});
