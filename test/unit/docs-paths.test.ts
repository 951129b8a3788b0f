import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README and docs/ name modules in backticks (`shared/grants/guard.ts`) and link each other. A file
// moved or renamed without its docs leaves a reader at a dead end, so every such path must exist.
const root = join(import.meta.dirname, '..', '..');
const docsDir = join(root, 'docs');
const docFiles = [
  join(root, 'README.md'),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docsDir, f)),
];

// A repository path: starts at a top-level folder, no placeholders (`functions/<area>/handler.ts`), no blanks.
const repoPath = /^(?:\.\/)?(?:functions|shared|scripts|test|infra|docs|\.ci)\/[A-Za-z0-9_.\-/]*$/;

/** Paths a markdown text names: repository paths in inline code, and relative link targets. */
function namedPaths(markdown: string): { code: string[]; links: string[] } {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const code = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => (m[1] ?? '').trim()).filter((p) => repoPath.test(p));
  const links = [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] ?? '').split('#')[0] ?? '')
    .filter((p) => p !== '' && !/^[a-z]+:/i.test(p));
  return { code, links };
}

function missingIn(file: string): string[] {
  const { code, links } = namedPaths(readFileSync(file, 'utf8'));
  return [
    ...code.filter((p) => !existsSync(join(root, p))),
    ...links.filter((p) => !existsSync(join(dirname(file), p))),
  ].map((p) => `${relative(root, file)}: ${p}`);
}

describe('paths the README and docs/ name', () => {
  it('finds module paths in inline code and relative links, not in code blocks or placeholders', () => {
    const text = [
      'See `shared/gone/away.ts` and `functions/<area>/handler.ts`, [x](gone.md), [y](https://example.com/a).',
      '```',
      '`shared/in-a-block.ts`',
      '```',
    ].join('\n');
    expect(namedPaths(text)).toEqual({ code: ['shared/gone/away.ts'], links: ['gone.md'] });
  });

  it('every backticked repository path and every relative link exists', () => {
    const named = docFiles.flatMap((f) => {
      const { code, links } = namedPaths(readFileSync(f, 'utf8'));
      return [...code, ...links];
    });
    expect(named.length).toBeGreaterThan(50);
    expect(docFiles.flatMap(missingIn)).toEqual([]);
  });

  it('the docs index links every file in docs/', () => {
    const index = namedPaths(readFileSync(join(docsDir, 'README.md'), 'utf8')).links;
    const unindexed = docFiles
      .map((f) => relative(docsDir, f))
      .filter((f) => !f.startsWith('..') && f !== 'README.md' && !index.includes(f));
    expect(unindexed).toEqual([]);
  });
});
