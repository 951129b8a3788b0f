// Builds the console (console/dist) when its sources changed since the last build: `npm start` and the
// browser tests call this, so neither needs a separate step. Offline: Vite and esbuild only.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIR = fileURLToPath(new URL('../console', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const STAMP = join(CONSOLE_DIST, '.source-digest');
const LOCK = join(CONSOLE_DIR, '.build-lock');

function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(CONSOLE_DIR, 'src'));
  for (const f of ['index.html', 'vite.config.ts']) hash.update(f).update(readFileSync(join(CONSOLE_DIR, f)));
  return hash.digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds unless console/dist matches the sources; returns whether it built. Safe to call concurrently. */
export async function ensureConsoleBuilt(): Promise<boolean> {
  const digest = sourceDigest();
  const current = () => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest;
  if (current()) return false;
  // Test files run in parallel processes: one builds, the others wait for its stamp.
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      if (current()) return false;
    }
  }
  try {
    if (current()) return false;
    const { build } = await import('vite');
    await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(STAMP, digest);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const built = await ensureConsoleBuilt();
  process.stdout.write(`${built ? 'built' : 'up to date:'} ${CONSOLE_DIST} (${Date.now() - t0} ms)\n`);
}
