// What every `npm run bench` section shares: the result table, quick mode, and ONE local runtime for the run.
//
// Adding a section: write `async function benchX()` (in scripts/bench.ts, or in its own file importing this one),
// take its local API from `localApi()`, its sizes from `sized(full, quick)`, report with `row()`, and add it
// to the `sections` list at the end of scripts/bench.ts. Quick mode (`BENCH_QUICK=1`, or `--quick`, run in CI)
// then runs it with its quick sizes, and its targets are shown but not judged.
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalApi, startLocalApi } from './local/app';
import { newTokenSecret } from './local/mail';
import { createTable, seedPlans } from './local/table-setup';

/** Small sizes, every section, no target judged: a pass that proves the bench runs, not how fast. */
export const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
// Child processes (the reconciliation's) read it from the environment.
if (QUICK) process.env.BENCH_QUICK = '1';

/** A section's size: the measured one, or its quick-mode stand-in. */
export const sized = (full: number, quick: number): number => (QUICK ? quick : full);

export type Row = [string, string, string, string];
export const rows: Row[] = [];
/** One result line. `verdict` null: informative, no target. In quick mode no target is judged. */
export const row = (what: string, measured: string, target: string, verdict: boolean | null) =>
  rows.push([what, measured, target, verdict === null || QUICK ? '' : verdict ? 'ok' : 'MISSED']);

export function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
export const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
export const ms = (ns: number) => `${(ns / 1e6).toFixed(2)} ms`;

// The Lambda modules are loaded once per process, as in a container: their DynamoDB client is built for the
// endpoint they first see and their token verifier for the issuer they first see. So the run has ONE
// DynamoDB Local, one issuer and one local gateway; each section gets the table emptied (deleted and
// created again, plans seeded), so it measures what it would measure alone.
let runtime: LocalApi | undefined;

export async function localApi(): Promise<LocalApi> {
  if (!runtime) {
    // Invitations sign their token with this key; the mail pipeline is not started (its stream reads would
    // be counted as the routes' round trips and compete for the two cores).
    process.env.INVITE_TOKEN_SECRET ??= newTokenSecret();
    runtime = await startLocalApi({ port: 0, authorizerCacheTtlSeconds: 30 });
    return runtime;
  }
  const client = new DynamoDBClient({
    endpoint: runtime.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new DeleteTableCommand({ TableName: runtime.tableName }));
  client.destroy();
  await createTable(runtime.endpoint, runtime.tableName);
  await seedPlans();
  return runtime;
}

export async function stopLocalApi(): Promise<void> {
  await runtime?.stop();
  runtime = undefined;
}

export function printTable() {
  const header: Row = ['measure', 'result', 'target', ''];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  const mode = QUICK ? 'QUICK mode (BENCH_QUICK=1): small sizes, targets not judged; ' : '';
  process.stdout.write(`\n${mode}node ${process.version}, ${new Date().toISOString()}\n`);
}
