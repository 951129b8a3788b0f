// Cold starts of the deployed bundles (issue 19; ENGINEERING "cold start of every deployed bundle"): each Lambda's
// bundle exactly as `cdk synth` builds it, loaded in a fresh process of the bench's Node (22, the Lambda runtime)
// that then serves one first request against the run's DynamoDB Local, timed from spawn to exit, as a ratio to a
// bare `node -e 0` interleaved with that bundle's runs (absolute times drift on a shared machine; ratios less so).
//
// The first request of an API function is a real one: the event the local gateway handed that function when the
// bench called one of its routes over HTTP (authorizer context included), replayed as is. The authorizer replays a
// REQUEST event it decided. A function no route reaches (jobs, mail) replays its empty trigger, so its figure is
// module load plus an invocation with nothing to do, and the table says so.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { routes } from '../shared/routes';
import { localApi, row, sized } from './bench-harness';

const ROOT = new URL('../', import.meta.url).pathname;

interface Bundle {
  /** The function's area (POWERTOOLS_SERVICE_NAME without its prefix), `authorizer` for the authorizer. */
  area: string;
  file: string;
  /** The function's NODE_OPTIONS as deployed (source maps): a cold start in AWS pays what they cost. */
  nodeOptions?: string;
}

/** Synthesizes the app (offline, the same esbuild bundling as a deploy) and lists each function's bundle. */
function synthBundles(out: string): Bundle[] {
  const res = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', out], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cdk synth failed:\n${res.stderr}`);
  return listBundles(out);
}

function listBundles(out: string): Bundle[] {
  const bundles: Bundle[] = [];
  for (const name of readdirSync(out).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(out, name), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Metadata?: Record<string, string>; Properties?: Record<string, unknown> }
      >;
    };
    for (const r of Object.values(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const asset = r.Metadata?.['aws:asset:path'];
      const env = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      const service = env?.POWERTOOLS_SERVICE_NAME;
      // CDK's own providers (custom resources, log retention) carry no service name: not ours to measure.
      if (!asset || typeof service !== 'string') continue;
      const nodeOptions = typeof env?.NODE_OPTIONS === 'string' ? env.NODE_OPTIONS : undefined;
      bundles.push({
        area: service.replace(/^inbox-access-/, ''),
        file: join(out, asset, 'index.js'),
        ...(nodeOptions ? { nodeOptions } : {}),
      });
    }
  }
  return bundles.sort((a, b) => a.area.localeCompare(b.area));
}

/** The first request each function will replay, captured from the local gateway while the bench calls routes. */
async function captureEvents(): Promise<Map<string, unknown>> {
  const api = await localApi();
  const events = new Map<string, unknown>();
  api.gateway.onInvoke = (fn, event) => {
    if (!events.has(fn)) events.set(fn, structuredClone(event));
  };
  try {
    const token = await api.issuer.sign({ sub: 'bench-cold-owner', email: 'bench-cold-owner@example.test' });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await call('POST', '/v1/workspaces', { name: 'Cold start', plan: 'unlimited' });
    const ws = ((await created.json()) as { workspace: { id: string } }).workspace.id;
    const org = await call('POST', '/v1/organizations', { name: 'Cold start' });
    const orgId = ((await org.json()) as { id?: string }).id ?? 'none';
    // The areas whose usual first request is not a plain read of the workspace.
    const firstRequests = new Map<string, [method: string, path: string, body?: unknown]>([
      ['authz', ['POST', `/v1/workspaces/${ws}/authz/check`, { action: 'teammates.manage' }]],
      ['conversations', ['GET', `/v1/workspaces/${ws}/conversations?assignee=me`]],
      ['organizations', ['GET', `/v1/organizations/${orgId}`]],
    ]);
    // Else a read of the area whose only path parameter is the workspace: what a first request there does.
    for (const r of routes) {
      const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (r.method !== 'GET' || params.some((p) => p !== 'ws') || firstRequests.has(r.fn)) continue;
      firstRequests.set(r.fn, ['GET', r.path.replace('{ws}', ws)]);
    }
    events.clear(); // the set-up calls above; each area replays the first request chosen for it
    for (const [method, path, body] of firstRequests.values()) await call(method, path, body);
  } finally {
    api.gateway.onInvoke = undefined;
  }
  return events;
}

const RUNNER = `
const { readFileSync } = require('node:fs');
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = { functionName: 'cold', awsRequestId: 'cold', getRemainingTimeInMillis: () => 29000,
  callbackWaitsForEmptyEventLoop: false, invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:cold' };
Promise.resolve(require(bundle).handler(event, context)).then(
  (r) => { process.stdout.write(String((r && (r.statusCode ?? r.policyDocument?.Statement?.[0]?.Effect)) ?? 'done')); process.exit(0); },
  (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; out: string; ok: boolean }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        out: code === 0 ? out : err.slice(0, 300),
        ok: code === 0,
      }),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** An empty trigger for the functions no route reaches: what their invocation does with nothing to do. */
const EMPTY_TRIGGER: Record<string, unknown> = { Records: [] };

export async function benchColdStart() {
  const work = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    // BENCH_CDK_OUT: an assembly already synthesized from this tree (e.g. by `npm run synth`), to skip a synth.
    const all = process.env.BENCH_CDK_OUT
      ? listBundles(process.env.BENCH_CDK_OUT)
      : synthBundles(join(work, 'cdk.out'));
    // BENCH_COLD_START=docs,authorizer: only those functions (while working on one; the section takes minutes).
    const only = process.env.BENCH_COLD_START?.split(',').filter(Boolean);
    const bundles = only ? all.filter((b) => only.includes(b.area)) : all;
    if (only && bundles.length !== only.length)
      throw new Error(
        `BENCH_COLD_START: not every name is a function's area: ${only.join(', ')} (${all.map((b) => b.area).join(', ')})`,
      );
    const events = await captureEvents();
    const runner = join(work, 'runner.cjs');
    writeFileSync(runner, RUNNER);
    mkdirSync(join(work, 'events'));
    // The SDK is the Lambda runtime's (bundles leave @aws-sdk/* out): here the project's own copy stands in for it.
    const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), POWERTOOLS_DEV: 'false' };
    const runs = sized(7, 1);
    const bare: number[] = [];
    const results: { area: string; times: number[]; bare: number[]; what: string; outcome: string }[] = [];
    for (const b of bundles) {
      // A bundle is CommonJS, as in Lambda; inside the repository the package.json's "type": "module" would make
      // Node read it as ESM, so each runs from a copy outside it: the whole asset, as Lambda unpacks it (the docs
      // function reads the document written beside its bundle).
      cpSync(dirname(b.file), join(work, 'bundles', b.area), { recursive: true });
      const file = join(work, 'bundles', b.area, 'index.js');
      const captured = events.get(b.area);
      const eventFile = join(work, 'events', `${b.area}.json`);
      writeFileSync(eventFile, JSON.stringify(captured ?? EMPTY_TRIGGER));
      const times: number[] = [];
      const ownBare: number[] = [];
      let outcome = '';
      for (let i = 0; i < runs; i++) {
        const b0 = (await timed(['-e', '0'], env)).ms;
        bare.push(b0);
        ownBare.push(b0);
        const prof = process.env.BENCH_COLD_START_CPU_PROF;
        const r = await timed(
          [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}/${b.area}`] : []), runner, file, eventFile],
          b.nodeOptions ? { ...env, NODE_OPTIONS: b.nodeOptions } : env,
        );
        if (!r.ok) throw new Error(`cold start of ${b.area} failed: ${r.out}`);
        times.push(r.ms);
        outcome = r.out;
      }
      results.push({ area: b.area, times, bare: ownBare, what: captured ? 'first request' : 'empty trigger', outcome });
    }
    const base = median(bare);
    row('cold start: bare `node -e 0` (median)', `${base.toFixed(0)} ms (${bare.length} runs)`, '', null);
    for (const r of results) {
      // Against the bare runs interleaved with this bundle's own: on a shared machine the load drifts over the
      // minutes the section takes, and a ratio to the whole run's median would carry that drift.
      const ratio = median(r.times) / median(r.bare);
      const target = r.area === 'authorizer' ? 2.5 : 4;
      row(
        `cold start: ${r.area} (load + ${r.what} → ${r.outcome})`,
        `${median(r.times).toFixed(0)} ms = ${ratio.toFixed(2)}×`,
        `≤ ${target}×`,
        ratio <= target,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
