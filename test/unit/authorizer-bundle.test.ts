// The authorizer runs on every uncached request: its bundle stays small (ENGINEERING.md: ≤ 150 KB minified,
// AWS SDK excluded). A shared module that drags a heavy dependency into it fails here, not in production.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('authorizer bundle', () => {
  it('stays within 150 KB minified', async () => {
    const result = await build({
      entryPoints: [new URL('../../functions/authorizer/handler.ts', import.meta.url).pathname],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      mainFields: ['module', 'main'],
      write: false,
    });
    const bytes = result.outputFiles[0]!.contents.length;
    expect(bytes).toBeLessThanOrEqual(150 * 1024);
  });
});
