// `npm run bench -- scim`: SCIM provisioning over HTTP through the local gateway and the scim Lambda on DynamoDB
// Local (PRODUCT.md §12, issue 18): 1,000 users provisioned (8 at a time, as an identity provider's workers do),
// a filtered lookup, 10 groups of 100 members (one PATCH each), then one PATCH adding 1,000 members to a group.
// Reported: wall time, DynamoDB calls per operation by command, and the transactions a 1,000-member PATCH uses.
import type { Interceptor } from '../shared/db/client';
import { localApi, row, sized } from './bench-harness';

const USERS = sized(1000, 40);
const GROUPS = sized(10, 2);
const GROUP_SIZE = sized(100, 10);
const PARALLEL = 8;

export async function benchScim() {
  const api = await localApi();
  // After the local runtime set the environment: the DynamoDB client is built for the endpoint it first sees.
  const { dynamoInterceptors } = await import('../shared/db/client');
  const { groupStats, MEMBERS_PER_TRANSACTION } = await import('../shared/scim/groups');
  const owner = await api.issuer.sign({ sub: 'bench-scim-owner', email: 'scim-owner@bench.example' });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/scim+json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const ws = (await call('POST', '/v1/workspaces', owner, { name: 'SCIM bench', plan: 'unlimited' })).body.workspace.id;
  const token = (await call('POST', `/v1/workspaces/${ws}/scim/tokens`, owner, { name: 'bench', maxRoleId: 'admin' }))
    .body.token as string;
  const base = `/v1/workspaces/${ws}/scim/v2`;

  const calls: string[] = [];
  const counter: Interceptor = (call, next) => {
    calls.push(`${call.operation}Command`);
    return next();
  };
  dynamoInterceptors.add(counter);
  const perOp = (n: number) => {
    const by = new Map<string, number>();
    for (const c of calls) by.set(c.replace(/Command$/, ''), (by.get(c.replace(/Command$/, '')) ?? 0) + 1);
    calls.length = 0;
    return [...by].map(([c, k]) => `${(k / n).toFixed(2)} ${c}`).join(' + ');
  };
  const fail = (what: string, r: { status: number; body: unknown }) => {
    throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  };
  try {
    // 1,000 users.
    calls.length = 0;
    const ids: string[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let i = next++; i < USERS; i = next++) {
          const r = await call('POST', `${base}/Users`, token, {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: `user${i}@bench.example`,
            externalId: `ext-${i}`,
            name: { givenName: 'Bench', familyName: `User ${i}` },
            emails: [{ primary: true, type: 'work', value: `user${i}@bench.example` }],
            active: true,
          });
          if (r.status !== 201) fail('create user', r);
          ids[i] = r.body.id;
        }
      }),
    );
    const wall = performance.now() - t0;
    row(
      `SCIM: provision ${USERS} users (${PARALLEL} at a time)`,
      `${(wall / 1000).toFixed(1)} s, ${((wall * PARALLEL) / USERS).toFixed(0)} ms/user in flight`,
      '',
      null,
    );
    row('SCIM: DynamoDB calls per user created', perOp(USERS), '', null);

    // Filtered lookups (Okta's existence check): found and not found.
    calls.length = 0;
    const found = await call(
      'GET',
      `${base}/Users?filter=${encodeURIComponent('userName eq "USER7@bench.example"')}`,
      token,
    );
    if (found.body.totalResults !== 1) fail('lookup', found);
    const hit = perOp(1);
    await call('GET', `${base}/Users?filter=${encodeURIComponent('userName eq "nobody@bench.example"')}`, token);
    const miss = perOp(1);
    row(
      'SCIM: filtered lookup userName eq (found / not found)',
      `${hit} / ${miss}`,
      '1 Query, no Scan',
      !hit.includes('Scan') && !miss.includes('Scan'),
    );

    // 10 groups of 100: created, then one PATCH adding the 100.
    let groupMs = 0;
    const tx0 = groupStats.transactions;
    calls.length = 0;
    for (let g = 0; g < GROUPS; g++) {
      const t1 = performance.now();
      const created = await call('POST', `${base}/Groups`, token, { displayName: `Group ${g}` });
      if (created.status !== 201) fail('create group', created);
      const members = ids.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE).map((value) => ({ value }));
      const patched = await call('PATCH', `${base}/Groups/${created.body.id}?excludedAttributes=members`, token, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: members }],
      });
      if (patched.status !== 200) fail('patch group', patched);
      groupMs += performance.now() - t1;
    }
    row(
      `SCIM: ${GROUPS} groups of ${GROUP_SIZE} (create + one PATCH each)`,
      `${(groupMs / 1000).toFixed(2)} s, ${(groupMs / GROUPS).toFixed(0)} ms/group, ${(groupStats.transactions - tx0) / GROUPS} membership transaction(s)/group`,
      '',
      null,
    );
    row('SCIM: DynamoDB calls per group (create + PATCH)', perOp(GROUPS), '', null);

    // One PATCH adding every user to one group.
    const big = await call('POST', `${base}/Groups`, token, { displayName: 'Everyone' });
    const tx1 = groupStats.transactions;
    calls.length = 0;
    const t2 = performance.now();
    const all = await call('PATCH', `${base}/Groups/${big.body.id}?excludedAttributes=members`, token, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    const bigMs = performance.now() - t2;
    if (all.status !== 200) fail('1,000-member PATCH', all);
    const txs = groupStats.transactions - tx1;
    row(
      `SCIM: one PATCH adding ${USERS} members`,
      `${all.status}, ${(bigMs / 1000).toFixed(2)} s, ${txs} transactions (<= ${MEMBERS_PER_TRANSACTION} members each)`,
      `${Math.ceil(USERS / MEMBERS_PER_TRANSACTION)} transactions, no 5xx`,
      all.status === 200 && txs === Math.ceil(USERS / MEMBERS_PER_TRANSACTION),
    );
    row(`SCIM: DynamoDB calls of that PATCH`, perOp(1), '', null);
  } finally {
    dynamoInterceptors.delete(counter);
  }
}
