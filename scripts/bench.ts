// `npm run bench`: the ENGINEERING.md targets, measured in one run, printed as a table.
// Everything runs locally against DynamoDB Local; numbers are for this machine (2 cores).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { build } from 'esbuild';
import type { Interceptor } from '../shared/db/client';
import { PERMISSIONS, type Permission, type PermissionSet, SCOPES, type Scope } from '../shared/permissions/catalog';
import { FEATURES } from '../shared/permissions/plans';
import { decide } from '../shared/permissions/policy';
import { BUILTIN_ROLE_IDS, builtinPermissions } from '../shared/permissions/roles';
import { cedarModel } from '../test/fixtures/cedar-model';
import { localApi, ms, pct, printTable, QUICK, row, sized, stopLocalApi, us } from './bench-harness';
import { createGateway } from './local/gateway';

const ROOT = new URL('..', import.meta.url).pathname;

// Deterministic pseudo-random requests, the same for both engines.
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

interface Req {
  roleId: string;
  permission: Permission;
  scope: Scope | undefined;
  features: string[];
}

function requests(roleIds: string[], count: number): Req[] {
  const out: Req[] = [];
  for (let i = 0; i < count; i++) {
    const perm = PERMISSIONS[rand(PERMISSIONS.length)]!;
    out.push({
      roleId: roleIds[rand(roleIds.length)]!,
      permission: perm.key,
      scope: perm.scoped && rand(2) === 0 ? SCOPES[rand(3)] : undefined,
      features: FEATURES.filter(() => rand(2) === 0),
    });
  }
  return out;
}

function benchPolicy() {
  const roles: Record<string, PermissionSet> = {};
  for (const id of BUILTIN_ROLE_IDS) roles[id] = builtinPermissions(id, { agentsCanManageAttributes: false });
  roles.custom_a = {
    'messages.view': 'groups',
    'messages.send': 'assigned',
    'contacts.update': true,
    'roles.manage': true,
  };
  roles.custom_b = { 'analytics.view': true, 'sequences.access': true, 'messages.view': 'all', 'tags.apply': true };
  const cedar = cedarModel(roles);
  const sets: [string, string[]][] = [
    ['built-in roles', [...BUILTIN_ROLE_IDS]],
    ['custom roles', ['custom_a', 'custom_b']],
  ];
  // A decision takes nanoseconds: timing one call measures the timer. Each sample times a batch of
  // BATCH decisions and is divided by it; both engines answer the same batches, so the ratio compares
  // like with like.
  const BATCH = 1000;
  for (const [label, ids] of sets) {
    const reqs = requests(ids, sized(50, 2) * BATCH);
    const asked = reqs.map((r) => ({
      req: { permission: r.permission, ...(r.scope ? { scope: r.scope } : {}) },
      subject: { permissions: roles[r.roleId]!, features: r.features },
    }));
    let mismatches = 0;
    for (const [i, r] of reqs.entries()) {
      const q = asked[i]!;
      if (decide(q.req, q.subject).allowed !== cedar.stateful(r.roleId, r.permission, r.scope, r.features)) {
        mismatches++;
      }
    }
    const ours: number[] = [];
    const theirs: number[] = [];
    let sink = 0;
    // Warm-up: both engines answer every request once more, untimed, so the samples measure steady state.
    for (const [i, r] of reqs.entries()) {
      if (decide(asked[i]!.req, asked[i]!.subject).allowed) sink++;
      if (i < 5 * BATCH && cedar.stateful(r.roleId, r.permission, r.scope, r.features)) sink--;
    }
    for (let b = 0; b < reqs.length; b += BATCH) {
      const t0 = process.hrtime.bigint();
      for (let i = b; i < b + BATCH; i++) if (decide(asked[i]!.req, asked[i]!.subject).allowed) sink++;
      const t1 = process.hrtime.bigint();
      for (let i = b; i < b + BATCH; i++) {
        const r = reqs[i]!;
        if (cedar.stateful(r.roleId, r.permission, r.scope, r.features)) sink--;
      }
      const t2 = process.hrtime.bigint();
      ours.push(Number(t1 - t0) / BATCH);
      theirs.push(Number(t2 - t1) / BATCH);
    }
    if (sink === Number.MAX_SAFE_INTEGER) console.log(sink); // keeps the loops from being optimised away
    const p99 = pct(ours, 99);
    const ratio = pct(theirs, 50) / pct(ours, 50);
    row(
      `policy decision, ${label}: p50 / p99 per decision (${BATCH}-decision batches)`,
      `${us(pct(ours, 50))} / ${us(p99)}`,
      '≤ 1 µs p99',
      p99 <= 1000,
    );
    row(
      `Cedar statefulIsAuthorized, ${label}: p50 / p99 per decision, same batches`,
      `${us(pct(theirs, 50))} / ${us(pct(theirs, 99))}`,
      '',
      null,
    );
    row(`speed-up over Cedar (p50 of the same samples), ${label}`, `${ratio.toFixed(0)}×`, '≥ 50×', ratio >= 50);
    row(`identical answers, ${label}`, `${reqs.length - mismatches} / ${reqs.length}`, 'all', mismatches === 0);
  }
}

async function benchBundle() {
  const result = await build({
    entryPoints: [join(ROOT, 'functions/authorizer/handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    // As the deployed bundle is built (infra/constructs/lambda-function.ts): ESM entry points first, tree-shaken.
    mainFields: ['module', 'main'],
    write: false,
  });
  const code = result.outputFiles[0]!.contents;
  const kb = code.length / 1024;
  row('authorizer bundle, minified (AWS SDK not bundled)', `${kb.toFixed(1)} KB`, '≤ 150 KB', kb <= 150);
  const dir = join(ROOT, 'node_modules/.cache/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'authorizer.cjs');
  writeFileSync(file, code);
  const env = {
    ...process.env,
    AUTH_ISSUER: 'https://issuer.example',
    AUTH_AUDIENCE: 'api',
    AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
    TABLE_NAME: 'bench',
    AWS_REGION: 'us-east-1',
  };
  // The AWS SDK's DynamoDB client, which the functions no longer load (shared/db/client.ts), is timed beside it.
  const sdk = "require('@aws-sdk/client-dynamodb');require('@aws-sdk/lib-dynamodb');";
  const SPAWNS = sized(7, 2);
  const time = (pre: string, target: string) => {
    const samples: number[] = [];
    for (let i = 0; i < SPAWNS; i++) {
      const out = spawnSync(
        process.execPath,
        [
          '--no-warnings',
          '-e',
          `${pre}const t=process.hrtime.bigint();${target};console.log(Number(process.hrtime.bigint()-t))`,
        ],
        { env, encoding: 'utf8', cwd: ROOT },
      );
      const n = Number(out.stdout.trim().split('\n').pop());
      if (Number.isFinite(n)) samples.push(n);
    }
    return pct(samples, 50);
  };
  const own = time('', `require(${JSON.stringify(file)})`);
  const sdkLoad = time('', sdk);
  // Judged as ENGINEERING.md states it, a ratio to a bare Node start (the cold-start section); an absolute time
  // drifts with the machine. Its old ≤ 50 ms target assumed the SDK's client loaded first, which no function does now.
  row(`authorizer module init (median of ${SPAWNS})`, ms(own), '', null);
  row(`AWS SDK DynamoDB client load alone, not loaded by the functions (median of ${SPAWNS})`, ms(sdkLoad), '', null);
}

async function benchAuthorizerAndApi() {
  const api = await localApi();
  const { dynamoInterceptors, db, GetCommand, tableName } = await import('../shared/db/client');
  const { handler } = await import('../functions/authorizer/handler');
  const token = await api.issuer.sign({ sub: 'bench-owner', email: 'owner@bench.example' });
  const created = await fetch(`${api.url}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', plan: 'unlimited' }),
  });
  const ws = ((await created.json()) as { workspace: { id: string } }).workspace.id;
  const path = `/v1/workspaces/${ws}/me`;
  const event = {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:local:000000000000:local/local/GET${path}`,
    resource: '/v1/workspaces/{ws}/me',
    path,
    httpMethod: 'GET',
    headers: { authorization: `Bearer ${token}` },
    pathParameters: { ws },
  } as unknown as APIGatewayRequestAuthorizerEvent;

  let calls = 0;
  const counter: Interceptor = (_call, next) => {
    calls++;
    return next();
  };
  dynamoInterceptors.add(counter);
  const get = () => db.send(new GetCommand({ TableName: tableName, Key: { PK: `WS#${ws}`, SK: 'META' } }));
  for (let i = 0; i < sized(200, 20); i++) {
    await handler(event);
    await get();
  }
  const authz: number[] = [];
  const gets: number[] = [];
  calls = 0;
  const N = sized(5000, 200);
  for (let i = 0; i < N; i++) {
    let t = process.hrtime.bigint();
    await handler(event);
    authz.push(Number(process.hrtime.bigint() - t));
    t = process.hrtime.bigint();
    await get();
    gets.push(Number(process.hrtime.bigint() - t));
  }
  const trips = (calls - N) / N;
  // The same, with a never-seen token each time: the signature check is paid on every call.
  const fresh: number[] = [];
  const tokens = await Promise.all(
    Array.from({ length: sized(500, 50) }, (_, i) =>
      api.issuer.sign(
        { sub: 'bench-owner', email: 'owner@bench.example' },
        { expiresIn: Math.floor(Date.now() / 1000) + 3600 + i },
      ),
    ),
  );
  for (const tk of tokens) {
    const e = { ...event, headers: { authorization: `Bearer ${tk}` } } as APIGatewayRequestAuthorizerEvent;
    const t = process.hrtime.bigint();
    await handler(e);
    fresh.push(Number(process.hrtime.bigint() - t));
  }
  dynamoInterceptors.delete(counter);
  const ratio = pct(authz, 99) / pct(gets, 99);
  row('authorizer warm, cache miss: p50 / p99', `${ms(pct(authz, 50))} / ${ms(pct(authz, 99))}`, '', null);
  row('one GetItem, same DynamoDB Local: p50 / p99', `${ms(pct(gets, 50))} / ${ms(pct(gets, 99))}`, '', null);
  row('authorizer p99 ÷ GetItem p99', `${ratio.toFixed(2)}×`, '≤ 1.3×', ratio <= 1.3);
  row('authorizer p50 ÷ GetItem p50', `${(pct(authz, 50) / pct(gets, 50)).toFixed(2)}×`, '', null);
  row('DynamoDB round trips per decision', trips.toFixed(2), '≤ 1', trips <= 1);
  row(
    'authorizer, first sight of a token (ES256 verified): p50 / p99',
    `${ms(pct(fresh, 50))} / ${ms(pct(fresh, 99))}`,
    '',
    null,
  );

  // Throughput of GET /me: behind the authorizer (cached as deployed, and uncached) vs the same handler
  // given the same context without any authorizer.
  const authResult = await handler(event);
  const context = { ...(authResult.context ?? {}), principalId: authResult.principalId };
  const uncached = await createGateway({ authorizerCacheTtlSeconds: 0 });
  const bare = await createGateway({
    authorizerCacheTtlSeconds: 0,
    withAuthorizer: false,
    fixedAuthorizerContext: context,
  });
  const uncachedPort = await uncached.listen(0);
  const barePort = await bare.listen(0);
  const run = async (port: number) => {
    const res = await autocannon({
      url: `http://127.0.0.1:${port}${path}`,
      connections: 16,
      duration: sized(6, 2),
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.non2xx > 0) throw new Error(`${res.non2xx} non-2xx answers during the load run`);
    return res.requests.average;
  };
  await run(barePort); // warm-up
  const rpsBare = await run(barePort);
  const rpsCached = await run(api.port);
  const rpsUncached = await run(uncachedPort);
  row('GET /me req/s, no authorizer (same handler, same context)', rpsBare.toFixed(0), '', null);
  row(
    'GET /me req/s, authorizer with 30 s cache (as deployed)',
    `${rpsCached.toFixed(0)} (${(rpsCached / rpsBare).toFixed(2)}×)`,
    '≥ 0.75×',
    rpsCached / rpsBare >= 0.75,
  );
  row(
    'GET /me req/s, authorizer uncached (every request decided)',
    `${rpsUncached.toFixed(0)} (${(rpsUncached / rpsBare).toFixed(2)}×)`,
    '',
    null,
  );
  await uncached.close();
  await bare.close();

  await benchListCost(api.url, token);
}

/** A page of members costs the same in a workspace of 100 and of 5,000 members (Query + Limit). */
async function benchListCost(url: string, token: string) {
  const LARGE_MEMBERS = sized(5000, 300);
  const { BatchWriteCommand, db, tableName } = await import('../shared/db/client');
  const { memberItems } = await import('../shared/table/members/items');
  const make = async (count: number) => {
    const res = await fetch(`${url}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `List ${count}`, plan: 'unlimited' }),
    });
    const ws = ((await res.json()) as { workspace: { id: string } }).workspace.id;
    const items = Array.from({ length: count }, (_, i) =>
      memberItems(ws, {
        id: `mem_bench_${String(i).padStart(6, '0')}`,
        userId: `bench-user-${ws}-${i}`,
        email: `u${i}@bench.example`,
        roleId: 'agent',
        inboxIds: [],
        teamIds: [],
        joinedAt: new Date().toISOString(),
      }),
    ).flat();
    for (let i = 0; i < items.length; i += 25) {
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
    return ws;
  };
  const timePage = async (ws: string) => {
    const samples: number[] = [];
    for (let i = 0; i < sized(300, 60); i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/v1/workspaces/${ws}/members?limit=50`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      samples.push(Number(process.hrtime.bigint() - t));
    }
    return pct(samples.slice(50), 50);
  };
  const small = await make(100);
  const large = await make(LARGE_MEMBERS);
  await timePage(small);
  const a = await timePage(small);
  const b = await timePage(large);
  row('GET members?limit=50, workspace of 100 members: p50', ms(a), '', null);
  row(
    `GET members?limit=50, workspace of ${LARGE_MEMBERS.toLocaleString('en')} members: p50`,
    `${ms(b)} (${(b / a).toFixed(2)}×)`,
    '≈ 1× (page-bound)',
    b / a <= 1.3,
  );
}

/**
 * AuthZEN: 100 decisions as one POST .../access/v1/evaluations beside 100 POST .../access/v1/evaluation,
 * same questions, same run: p50 per request and DynamoDB round trips (SDK calls) per request.
 */
async function benchAuthzen() {
  const api = await localApi();
  const { dynamoInterceptors } = await import('../shared/db/client');
  const { putMember } = await import('../shared/members/repository');
  const token = await api.issuer.sign({ sub: 'bench-authzen', email: 'authzen@bench.example' });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of known answers
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const ws = (await call('POST', '/v1/workspaces', { name: 'AuthZEN bench', plan: 'unlimited' })).workspace.id;
  const inboxes: string[] = [];
  for (let i = 0; i < 10; i++) {
    inboxes.push(
      (
        await call('POST', `/v1/workspaces/${ws}/inboxes`, {
          name: `Inbox ${i}`,
          visibility: i % 2 ? 'private' : 'public',
          kind: 'shared',
        })
      ).id,
    );
  }
  const members: string[] = [];
  for (let i = 0; i < 20; i++) {
    const id = `mem_authzen_${i}`;
    await putMember(ws, {
      id,
      userId: `authzen-user-${ws}-${i}`,
      email: `a${i}@bench.example`,
      roleId: (['agent', 'member', 'manager'] as const)[i % 3]!,
      inboxIds: [inboxes[i % inboxes.length]!],
      teamIds: [],
      joinedAt: new Date().toISOString(),
    });
    members.push(id);
  }
  const actions = ['messages.view', 'messages.send', 'inboxes.private.access', 'conversations.delete'];
  const questions = Array.from({ length: 100 }, (_, i) => ({
    subject: { type: 'member', id: members[i % members.length] },
    action: { name: actions[i % actions.length] },
    resource: { type: 'inbox', id: inboxes[(i * 7) % inboxes.length] },
  }));
  let calls = 0;
  const counter: Interceptor = (_call, next) => {
    calls++;
    return next();
  };
  dynamoInterceptors.add(counter);
  const base = `/v1/workspaces/${ws}/access/v1`;
  const batch = () => call('POST', `${base}/evaluations`, { evaluations: questions });
  const singles = async () => {
    for (const q of questions) await call('POST', `${base}/evaluation`, q);
  };
  await batch();
  await singles(); // warm both
  const RUNS = sized(30, 1);
  const batchTimes: number[] = [];
  const singlesTimes: number[] = [];
  let batchCalls = 0;
  let singleCalls = 0;
  for (let r = 0; r < RUNS; r++) {
    calls = 0;
    let t0 = process.hrtime.bigint();
    await batch();
    batchTimes.push(Number(process.hrtime.bigint() - t0));
    batchCalls += calls;
    calls = 0;
    t0 = process.hrtime.bigint();
    await singles();
    singlesTimes.push(Number(process.hrtime.bigint() - t0));
    singleCalls += calls;
  }
  dynamoInterceptors.delete(counter);
  const b = pct(batchTimes, 50);
  const s = pct(singlesTimes, 50);
  row('AuthZEN: 100 decisions as one /evaluations: p50', ms(b), '', null);
  row(
    'AuthZEN: 100 decisions as 100 /evaluation calls: p50 (all 100)',
    `${ms(s)} (${(s / b).toFixed(1)}× the batch)`,
    '',
    null,
  );
  row(
    'AuthZEN: DynamoDB round trips, one batch of 100 / 100 singles',
    `${(batchCalls / RUNS).toFixed(1)} / ${(singleCalls / RUNS).toFixed(1)}`,
    'batch: O(1), not per item',
    batchCalls / RUNS <= 6,
  );
}

/**
 * The seat reconciliation over 10,000 workspaces / 200,000 members (scripts/bench-reconcile.ts), in its own
 * process and DynamoDB Local; its rows come back as JSON on its last line.
 */
function benchReconcile() {
  // This Node (the bench's), not whichever `node` is first on PATH.
  const res = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/bench-reconcile.ts')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...(QUICK ? { BENCH_RECONCILE_WORKSPACES: process.env.BENCH_RECONCILE_WORKSPACES ?? '100' } : {}),
      },
    },
  );
  const last = res.stdout.trim().split('\n').pop() ?? '';
  try {
    for (const r of JSON.parse(last) as [string, string, string, boolean | null][]) row(...r);
  } catch {
    // The quick pass exists to catch a section that no longer runs: there it fails the run.
    if (QUICK) throw new Error(`bench-reconcile.ts failed (exit ${res.status})`);
    row('seat reconciliation', `failed (exit ${res.status})`, '≤ 1.5× a parallel Scan; linear', false);
  }
}

/**
 * Conversations: a page of an inbox's conversations, and of "assigned to me", costs the same in a set of 100 and
 * of 50,000 (one Query with Limit on GSI1); DynamoDB round trips (SDK calls) of a message send and of a page of
 * conversations, counted through the HTTP path. The big sets are written straight to the table with
 * BatchWrite, in the items' shapes (shared/table/conversations/keys.ts, repository.ts).
 */
async function benchConversations() {
  const api = await localApi();
  const { BatchWriteCommand, db, dynamoInterceptors, tableName } = await import('../shared/db/client');
  const { putMember } = await import('../shared/members/repository');
  const keys = await import('../shared/table/conversations/keys');
  const token = await api.issuer.sign({ sub: 'bench-conv-owner', email: 'conv-owner@bench.example' });
  const call = async (method: string, path: string, body?: unknown, as = token) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of known answers
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const ws = (await call('POST', '/v1/workspaces', { name: 'Conversations bench', plan: 'unlimited' })).workspace
    .id as string;
  const base = `/v1/workspaces/${ws}`;
  const inbox = async (name: string) =>
    (await call('POST', `${base}/inboxes`, { name, visibility: 'public', kind: 'shared' })).id as string;
  const agent = async (label: string) => {
    const userId = `bench-conv-${label}-${ws}`;
    const id = `mem_${label}_${ws}`;
    await putMember(ws, {
      id,
      userId,
      email: `${label}@bench.example`,
      roleId: 'agent',
      inboxIds: [],
      teamIds: [],
      joinedAt: new Date().toISOString(),
    });
    return { id, token: await api.issuer.sign({ sub: userId, email: `${label}@bench.example` }) };
  };
  await benchParallelSends(api.url, token, dynamoInterceptors);

  const smallInbox = await inbox('Small');
  const largeInbox = await inbox('Large');
  const smallAgent = await agent('small');
  const largeAgent = await agent('large');

  /** `count` conversations in `inboxId`, each assigned to `assigneeId`: the conversation and its assignee entry. */
  const seed = async (inboxId: string, assigneeId: string, count: number) => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const batches: Record<string, unknown>[][] = [];
    let batch: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const id = `conv_bench_${inboxId}_${String(i).padStart(6, '0')}`;
      const at = new Date(t0 + i * 1000).toISOString();
      const record = {
        id,
        workspaceId: ws,
        inboxId,
        subject: `Conversation ${i}`,
        contactId: null,
        assigneeId,
        status: 'open',
        lastActivityAt: at,
        createdAt: at,
        updatedAt: at,
        createdBy: assigneeId,
        version: 1,
        inboxVisibility: 'public',
        inboxKind: 'shared',
        inboxOwnerId: null,
      };
      batch.push(
        {
          ...keys.conversationKey(ws, id),
          ...keys.inboxConversationIndexKey(ws, inboxId, at, id),
          entity: 'Conversation',
          ...record,
        },
        {
          ...keys.assignedEntryKey(ws, id),
          ...keys.assigneeIndexKey(ws, assigneeId, at, id),
          entity: 'ConversationAssignment',
          ...record,
        },
      );
      if (batch.length >= 24) {
        batches.push(batch);
        batch = [];
      }
    }
    if (batch.length > 0) batches.push(batch);
    // A few BatchWrites in flight; unprocessed items are sent again.
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };
  const LARGE = sized(50_000, 500);
  const seedStart = process.hrtime.bigint();
  await seed(smallInbox, smallAgent.id, 100);
  await seed(largeInbox, largeAgent.id, LARGE);
  const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;

  // The two sizes are timed interleaved (small, large, small, …) so both see the same machine load.
  const timePair = async (small: [string, string], large: [string, string]) => {
    const samples: [number[], number[]] = [[], []];
    const once = async ([path, as]: [string, string], into: number[], i: number) => {
      const t = process.hrtime.bigint();
      const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${as}` } });
      const json = (await res.json()) as { items: unknown[] };
      if (i >= 50) into.push(Number(process.hrtime.bigint() - t));
      if (res.status !== 200 || json.items.length !== 50) throw new Error(`${path}: ${res.status}`);
    };
    for (let i = 0; i < sized(350, 60); i++) {
      await once(small, samples[0], i);
      await once(large, samples[1], i);
    }
    return [pct(samples[0], 50), pct(samples[1], 50)] as const;
  };
  const inboxPage = (id: string) => `${base}/inboxes/${id}/conversations?limit=50`;
  const mine = `${base}/conversations?assignee=me&limit=50`;
  const [inboxSmall, inboxLarge] = await timePair(
    [inboxPage(smallInbox), smallAgent.token],
    [inboxPage(largeInbox), smallAgent.token],
  );
  const [mineSmall, mineLarge] = await timePair([mine, smallAgent.token], [mine, largeAgent.token]);
  row(
    `conversations seeded with BatchWrite (100 + ${LARGE.toLocaleString('en')}, each with its assignee entry)`,
    `${(seedMs / 1000).toFixed(1)} s`,
    '',
    null,
  );
  row('GET inbox conversations?limit=50, inbox of 100: p50', ms(inboxSmall), '', null);
  row(
    `GET inbox conversations?limit=50, inbox of ${LARGE.toLocaleString('en')}: p50 (timed interleaved)`,
    `${ms(inboxLarge)} (${(inboxLarge / inboxSmall).toFixed(2)}×)`,
    '≤ 1.2×',
    inboxLarge / inboxSmall <= 1.2,
  );
  row('GET conversations?assignee=me&limit=50, 100 assigned: p50', ms(mineSmall), '', null);
  row(
    `GET conversations?assignee=me&limit=50, ${LARGE.toLocaleString('en')} assigned: p50`,
    `${ms(mineLarge)} (${(mineLarge / mineSmall).toFixed(2)}×)`,
    '≤ 1.2×',
    mineLarge / mineSmall <= 1.2,
  );

  // Round trips, counted on the one DynamoDB client (authorizer and handlers alike).
  const counted: string[] = [];
  const counter: Interceptor = (call, next) => {
    counted.push(`${call.operation}Command`);
    return next();
  };
  dynamoInterceptors.add(counter);
  const count = async (fn: () => Promise<unknown>) => {
    counted.length = 0;
    await fn();
    return counted.length;
  };
  // Both send lists exist, so the outgoing rules have something to check.
  await call('PUT', `${base}/restricted-words`, { words: ['scam'] });
  await call('PUT', `${base}/opt-outs`, { contactIds: [] });
  const RUNS = sized(20, 3);
  let cold = 0;
  let warm = 0;
  for (let i = 0; i < RUNS; i++) {
    const conv = (await call('POST', `${base}/inboxes/${smallInbox}/conversations`, {}, smallAgent.token)).conversation
      .id as string;
    const path = `${base}/conversations/${conv}/messages`;
    cold += await count(() => call('POST', path, { body: 'Hello' }, smallAgent.token)); // authorizer decides
    warm += await count(() => call('POST', path, { body: 'Again' }, smallAgent.token)); // authorizer cached
  }
  let listCold = 0;
  let listWarm = 0;
  for (let i = 0; i < RUNS; i++) {
    // A new inbox is a new path: the authorizer decides its first page, then its answer is cached.
    const fresh = await inbox(`Count ${i}`);
    await call('POST', `${base}/inboxes/${fresh}/conversations`, {}, smallAgent.token);
    const path = `${base}/inboxes/${fresh}/conversations?limit=50`;
    listCold += await count(() => call('GET', path, undefined, smallAgent.token));
    listWarm += await count(() => call('GET', path, undefined, smallAgent.token));
  }
  dynamoInterceptors.delete(counter);
  row(
    'send message: DynamoDB round trips, authorizer deciding / cached',
    `${(cold / RUNS).toFixed(1)} / ${(warm / RUNS).toFixed(1)}`,
    '≤ 3',
    cold / RUNS <= 3,
  );
  row(
    'list conversations page: DynamoDB round trips, authorizer deciding / cached',
    `${(listCold / RUNS).toFixed(1)} / ${(listWarm / RUNS).toFixed(1)}`,
    '',
    null,
  );
}

/** The items a TransactWriteItems input names (`PK SK`), marshalled or not. */
function itemsNamed(input: unknown): string[] {
  const str = (v: unknown) => (typeof v === 'object' && v !== null && 'S' in v ? String(v.S) : String(v));
  const items =
    (input as { TransactItems?: Record<string, { Key?: Record<string, unknown>; Item?: Record<string, unknown> }>[] })
      .TransactItems ?? [];
  return items.flatMap((op) =>
    Object.values(op).map((x) => {
      const k = x.Key ?? x.Item ?? {};
      return `${str(k.PK)} ${str(k.SK)}`;
    }),
  );
}

/**
 * Contention between the sends of one workspace: N messages to N different conversations (each with its own
 * contact), `PARALLEL` in flight, and the same for N assignments of N conversations to one agent. A send's or an
 * assignment's transaction should name no item that every other one names too; in DynamoDB concurrent
 * transactions on one item (a ConditionCheck included) cancel each other with TransactionConflict, which
 * `transact` retries (then 503). Counted on the one SDK client: the transactions sent and how they were cancelled.
 */
async function benchParallelSends(url: string, token: string, dynamoInterceptors: Set<Interceptor>) {
  const N = sized(200, 40);
  const PARALLEL = 32;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of known answers
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  /** Runs `fn` for 0..n-1, `width` at a time. */
  const pool = async <T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> => {
    const out: T[] = new Array(n);
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return out;
  };
  const ws = (await ok('POST', '/v1/workspaces', { name: 'Parallel sends bench', plan: 'unlimited' })).workspace
    .id as string;
  const base = `/v1/workspaces/${ws}`;
  const inboxId = (await ok('POST', `${base}/inboxes`, { name: 'Busy', visibility: 'public', kind: 'shared' }))
    .id as string;
  // Both send lists exist and the opt-out list is not empty, as in a workspace that uses them.
  const someone = (await ok('POST', `${base}/contacts`, { name: 'Opted out' })).id as string;
  await ok('PUT', `${base}/opt-outs`, { contactIds: [someone] });
  await ok('PUT', `${base}/restricted-words`, { words: ['scam'] });
  const conversations = await pool(N, 8, async (i) => {
    const contactId = (await ok('POST', `${base}/contacts`, { name: `Contact ${i}` })).id as string;
    return (await ok('POST', `${base}/inboxes/${inboxId}/conversations`, { contactId })).conversation.id as string;
  });
  const { putMember } = await import('../shared/members/repository');
  const agentId = `mem_parallel_${ws}`;
  await putMember(ws, {
    id: agentId,
    userId: `bench-parallel-agent-${ws}`,
    email: 'parallel-agent@bench.example',
    roleId: 'agent',
    inboxIds: [],
    teamIds: [],
    joinedAt: new Date().toISOString(),
  });

  const tally = async (label: string, match: string, fn: (i: number) => Promise<number>) => {
    let sent = 0;
    const cancelled = new Map<string, number>();
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const watch: Interceptor = async (call, next) => {
      if (call.operation !== 'TransactWriteItems' || !JSON.stringify(call.input).includes(match)) return next();
      sent += 1;
      const named = itemsNamed(call.input);
      for (const k of named) {
        const now = (inFlight.get(k) ?? 0) + 1;
        inFlight.set(k, now);
        if (now > (peak.get(k) ?? 0)) peak.set(k, now);
      }
      try {
        return await next();
      } catch (err) {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const codes = [...new Set(reasons.map((r) => r.Code ?? 'None').filter((c) => c !== 'None'))];
        const key = codes.join('+') || String((err as { name?: string }).name);
        cancelled.set(key, (cancelled.get(key) ?? 0) + 1);
        throw err;
      } finally {
        for (const k of named) inFlight.set(k, (inFlight.get(k) ?? 1) - 1);
      }
    };
    dynamoInterceptors.add(watch);
    const t0 = process.hrtime.bigint();
    let statuses: number[];
    try {
      statuses = await pool(N, PARALLEL, fn);
    } finally {
      dynamoInterceptors.delete(watch);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const n = (s: number) => statuses.filter((x) => x === s).length;
    const other = statuses.filter((s) => ![201, 200, 409, 503].includes(s));
    const reasons = [...cancelled].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    row(
      `${label}, ${N} of them, ${PARALLEL} at a time: ok / 409 / 503 / retries (cancelled: reasons)`,
      `${n(201) + n(200)} / ${n(409)} / ${n(503)} / ${sent - N}${other.length ? ` / other ${other.join(',')}` : ''} (${reasons}) in ${seconds.toFixed(1)} s`,
      '',
      null,
    );
    // DynamoDB Local runs transactions one at a time and never cancels one for another (so the figures above
    // show no conflict); what DynamoDB would cancel shows as transactions in flight at once on one item. Per kind
    // of item (ids elided), the most seen at once on one of them; kinds never shared are left out.
    const byKind = new Map<string, number>();
    for (const [k, v] of peak) {
      const kind = k
        .split(' ')[1]!
        .replace(/[a-z]+_[0-9A-Z]{26}/g, '…')
        .replace(/^STAT#[0-9-]+#/, 'STAT#<day>#');
      byKind.set(kind, Math.max(v, byKind.get(kind) ?? 0));
    }
    const shared = [...byKind].filter(([, v]) => v > 1).sort((a, b) => b[1] - a[1]);
    const workspaceWide = Math.max(0, ...shared.filter(([k]) => k.startsWith('LIST#')).map(([, v]) => v));
    row(
      `${label}: most transactions in flight at once on one workspace-wide item (LIST#…)`,
      String(workspaceWide),
      '≤ 1',
      workspaceWide <= 1,
    );
    row(
      `${label}: most in flight at once on one item, per kind of item shared`,
      shared.map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
      '',
      null,
    );
  };
  await tally('parallel sends to different conversations of one workspace', 'MSG#', async (i) => {
    return (await call('POST', `${base}/conversations/${conversations[i]}/messages`, { body: `Hello ${i}` })).status;
  });
  await tally('parallel assignments of different conversations to one agent', 'CONVASSIGNED#', async (i) => {
    return (await call('POST', `${base}/conversations/${conversations[i]}/assign`, { memberId: agentId })).status;
  });
}

/**
 * DynamoDB round trips per route (issue 12: reads decided once). Over the local gateway with the authorizer
 * cache as deployed (30 s), each route is called twice with a token that has not called it yet: first the
 * authorizer decides, then its answer is cached. SDK calls on the one client (authorizer and handlers alike)
 * are counted as access reads (what the access loader reads: the caller's access batch, and the role Get
 * that may follow it) and data/write calls. A cached read should cost no access read; a write one fresh
 * access read, its own reads and one write. The caller is the Owner (a built-in role: no role Get).
 */
async function benchTrips() {
  const api = await localApi();
  const { dynamoInterceptors } = await import('../shared/db/client');
  const { routes } = await import('../shared/routes');
  const { putMember } = await import('../shared/members/repository');
  const owner = { sub: 'bench-trips-owner', email: 'trips-owner@bench.example' };
  const setupToken = await api.issuer.sign(owner);
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of known answers
    const json = (text ? JSON.parse(text) : null) as Record<string, any>;
    return { status: res.status, json };
  };
  const ok = async (method: string, path: string, body?: unknown, token = setupToken) => {
    const res = await call(method, path, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  const ws = (await ok('POST', '/v1/workspaces', { name: 'Trips bench', plan: 'unlimited' })).workspace.id as string;
  const base = `/v1/workspaces/${ws}`;
  const member = async (label: string, roleId = 'agent') => {
    const id = `mem_trips_${label}`;
    await putMember(ws, {
      id,
      userId: `bench-trips-${label}-${ws}`,
      email: `${label}@trips.bench.example`,
      roleId,
      inboxIds: [],
      teamIds: [],
      joinedAt: new Date().toISOString(),
    });
    return id;
  };
  // Something to list on every page.
  const roleId = (await ok('POST', `${base}/roles`, { name: 'Trips viewer', permissions: { 'messages.view': 'all' } }))
    .id as string;
  await ok('POST', `${base}/inboxes`, { name: 'Trips inbox', visibility: 'public', kind: 'shared' });
  await ok('POST', `${base}/teams`, { name: 'Trips team' });
  await ok('POST', `${base}/invitations`, { email: 'seed@trips.bench.example', roleId: 'agent' });
  const agent = await member('agent');
  const removed = [await member('gone1'), await member('gone2')];

  // Access reads are the calls the access loader (shared/auth/access.ts) makes: the caller's access batch, and
  // the role Get that may follow it. They are told apart by the call's stack (async frames included), so a
  // handler's own read of a role or a member counts as data even right after the batch.
  const counted: { command: string; access: boolean }[] = [];
  const counter: Interceptor = (call, next) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    counted.push({
      command: call.operation,
      access: stack.includes('/shared/auth/access.ts'),
    });
    return next();
  };
  dynamoInterceptors.add(counter);
  const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
  const measure = async (method: string, path: string, token: string, body?: unknown) => {
    counted.length = 0;
    const res = await call(method, path, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    const access = counted.filter((c) => c.access).length;
    const data = counted.filter((c) => !c.access).map((c) => c.command);
    return { access, data, writes: data.filter((c) => WRITES.has(c)).length };
  };

  type Step = { path: Record<string, string>; body?: unknown };
  interface Case {
    id: string;
    label: string;
    query?: string;
    /** The deciding call (first on its path), then the cached call (the second on its path). */
    deciding: Step;
    cached: Step;
    /** A call that only makes the authorizer decide (and cache) the cached call's path, when it cannot be repeated. */
    prime?: Step;
  }
  const p = (extra: Record<string, string> = {}) => ({ ws, ...extra });
  const reads: Case[] = [
    { id: 'getMe', label: 'GET /me', deciding: { path: p() }, cached: { path: p() } },
    { id: 'listMembers', label: 'members list', query: '?limit=50', deciding: { path: p() }, cached: { path: p() } },
    {
      id: 'getMember',
      label: 'one member',
      deciding: { path: p({ memberId: agent }) },
      cached: { path: p({ memberId: agent }) },
    },
    { id: 'listRoles', label: 'roles list', deciding: { path: p() }, cached: { path: p() } },
    { id: 'getRole', label: 'one role', deciding: { path: p({ roleId }) }, cached: { path: p({ roleId }) } },
    { id: 'listTeams', label: 'teams', deciding: { path: p() }, cached: { path: p() } },
    { id: 'listInboxes', label: 'inboxes', deciding: { path: p() }, cached: { path: p() } },
    { id: 'listInvitations', label: 'invitations', deciding: { path: p() }, cached: { path: p() } },
    { id: 'listAuditLog', label: 'audit log', deciding: { path: p() }, cached: { path: p() } },
    { id: 'getBillingSeats', label: 'billing seats', deciding: { path: p() }, cached: { path: p() } },
    { id: 'getAccessReview', label: 'access review', deciding: { path: p() }, cached: { path: p() } },
    { id: 'getWorkspace', label: 'settings (the workspace)', deciding: { path: p() }, cached: { path: p() } },
  ];
  const writes: Case[] = [
    {
      id: 'updateMember',
      label: 'PATCH member role',
      deciding: { path: p({ memberId: agent }), body: { roleId: 'member' } },
      cached: { path: p({ memberId: agent }), body: { roleId: 'manager' } },
    },
    {
      id: 'createInvitation',
      label: 'POST invitation',
      deciding: { path: p(), body: { email: 'one@trips.bench.example', roleId: 'agent' } },
      cached: { path: p(), body: { email: 'two@trips.bench.example', roleId: 'agent' } },
    },
    {
      id: 'createRole',
      label: 'POST role',
      deciding: { path: p(), body: { name: 'Trips one', permissions: { 'tags.apply': true } } },
      cached: { path: p(), body: { name: 'Trips two', permissions: { 'tags.apply': true } } },
    },
    {
      id: 'updateRole',
      label: 'PATCH role',
      deciding: { path: p({ roleId }), body: { name: 'Trips viewer renamed' } },
      cached: { path: p({ roleId }), body: { name: 'Trips viewer again' } },
    },
    {
      id: 'createTeam',
      label: 'POST team',
      deciding: { path: p(), body: { name: 'Trips team one' } },
      cached: { path: p(), body: { name: 'Trips team two' } },
    },
    {
      id: 'updateWorkspace',
      label: 'PATCH workspace settings',
      deciding: { path: p(), body: { settings: { contactsVisibility: 'private' } } },
      cached: { path: p(), body: { settings: { contactsVisibility: 'team' } } },
    },
    {
      // A member is removed once: the cached call removes another one, whose path a refused call primed
      // (a body on a DELETE is a 400 after the authorizer's Allow).
      id: 'removeMember',
      label: 'DELETE member',
      deciding: { path: p({ memberId: removed[0]! }) },
      prime: { path: p({ memberId: removed[1]! }), body: { prime: true } },
      cached: { path: p({ memberId: removed[1]! }) },
    },
  ];
  const fill = (path: string, params: Record<string, string>) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
      return encodeURIComponent(v);
    });
  let fresh = 0;
  const f = (m: { access: number; data: unknown[] }) => `${m.access} + ${m.data.length}`;
  row(
    'trips: DynamoDB calls per request, access reads + data/write calls (Owner, 30 s authorizer cache)',
    'deciding / cached (cached calls)',
    '',
    null,
  );
  for (const [kind, cases] of [
    ['read', reads],
    ['write', writes],
  ] as const) {
    for (const c of cases) {
      const route = routes.find((r) => r.id === c.id);
      const what = `trips: ${c.label} (${c.id})`;
      if (!route) {
        row(what, 'route absent', '', null);
        continue;
      }
      // A token of the Owner no call has used yet: every path is new to the authorizer cache.
      const token = await api.issuer.sign(owner, { expiresIn: Math.floor(Date.now() / 1000) + 3600 + fresh++ });
      const url = (s: Step) => `${fill(route.path, s.path)}${c.query ?? ''}`;
      const deciding = await measure(route.method, url(c.deciding), token, c.deciding.body);
      if (c.prime) {
        const primed = await call(route.method, url(c.prime), token, c.prime.body);
        if (primed.status !== 400) throw new Error(`priming ${c.id}: ${primed.status}, not a 400 after the Allow`);
      }
      const cached = await measure(route.method, url(c.cached), token, c.cached.body);
      const result = `${f(deciding)} / ${f(cached)} (${cached.data.join(', ') || 'none'})`;
      if (kind === 'read') {
        row(what, result, 'cached: 0 access', deciding.access === 1 && cached.access === 0);
      } else {
        row(
          what,
          result,
          'cached: 1 access + reads + 1 write',
          deciding.access === 2 && cached.access === 1 && cached.writes === 1 && deciding.writes === 1,
        );
      }
    }
  }
  dynamoInterceptors.delete(counter);
}

// `npm run bench` runs every section; `npm run bench -- policy api` only those named; `BENCH_QUICK=1` (or
// `--quick`) runs them all with small sizes and judges no target (CI does, so a section that breaks another
// is caught). A new section: one line here (see scripts/bench-harness.ts).
const sections: [name: string, run: () => unknown][] = [
  ['policy', benchPolicy],
  ['bundle', benchBundle],
  ['api', benchAuthorizerAndApi],
  ['authzen', benchAuthzen],
  ['reconcile', benchReconcile],
  ['conversations', benchConversations],
  ['trips', benchTrips],
  // Sections in their own files are imported when they run: a module that reaches shared/db/client at import
  // builds its DynamoDB client before the run's DynamoDB Local exists (the client reads its endpoint at load).
  ['cold-start', async () => (await import('./bench-cold-start')).benchColdStart()],
  ['scim', async () => (await import('./bench-scim')).benchScim()],
];
const names = sections.map(([name]) => name);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted)
  if (!names.includes(name)) throw new Error(`No bench section "${name}": ${names.join(', ')}`);
process.stderr.write(
  `bench on node ${process.version}${QUICK ? ', QUICK mode (small sizes, targets not judged)' : ''}: ${
    wanted.length > 0 ? wanted.join(', ') : names.join(', ')
  }\n`,
);
for (const [name, run] of sections) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const t0 = Date.now();
  await run();
  process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
await stopLocalApi();
printTable();
process.exit(0);
