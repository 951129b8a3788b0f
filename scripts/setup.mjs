#!/usr/bin/env node
// First step of `npm start`, `npm test` and `npm run bench`: makes a fresh clone runnable on a machine
// that has only Node.js and npm. Plain Node (no dependencies) because it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function lockDigest() {
  return createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
}

function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.lock-digest');
  const digest = lockDigest();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  log('installing node modules from package-lock.json…');
  const npm = (args, stdio = 'inherit') => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio });
  // The lock holds every platform's optional binaries at versions the registry serves (biome 2.5.15; rollup
  // pinned to 4.67.4 by `overrides`), so `npm ci` accepts it. CI must prove that: there a refusal fails the run.
  // Elsewhere (a mirror missing some platform package) `npm install` still installs the same locked versions.
  const ci = npm(['ci'], process.env.CI ? 'inherit' : 'ignore');
  if (ci.status !== 0) {
    if (process.env.CI) {
      log('npm ci refused the lock file (see above): package-lock.json is out of date for this registry.');
      process.exit(ci.status ?? 1);
    }
    log('npm ci refused the lock file; falling back to npm install (same locked versions)…');
    const res = npm(['install']);
    if (res.status !== 0) {
      log('npm install failed; see the output above.');
      process.exit(res.status ?? 1);
    }
  }
  writeFileSync(stamp, digest);
}

// Installs a Debian package with apt-get (as root, or through passwordless sudo); a failure is left to the caller's
// check, which explains what to do.
function aptInstall(pkg) {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (args) =>
    execFileSync(asRoot ? args[0] : 'sudo', asRoot ? args.slice(1) : ['-n', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', pkg]);
  } catch {
    // fall through to the caller's check
  }
}

function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

function ensureJava() {
  if (hasJava()) return;
  log('DynamoDB Local needs a Java runtime and `java` is missing: installing default-jre-headless…');
  aptInstall('default-jre-headless');
  if (!hasJava()) {
    log('Could not install Java automatically (needs root and apt-get).');
    log('Install a Java 11+ runtime yourself (e.g. `sudo apt-get install -y default-jre-headless`, or');
    log('`brew install openjdk` on macOS) and run the command again.');
    process.exit(1);
  }
}

function hasChromium() {
  return existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
}

// The console's browser tests (test/browser) drive Debian's Chromium through playwright-core's
// executablePath: nothing downloads a browser, so `npm test` installs the distribution's package.
function ensureChromium() {
  if (hasChromium()) return;
  log('The console browser tests need Chromium and /usr/bin/chromium is missing: installing chromium…');
  aptInstall('chromium');
  if (!hasChromium()) {
    log('Could not install Chromium automatically (needs root and apt-get).');
    log('Install it yourself (`sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium or Chrome');
    log('binary) and run the command again.');
    process.exit(1);
  }
}

ensureNodeModules();
if (!process.argv.includes('--no-java')) ensureJava();
if (process.env.npm_lifecycle_event === 'test' || process.argv.includes('--chromium')) ensureChromium();
