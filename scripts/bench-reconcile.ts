// `npm run bench -- reconcile` (or the full `npm run bench`): the seat reconciliation over 1,000 and then
// 10,000 workspaces (20 members each on average: 200,000 members) in DynamoDB Local, beside a plain
// parallel Scan of the same table in the same run (4 segments, consistent). The reconciliation walks the workspace
// directory and Queries each workspace's partition (it never Scans). Items are seeded
// with BatchWrite straight into the table: workspace (with its directory entry), members (member, membership and email items),
// seat counter and billed quantity; 1% of workspaces have a billed quantity to correct and 0.5% a
// drifted seat counter, so the timed runs also write ledger entries, events and repairs.
// Prints its rows as JSON on the last line (scripts/bench.ts shows them in its table).
import { performance } from 'node:perf_hooks';

const WORKSPACES = Number(process.env.BENCH_RECONCILE_WORKSPACES ?? 10_000);
const FIRST = Math.min(1_000, WORKSPACES);
const SEGMENTS = 4;

type Row = [string, string, string, boolean | null];
const rows: Row[] = [];

const { startDynamoDbLocal, localAwsEnv } = await import('./local/dynamodb-local');
const { createTable } = await import('./local/table-setup');
const { startEventsServer } = await import('./local/events-server');
const ddb = await startDynamoDbLocal();
const events = await startEventsServer();
const TABLE = 'bench-reconcile';
Object.assign(process.env, localAwsEnv(ddb.endpoint), {
  TABLE_NAME: TABLE,
  EVENTS_ENDPOINT: events.url,
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
});
await createTable(ddb.endpoint, TABLE);

const { BatchWriteCommand, db, ScanCommand } = await import('../shared/db/client');
const { memberItems } = await import('../shared/table/members/items');
const { newSeatCounterItem } = await import('../shared/seats/items');
const { billingKey } = await import('../shared/table/billing/keys');
const { workspaceDirectoryKey } = await import('../shared/table/workspaces/keys');
const { seatPolicy } = await import('../shared/billing/policy');
const { reconcileSeats } = await import('../shared/billing/reconcile');
const { boundedEach, registerLambdaContext } = await import('../shared/billing/reconcile');
// As the Lambda handler does: the idempotency records of event publishing expire with the invocation.
registerLambdaContext({ getRemainingTimeInMillis: () => 900_000 } as never);

type Item = Record<string, unknown>;
// mulberry32: deterministic, and its low digits are as random as its high ones.
let rnd = 7;
const rand = (n: number) => {
  rnd = (rnd + 0x6d2b79f5) | 0;
  let x = Math.imul(rnd ^ (rnd >>> 15), 1 | rnd);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) % n;
};

interface Seeded {
  id: string;
  paid: number;
  seats: number;
}

function workspaceItems(i: number): { items: Item[]; ws: Seeded } {
  const id = `ws_bench${String(i).padStart(6, '0')}`;
  const size = 10 + rand(21); // 10..30, 20 on average
  const now = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
  const members = Array.from({ length: size }, (_, k) => ({
    id: `mem_${id}_${k}`,
    userId: `u_${id}_${k}`,
    email: `u${k}@${id}.bench`,
    roleId: k === 0 ? 'owner' : k <= 1 + rand(2) && rand(10) < 7 ? 'admin' : ['agent', 'member', 'manager'][rand(3)]!,
    inboxIds: [],
    teamIds: [],
    joinedAt: now,
  }));
  const policy = seatPolicy(members);
  const items: Item[] = [
    {
      PK: `WS#${id}`,
      SK: 'META',
      ...workspaceDirectoryKey(id),
      entity: 'Workspace',
      id,
      name: id,
      planId: 'unlimited',
      version: 1,
    },
    ...members.flatMap((m) => memberItems(id, m)),
    newSeatCounterItem(id, size),
    {
      ...billingKey(id),
      entity: 'SeatBilling',
      workspaceId: id,
      billedSeats: policy.paidSeats,
      seq: 1,
      lastReconciledAt: now,
    },
  ];
  return { items, ws: { id, paid: policy.paidSeats, seats: size } };
}

async function batchWrite(items: Item[]): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await boundedEach(chunks, 8, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
      pending = (res.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
    }
  });
}

const seeded: Seeded[] = [];
let members = 0;
let tableItems = 0;
let seedMs = 0;
async function seed(from: number, to: number): Promise<void> {
  const t0 = performance.now();
  for (let at = from; at < to; at += 500) {
    const all: Item[] = [];
    for (let i = at; i < Math.min(to, at + 500); i++) {
      const { items, ws } = workspaceItems(i);
      all.push(...items);
      seeded.push(ws);
      members += ws.seats;
    }
    tableItems += all.length;
    await batchWrite(all);
  }
  seedMs += performance.now() - t0;
}

let nextSeq = 0;
/** 1% billed wrong, 0.5% seat counters drifted: what the timed run must correct. */
async function drift(): Promise<{ billing: number; counters: number }> {
  const items: Item[] = [];
  let billing = 0;
  let counters = 0;
  for (const ws of seeded) {
    const r = rand(1000);
    if (r < 10) {
      items.push({
        ...billingKey(ws.id),
        entity: 'SeatBilling',
        workspaceId: ws.id,
        billedSeats: ws.paid + 1,
        seq: 100_000 + nextSeq++,
        lastReconciledAt: null,
      });
      billing += 1;
    } else if (r < 15) {
      items.push(newSeatCounterItem(ws.id, ws.seats + 3));
      counters += 1;
    }
  }
  await batchWrite(items);
  return { billing, counters };
}

async function plainScan(): Promise<{ ms: number; items: number }> {
  const t0 = performance.now();
  const counts = await Promise.all(
    Array.from({ length: SEGMENTS }, async (_, segment) => {
      let n = 0;
      let start: Item | undefined;
      do {
        const res = await db.send(
          new ScanCommand({
            TableName: TABLE,
            Segment: segment,
            TotalSegments: SEGMENTS,
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        n += res.Items?.length ?? 0;
        start = res.LastEvaluatedKey;
      } while (start);
      return n;
    }),
  );
  return { ms: performance.now() - t0, items: counts.reduce((a, b) => a + b, 0) };
}

async function measure(label: string) {
  // Warm-up pass (JIT, DynamoDB Local caches), then drift, then the timed pair (best of two each).
  await plainScan();
  await reconcileSeats();
  const scans: number[] = [];
  const runs: number[] = [];
  let last: Awaited<ReturnType<typeof reconcileSeats>> | undefined;
  let injected = { billing: 0, counters: 0 };
  for (let round = 0; round < 2; round++) {
    injected = await drift();
    const s = await plainScan();
    // (Ledger, audit and idempotency items written by earlier runs are scanned too.)
    if (s.items < tableItems) throw new Error(`scan saw ${s.items} of ${tableItems} items`);
    scans.push(s.ms);
    const t0 = performance.now();
    last = await reconcileSeats();
    runs.push(performance.now() - t0);
    if (last.failed > 0 || last.checked !== seeded.length)
      throw new Error(`reconcile: ${JSON.stringify(last.failures.slice(0, 3))}`);
    if (last.changed !== injected.billing || last.driftRepaired !== injected.counters) {
      throw new Error(
        `reconcile changed ${last.changed}/${injected.billing}, repaired ${last.driftRepaired}/${injected.counters}`,
      );
    }
  }
  const scan = Math.min(...scans);
  const run = Math.min(...runs);
  return { label, scan, run, ratio: run / scan, changed: last?.changed ?? 0, repaired: last?.driftRepaired ?? 0 };
}

await seed(0, FIRST);
const small = await measure(`${FIRST.toLocaleString('en')} workspaces`);
const smallMembers = members;
await seed(FIRST, WORKSPACES);
const large = await measure(`${WORKSPACES.toLocaleString('en')} workspaces`);

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
rows.push([
  `seat reconciliation: seeded ${WORKSPACES.toLocaleString('en')} workspaces / ${members.toLocaleString('en')} members (${tableItems.toLocaleString('en')} items, BatchWrite)`,
  s(seedMs),
  '',
  null,
]);
for (const m of WORKSPACES > FIRST ? [small, large] : [small]) {
  rows.push([
    `seat reconciliation, ${m.label}: run vs plain parallel Scan (${SEGMENTS} segments)`,
    `${s(m.run)} vs ${s(m.scan)} = ${m.ratio.toFixed(2)}× (${m.changed} billed, ${m.repaired} repaired)`,
    '≤ 1.5×',
    m.ratio <= 1.5,
  ]);
}
const perMemberSmall = small.run / smallMembers;
const perMemberLarge = large.run / members;
rows.push([
  `seat reconciliation, time per member: ${FIRST.toLocaleString('en')} → ${WORKSPACES.toLocaleString('en')} workspaces`,
  `${(perMemberSmall * 1000).toFixed(1)} → ${(perMemberLarge * 1000).toFixed(1)} µs (${(large.run / small.run).toFixed(1)}× time for ${(members / smallMembers).toFixed(1)}× members; the plain Scan: ${(large.scan / small.scan).toFixed(1)}×)`,
  'linear (per-member ≤ 1.3×)',
  perMemberLarge <= perMemberSmall * 1.3,
]);

await events.close();
await ddb.stop();
process.stdout.write(`${JSON.stringify(rows)}\n`);
process.exit(0);
