import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency direction (docs/layout.md): the parts of shared/ (a folder, or a file directly in it) form no
// circle, of two parts importing each other or of a longer round (members -> http -> api -> ... -> members), so
// they stack in floors and every import points down. A new circle is a part reaching into one that already reaches
// it; pass the dependency in from the handler (as the releases are, shared/releases.ts) or move the shared piece
// below both (as the reads of a role and of a workspace are, table/roles/read.ts, table/workspaces/read.ts).

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

/** Every import from one part to another, as "a->b", with the files that make it. */
function partEdges(): Map<string, string[]> {
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
  return edges;
}

/**
 * The circles of a graph given as "a->b" edges: each set of two or more parts that all reach one another
 * (Tarjan's strongly connected components), with the edges inside it, so a failure names the imports to undo.
 */
function circles(edges: Map<string, string[]>): { parts: string[]; imports: string[] }[] {
  const next = new Map<string, string[]>();
  for (const key of edges.keys()) {
    const [a = '', b = ''] = key.split('->');
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) part.push(w);
      } while (w !== undefined && w !== v);
      if (part.length > 1) found.push(part.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found.map((parts) => ({
    parts,
    imports: [...edges]
      .filter(([key]) => parts.includes(key.split('->')[0] ?? '') && parts.includes(key.split('->')[1] ?? ''))
      .flatMap(([, files]) => files),
  }));
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

  it('finds circles of any length, and nothing where imports only point down', () => {
    const graph = (...keys: string[]) => new Map(keys.map((k) => [k, [`${k} file`]]));
    expect(circles(graph('a->b', 'b->c', 'a->c'))).toEqual([]);
    expect(circles(graph('a->b', 'b->a', 'c->a')).map((c) => c.parts)).toEqual([['a', 'b']]);
    const round = circles(graph('members->http', 'http->api', 'api->scim', 'scim->members', 'scim->db'));
    expect(round.map((c) => c.parts)).toEqual([['api', 'http', 'members', 'scim']]);
    expect(round[0]?.imports).toHaveLength(4);
  });

  it('has no circle of parts: every import points down', () => {
    expect(circles(partEdges())).toEqual([]);
  });
});
