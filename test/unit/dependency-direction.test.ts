import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency direction (docs/layout.md): no two parts of shared/ import each other, except the pairs listed
// here with their reason. A new pair is a service reaching into a domain that already reaches into it; pass the
// dependency in from the handler (as the releases are, shared/releases.ts) or move the shared piece below both.
const DELIBERATE: Record<string, string> = {
  'grants <-> roles': 'the guard reads the custom role it judges; the roles service goes through the guard',
};

const shared = join(import.meta.dirname, '..', '..', 'shared');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** A folder of shared/ is one node; a file directly in shared/ (access.ts, routes.ts) is its own. */
function nodeOf(file: string): string | undefined {
  const rel = relative(shared, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
}

/** Relative module specifiers: static imports and re-exports (type-only too), and `import('...')`. */
function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g),
    ...source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] ?? '').filter((s) => s.startsWith('.'));
}

/** Every pair of nodes each importing the other, as "a <-> b" (a before b), with the files on both sides. */
function mutualPairs(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of tsFiles(shared)) {
    const from = nodeOf(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const to = nodeOf(resolve(dirname(file), spec));
      if (from === undefined || to === undefined || to === from) continue;
      const key = `${from}->${to}`;
      edges.set(key, [...(edges.get(key) ?? []), `${relative(shared, file)} imports ${spec}`]);
    }
  }
  const pairs = new Map<string, string[]>();
  for (const [key, files] of edges) {
    const [a = '', b = ''] = key.split('->');
    const back = edges.get(`${b}->${a}`);
    if (a < b && back) pairs.set(`${a} <-> ${b}`, [...files, ...back]);
  }
  return pairs;
}

describe('dependency direction of shared/', () => {
  it('reads imports, type-only imports, re-exports and dynamic imports, relative ones only', () => {
    const source = [
      "import * as z from 'zod';",
      "import { a } from '../members/service';",
      "import type { B } from '../teams/repository';",
      "export { C } from './schema';",
      "const d = await import('../inboxes/service');",
      'import {\n  e,\n  f,\n} from "../roles/repository";',
    ].join('\n');
    expect(specifiers(source)).toEqual([
      '../members/service',
      '../teams/repository',
      './schema',
      '../roles/repository',
      '../inboxes/service',
    ]);
  });

  it('has no two parts importing each other but the deliberate pairs', () => {
    const pairs = mutualPairs();
    const unexpected = [...pairs].filter(([pair]) => !(pair in DELIBERATE)).map(([pair, why]) => ({ pair, why }));
    expect(unexpected).toEqual([]);
  });

  it('lists no deliberate pair that no longer exists (the docs and this list stay true)', () => {
    const pairs = mutualPairs();
    expect(Object.keys(DELIBERATE).filter((pair) => !pairs.has(pair))).toEqual([]);
  });
});
