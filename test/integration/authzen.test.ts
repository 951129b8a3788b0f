// OpenID AuthZEN Authorization API 1.0 per workspace: the examples of the 1.0 text (adapted: its users are
// our members' users, its documents and accounts our inboxes, `can_read` is `messages.view`), batch
// semantics, malformed requests, X-Request-ID, who may ask, and properties tying every answer to what the
// real routes answer and the searches to the single evaluation.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, db, tableName } from '../../shared/db/client';
import { companyAdminGrantKey, orgAdminKey } from '../../shared/table/organizations/keys';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
let ws: string;
let ownerToken: string;
let ownerMemberId: string;
const m: Record<string, { userId: string; memberId: string; token: string }> = {};
const inbox: Record<string, string> = {};
let customRoleId: string;
let apiKey: { id: string; key: string };

const base = () => `/v1/workspaces/${ws}/access/v1`;
const ask = (path: string, token: string, body: unknown, headers?: Record<string, string>) =>
  t.call('POST', `${base()}${path}`, { token, body, ...(headers ? { headers } : {}) });

beforeAll(async () => {
  t = await startTestApi();
  const w = await createWorkspace(t, 'unlimited', 'AuthZEN');
  ws = w.ws;
  ownerToken = w.token;
  ownerMemberId = w.ownerMemberId;
  for (const role of ['admin', 'manager', 'agent', 'member']) m[role] = await addMember(t, ws, role);
  const mk = async (name: string, visibility: string, kind = 'shared', token = ownerToken) => {
    const res = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, { token, body: { name, visibility, kind } });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  inbox.public = await mk('Support', 'public');
  inbox.private = await mk('VIP', 'private');
  inbox.team = await mk('Escalations', 'private');
  inbox.direct = await mk('Billing', 'private');
  inbox.personal = await mk('Mine', 'private', 'personal', m.agent!.token);
  const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
    token: ownerToken,
    body: { name: 'Tier 2', memberIds: [m.agent!.memberId], inboxIds: [inbox.team] },
  });
  expect(team.status, team.text).toBe(201);
  const direct = await t.call('PUT', `/v1/workspaces/${ws}/members/${m.member!.memberId}/inboxes`, {
    token: ownerToken,
    body: { inboxIds: [inbox.direct] },
  });
  expect(direct.status, direct.text).toBe(200);
  const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
    token: ownerToken,
    body: { name: 'Restricted', permissions: { 'messages.view': 'assigned', 'teammates.manage': true } },
  });
  customRoleId = role.body.id;
  m.custom = await addMember(t, ws, customRoleId);
  const key = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
    token: ownerToken,
    body: { name: 'Bot', roleId: 'agent' },
  });
  expect(key.status, key.text).toBe(201);
  apiKey = { id: key.body.id, key: key.body.key };
});
afterAll(async () => {
  await t.stop();
});

const read = { name: 'messages.view' };
const user = (who: string) => ({ type: 'user', id: m[who]!.userId });
const doc = (id: string) => ({ type: 'inbox', id });

describe('AuthZEN 1.0: the examples of the text, on our fixture', () => {
  it('Access Evaluation (HTTPS example): subject, resource, action with properties, context → {decision: true}, X-Request-ID echoed', async () => {
    const res = await ask(
      '/evaluation',
      m.agent!.token,
      {
        subject: {
          ...user('agent'),
          properties: { department: 'Sales', ip_address: '172.217.22.14', device_id: '8:65:ee:17:7e:0b' },
        },
        resource: { type: 'inbox', id: inbox.public, properties: { library_record: { title: 'AuthZEN in Action' } } },
        action: { name: 'messages.view', properties: { method: 'GET' } },
        context: { time: '1985-10-26T01:22-07:00' },
      },
      { 'X-Request-ID': 'bfe9eb29-ab87-4ca3-be83-a1d5d8305716' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-request-id')).toBe('bfe9eb29-ab87-4ca3-be83-a1d5d8305716');
    expect(res.body).toEqual({ decision: true });
  });

  it('a deny is 200 {decision: false} with a reason (Decision examples)', async () => {
    const res = await ask('/evaluation', m.agent!.token, {
      subject: user('agent'),
      action: { name: 'billing.manage' },
      resource: { type: 'workspace', id: ws },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: false, context: { permission: 'billing.manage' } });
    expect(res.body.context.reason).toContain('billing.manage');
  });

  it('Access Evaluations: three requests with no default values', async () => {
    const item = (id: string) => ({
      subject: user('agent'),
      action: read,
      resource: doc(id),
      context: { time: '2024-05-31T15:22-07:00' },
    });
    const res = await ask('/evaluations', m.agent!.token, {
      evaluations: [item(inbox.public!), item(inbox.private!), item(inbox.team!)],
    });
    expect(res.status).toBe(200);
    expect(res.body.evaluations.map((e: any) => e.decision)).toEqual([true, false, true]);
    expect(res.body.decision).toBeUndefined();
  });

  it('Default values: a top-level subject and context; then a top-level action overridden by the third item', async () => {
    const shared = await ask('/evaluations', m.agent!.token, {
      subject: user('agent'),
      context: { time: '2024-05-31T15:22-07:00' },
      evaluations: [
        { action: read, resource: doc(inbox.public!) },
        { action: read, resource: doc(inbox.team!) },
        { action: read, resource: doc(inbox.private!) },
      ],
    });
    expect(shared.body.evaluations.map((e: any) => e.decision)).toEqual([true, true, false]);
    const overridden = await ask('/evaluations', m.agent!.token, {
      subject: user('agent'),
      context: { time: '2024-05-31T15:22-07:00' },
      action: read,
      evaluations: [
        { resource: doc(inbox.public!) },
        { resource: doc(inbox.team!) },
        { action: { name: 'inboxes.public.configure' }, resource: doc(inbox.public!) },
      ],
    });
    expect(overridden.body.evaluations.map((e: any) => e.decision)).toEqual([true, true, false]);
    expect(overridden.body.evaluations[2].context.permission).toBe('inboxes.public.configure');
  });

  it('Evaluations options: execute_all, deny_on_first_deny, permit_on_first_permit (documents 1, 2, 3)', async () => {
    const body = (semantic: string) => ({
      subject: user('agent'),
      action: read,
      options: { evaluations_semantic: semantic, another_option: 'value' },
      evaluations: [
        { resource: doc(inbox.public!) },
        { resource: doc(inbox.private!) },
        { resource: doc(inbox.team!) },
      ],
    });
    const all = await ask('/evaluations', m.agent!.token, body('execute_all'));
    expect(all.body.evaluations.map((e: any) => e.decision)).toEqual([true, false, true]);
    const denyFirst = await ask('/evaluations', m.agent!.token, body('deny_on_first_deny'));
    expect(denyFirst.body.evaluations).toHaveLength(2);
    expect(denyFirst.body.evaluations.map((e: any) => e.decision)).toEqual([true, false]);
    expect(denyFirst.body.evaluations[1].context.reason).toEqual(expect.any(String));
    const permitFirst = await ask('/evaluations', m.agent!.token, body('permit_on_first_permit'));
    expect(permitFirst.body.evaluations).toEqual([{ decision: true }]);
    const byDefault = await ask('/evaluations', m.agent!.token, { ...body('execute_all'), options: undefined });
    expect(byDefault.body.evaluations).toHaveLength(3);
  });

  it('Evaluations errors: an item that fails is decision false with context.error (404), others are answered', async () => {
    const res = await ask('/evaluations', m.agent!.token, {
      subject: user('agent'),
      action: read,
      evaluations: [
        { resource: doc(inbox.public!) },
        { resource: doc('inbox_missing') },
        { resource: doc(inbox.private!) },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.evaluations[0]).toEqual({ decision: true });
    expect(res.body.evaluations[1]).toMatchObject({ decision: false, context: { error: { status: 404 } } });
    expect(res.body.evaluations[1].context.reason).toMatch(/not found/i);
    expect(res.body.evaluations[2]).toMatchObject({ decision: false, context: { reason: expect.any(String) } });
  });

  it('no (or an empty) evaluations array behaves as the single evaluation', async () => {
    const res = await ask('/evaluations', m.agent!.token, {
      subject: user('agent'),
      action: read,
      resource: doc(inbox.public!),
    });
    expect(res.body).toEqual({ decision: true });
    const empty = await ask('/evaluations', m.agent!.token, {
      subject: user('agent'),
      action: read,
      resource: doc(inbox.private!),
      evaluations: [],
    });
    expect(empty.body.decision).toBe(false);
  });

  it('Search pagination (limit 2 of 3): next_token, then the last page with next_token ""', async () => {
    // The owner sees every shared inbox and its personal ones: public, private, team, direct.
    const first = await ask(
      '/search/resource',
      ownerToken,
      { subject: { type: 'member', id: ownerMemberId }, action: read, resource: { type: 'inbox' }, page: { limit: 2 } },
      { 'X-Request-ID': 'page-1' },
    );
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('x-request-id')).toBe('page-1');
    expect(Object.keys(first.body)[0]).toBe('page');
    expect(first.body.page).toMatchObject({ count: 2, total: 4, next_token: expect.stringMatching(/.+/) });
    expect(first.body.results).toHaveLength(2);
    const second = await ask('/search/resource', ownerToken, {
      subject: { type: 'member', id: ownerMemberId },
      action: read,
      resource: { type: 'inbox' },
      page: { limit: 2, token: first.body.page.next_token },
    });
    expect(second.body.page).toEqual({ next_token: '', count: 2, total: 4 });
    const ids = [...first.body.results, ...second.body.results].map((r: any) => r.id).sort();
    expect(ids).toEqual([inbox.public, inbox.private, inbox.team, inbox.direct].sort());
    for (const r of [...first.body.results, ...second.body.results]) expect(r.type).toBe('inbox');
    // A token with other entities (or another limit) is refused.
    const changed = await ask('/search/resource', ownerToken, {
      subject: { type: 'member', id: ownerMemberId },
      action: { name: 'messages.send' },
      resource: { type: 'inbox' },
      page: { limit: 2, token: first.body.page.next_token },
    });
    expect(changed.status).toBe(400);
  });

  it('Subject Search: the users that may read an inbox (the subject id, if given, is ignored)', async () => {
    const res = await ask('/search/subject', ownerToken, {
      subject: { type: 'user', id: 'ignored' },
      action: read,
      resource: doc(inbox.team!),
      context: { time: '2024-10-26T01:22-07:00' },
    });
    expect(res.status, res.text).toBe(200);
    const ids = res.body.results.map((r: any) => r.id).sort();
    // The owner (all), the manager (private access), the agent (through its team); not the admin (no
    // messages.view), the member (no reach), nor the custom role (scope assigned only).
    const ownerUser = (await t.call('GET', `/v1/workspaces/${ws}/me`, { token: ownerToken })).body.member.userId;
    expect(ids).toEqual([ownerUser, m.manager!.userId, m.agent!.userId].sort());
    expect(res.body.results.every((r: any) => r.type === 'user')).toBe(true);
  });

  it('Action Search: what the agent may do on its team inbox', async () => {
    const res = await ask('/search/action', m.agent!.token, { subject: user('agent'), resource: doc(inbox.team!) });
    expect(res.status).toBe(200);
    const names = res.body.results.map((r: any) => r.name);
    expect(names).toContain('messages.view');
    expect(names).toContain('messages.send');
    expect(names).not.toContain('billing.manage');
    expect(res.body.page.next_token).toBe('');
  });

  it('PDP metadata: GET /.well-known/authzen-configuration/{ws}, public, with the required fields and working endpoints', async () => {
    const res = await t.call('GET', `/.well-known/authzen-configuration/${ws}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.policy_decision_point).toBe(`${t.url}/v1/workspaces/${ws}`);
    for (const k of [
      'access_evaluation_endpoint',
      'access_evaluations_endpoint',
      'search_subject_endpoint',
      'search_resource_endpoint',
      'search_action_endpoint',
    ]) {
      expect(res.body[k]).toMatch(new RegExp(`^${res.body.policy_decision_point}/access/v1/`));
    }
    const viaMetadata = await t.call('POST', res.body.access_evaluation_endpoint.slice(t.url.length), {
      token: m.agent!.token,
      body: { subject: user('agent'), action: read, resource: doc(inbox.public!) },
    });
    expect(viaMetadata.body).toEqual({ decision: true });
    // The same answer for a workspace that does not exist (public metadata tells nothing about existence).
    const missing = await t.call('GET', '/.well-known/authzen-configuration/ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(missing.status).toBe(200);
  });
});

describe('batches, errors, who may ask', () => {
  it('deny_on_first_deny over [allow, deny, allow] returns exactly 2 items', async () => {
    const res = await ask('/evaluations', m.manager!.token, {
      subject: { type: 'member', id: m.manager!.memberId },
      resource: { type: 'workspace', id: ws },
      options: { evaluations_semantic: 'deny_on_first_deny' },
      evaluations: [
        { action: { name: 'analytics.view' } },
        { action: { name: 'billing.manage' } },
        { action: { name: 'teammates.invite' } },
      ],
    });
    expect(res.body.evaluations).toHaveLength(2);
    expect(res.body.evaluations[0]).toEqual({ decision: true });
    expect(res.body.evaluations[1]).toMatchObject({ decision: false, context: { permission: 'billing.manage' } });
  });

  it.each([
    ['no subject', { action: read, resource: { type: 'workspace', id: 'x' } }],
    [
      'an action that is a string',
      { subject: { type: 'member', id: 'x' }, action: 'read', resource: { type: 'workspace', id: 'x' } },
    ],
    ['a subject without id', { subject: { type: 'member' }, action: read, resource: { type: 'workspace', id: 'x' } }],
    [
      'ids that are numbers',
      { subject: { type: 'member', id: 7 }, action: read, resource: { type: 'workspace', id: 'x' } },
    ],
  ])('malformed evaluation (%s) → 400 with the contract body', async (_label, body) => {
    const res = await ask('/evaluation', m.agent!.token, body, { 'X-Request-ID': 'bad-1' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.headers.get('x-request-id')).toBe('bad-1');
  });

  it.each([
    [
      'evaluations not an array',
      { subject: { type: 'user', id: 'u' }, action: read, resource: doc('x'), evaluations: {} },
    ],
    [
      'an item missing its resource with no default',
      { subject: { type: 'user', id: 'u' }, action: read, evaluations: [{}] },
    ],
    [
      'an unknown semantic',
      {
        subject: { type: 'user', id: 'u' },
        action: read,
        resource: doc('x'),
        options: { evaluations_semantic: 'first' },
      },
    ],
    [
      '101 items',
      {
        subject: { type: 'user', id: 'u' },
        action: read,
        evaluations: Array.from({ length: 101 }, () => ({ resource: doc('x') })),
      },
    ],
  ])('malformed evaluations (%s) → 400', async (_label, body) => {
    const res = await ask('/evaluations', m.agent!.token, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('unknown fields are ignored (AuthZEN: receivers MUST ignore them); unknown types and actions are denies with an error', async () => {
    const res = await ask('/evaluation', m.agent!.token, {
      subject: user('agent'),
      action: read,
      resource: doc(inbox.public!),
      extension: { anything: 1 },
    });
    expect(res.body).toEqual({ decision: true });
    const type = await ask('/evaluation', m.agent!.token, {
      subject: user('agent'),
      action: read,
      resource: { type: 'book', id: '123' },
    });
    expect(type.body).toMatchObject({ decision: false, context: { error: { status: 400 } } });
    const action = await ask('/evaluation', m.agent!.token, {
      subject: user('agent'),
      action: { name: 'can_read' },
      resource: doc(inbox.public!),
    });
    expect(action.body).toMatchObject({ decision: false, context: { error: { status: 400 } } });
  });

  it('a member asks about itself; about others only with teammates.manage; an API key within its role', async () => {
    const aboutOther = {
      subject: { type: 'member', id: m.manager!.memberId },
      action: read,
      resource: doc(inbox.public!),
    };
    const refused = await ask('/evaluation', m.agent!.token, aboutOther);
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('teammates.manage');
    expect((await ask('/evaluation', m.admin!.token, aboutOther)).body).toEqual({ decision: true });
    // The key acts as an agent: itself yes, others no; the owner may ask about the key.
    const self = { subject: { type: 'api_key', id: apiKey.id }, action: read, resource: doc(inbox.public!) };
    expect((await ask('/evaluation', apiKey.key, self)).body).toEqual({ decision: true });
    expect((await ask('/evaluation', apiKey.key, aboutOther)).status).toBe(403);
    expect((await ask('/evaluation', ownerToken, { ...self, action: { name: 'billing.manage' } })).body.decision).toBe(
      false,
    );
    // In a batch, a question the caller may not ask is an item's error, not the batch's.
    const batch = await ask('/evaluations', m.agent!.token, {
      action: read,
      resource: doc(inbox.public!),
      evaluations: [{ subject: user('agent') }, { subject: { type: 'member', id: m.manager!.memberId } }],
    });
    expect(batch.body.evaluations[0]).toEqual({ decision: true });
    expect(batch.body.evaluations[1]).toMatchObject({ decision: false, context: { error: { status: 403 } } });
    // Subject search is about others.
    expect(
      (
        await ask('/search/subject', m.agent!.token, {
          subject: { type: 'member' },
          action: read,
          resource: doc(inbox.public!),
        })
      ).status,
    ).toBe(403);
  });

  it('managing members and roles: no escalation (exceeds), the Owner untouchable, built-in roles not editable', async () => {
    const as = (who: string, action: string, resource: unknown) =>
      ask('/evaluation', m[who]!.token, {
        subject: { type: 'member', id: m[who]!.memberId },
        action: { name: action },
        resource,
      });
    // An Admin manages Agents (teammates.manage grants any work permission); never the Owner.
    expect((await as('admin', 'teammates.manage', { type: 'member', id: m.agent!.memberId })).body).toEqual({
      decision: true,
    });
    expect((await as('admin', 'teammates.manage', { type: 'member', id: ownerMemberId })).body.decision).toBe(false);
    // The custom role holds teammates.manage but not what an Admin holds: the excess is named.
    const exceeds = await as('custom', 'teammates.manage', { type: 'member', id: m.admin!.memberId });
    expect(exceeds.body).toMatchObject({
      decision: false,
      context: { permission: expect.any(String), exceeds: expect.any(Array) },
    });
    expect(exceeds.body.context.exceeds.map((e: any) => e.permission)).toContain('billing.manage');
    expect((await as('admin', 'roles.manage', { type: 'role', id: 'agent' })).body.decision).toBe(false);
    expect((await as('admin', 'roles.manage', { type: 'role', id: customRoleId })).body.decision).toBe(true);
    expect((await as('admin', 'teammates.invite', { type: 'role', id: 'member' })).body.decision).toBe(true);
    expect((await as('admin', 'teammates.invite', { type: 'role', id: 'owner' })).body.decision).toBe(false);
    expect((await as('admin', 'teammates.manage', { type: 'member', id: m.admin!.memberId })).body.decision).toBe(
      false,
    );
  });
});

describe('company admins who are not members', () => {
  it('the user subject search names exactly those the access review lists: who holds the grant, listed or not', async () => {
    const w = await createWorkspace(t, 'unlimited', 'AuthZEN outside admins');
    const org = await t.call('POST', '/v1/organizations', { token: w.token, body: { name: 'Group' } });
    expect(org.status, org.text).toBe(201);
    const orgId = org.body.id as string;
    const attach = await t.call('PUT', `/v1/organizations/${orgId}/workspaces/${w.ws}`, { token: w.token });
    expect(attach.status, attach.text).toBe(200);
    const listed = uniqueUser('listed');
    const holder = uniqueUser('holder');
    const grantless = uniqueUser('grantless');
    for (const userId of [listed, holder, grantless]) {
      const added = await t.call('POST', `/v1/organizations/${orgId}/admins`, { token: w.token, body: { userId } });
      expect(added.status, added.text).toBe(201);
    }
    // What a repair exists for: `holder` is no longer listed as an admin but its grant (and holder item) stayed;
    // `grantless` is listed but has no grant of this workspace.
    await db.send(new DeleteCommand({ TableName: tableName, Key: orgAdminKey(orgId, holder) }));
    await db.send(new DeleteCommand({ TableName: tableName, Key: companyAdminGrantKey(grantless, w.ws) }));
    const me = async (userId: string) =>
      (await t.call('GET', `/v1/workspaces/${w.ws}/me`, { token: await t.token(userId) })).status;
    expect([await me(listed), await me(holder), await me(grantless)]).toEqual([200, 200, 403]);

    const reviewed: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await t.call('GET', `/v1/workspaces/${w.ws}/access-review?limit=100${q}`, { token: w.token });
      expect(page.status, page.text).toBe(200);
      reviewed.push(...page.body.items.filter((i: any) => i.type === 'companyAdmin').map((i: any) => i.userId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(reviewed.sort()).toEqual([listed, holder].sort());

    for (const limit of [1, 100]) {
      const found: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const res = await t.call('POST', `/v1/workspaces/${w.ws}/access/v1/search/subject`, {
          token: w.token,
          body: {
            subject: { type: 'user' },
            action: { name: 'billing.manage' },
            resource: { type: 'workspace', id: w.ws },
            page: { limit, ...(token ? { token } : {}) },
          },
        });
        expect(res.status, res.text).toBe(200);
        found.push(...res.body.results.map((r: { id: string }) => r.id));
        token = res.body.page.next_token || undefined;
        pages++;
      } while (token && pages < 10);
      // The Owner (a member) and, past the members, the outside admins the review lists, each once.
      expect(found.sort(), `limit ${limit}`).toEqual([w.owner, ...reviewed].sort());
    }
  });
});

describe('OpenAPI', () => {
  it('GET /v1/openapi.json documents the AuthZEN, simulation and access-review routes', async () => {
    const doc = await t.call('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths;
    for (const [path, method] of [
      ['/v1/workspaces/{ws}/access/v1/evaluation', 'post'],
      ['/v1/workspaces/{ws}/access/v1/evaluations', 'post'],
      ['/v1/workspaces/{ws}/access/v1/search/subject', 'post'],
      ['/v1/workspaces/{ws}/access/v1/search/resource', 'post'],
      ['/v1/workspaces/{ws}/access/v1/search/action', 'post'],
      ['/.well-known/authzen-configuration/{ws}', 'get'],
      ['/v1/workspaces/{ws}/roles/{roleId}/simulate', 'post'],
      ['/v1/workspaces/{ws}/members/{memberId}/simulate-role', 'post'],
      ['/v1/workspaces/{ws}/access-review', 'get'],
    ] as const) {
      const op = paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.responses['200'], `${method} ${path}`).toBeDefined();
    }
    expect(paths['/v1/workspaces/{ws}/access/v1/evaluations'].post.requestBody).toBeDefined();
  });
});

// ---- properties: the evaluation is what the real route answers, and the searches agree with it

type Probe = { action: string; resourceType: string; call: (token: string, resourceId: string) => Promise<number> };

/** Routes of shared/routes.ts whose permission is the action, called so that they change nothing. */
const PROBES: Probe[] = [
  {
    action: 'workspace.settings.manage',
    resourceType: 'workspace',
    call: async (token, id) =>
      (await t.call('PATCH', `/v1/workspaces/${id}`, { token, body: { name: 'AuthZEN' } })).status,
  },
  {
    action: 'logs.export',
    resourceType: 'workspace',
    call: async (token, id) => (await t.call('GET', `/v1/workspaces/${id}/audit-log`, { token })).status,
  },
  {
    action: 'teammates.invite',
    resourceType: 'workspace',
    call: async (token, id) => (await t.call('GET', `/v1/workspaces/${id}/invitations`, { token })).status,
  },
  {
    action: 'apiKeys.manage',
    resourceType: 'workspace',
    call: async (token, id) => (await t.call('GET', `/v1/workspaces/${id}/api-keys`, { token })).status,
  },
  {
    action: 'teammates.manage',
    resourceType: 'member',
    // Setting the role the member already has: every check runs, nothing is written.
    call: async (token, id) => {
      const current = await t.call('GET', `/v1/workspaces/${ws}/members/${id}`, { token: ownerToken });
      const roleId = current.status === 200 ? current.body.roleId : 'member';
      return (await t.call('PATCH', `/v1/workspaces/${ws}/members/${id}`, { token, body: { roleId } })).status;
    },
  },
  {
    action: 'roles.manage',
    resourceType: 'role',
    call: async (token, id) =>
      (await t.call('PATCH', `/v1/workspaces/${ws}/roles/${id}`, { token, body: { description: 'Kept as it is' } }))
        .status,
  },
];

describe('properties', () => {
  it('for random (member, action, resource) the evaluation equals what the real route answers', async () => {
    const who = ['admin', 'manager', 'agent', 'member', 'custom'];
    const resourcesOf = (type: string) =>
      type === 'workspace'
        ? [ws, 'ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ']
        : type === 'member'
          ? [ownerMemberId, ...who.map((w) => m[w]!.memberId), 'mem_missing']
          : [customRoleId, 'agent', 'admin', 'role_missing'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...who), fc.constantFrom(...PROBES), fc.nat(20), async (w, probe, pick) => {
        const ids = resourcesOf(probe.resourceType);
        const resourceId = ids[pick % ids.length]!;
        const member = m[w]!;
        const evaluation = await ask('/evaluation', member.token, {
          subject: { type: 'member', id: member.memberId },
          action: { name: probe.action },
          resource: { type: probe.resourceType, id: resourceId },
        });
        expect(evaluation.status).toBe(200);
        const status = await probe.call(member.token, resourceId);
        expect([200, 403, 404, 409], `${w} ${probe.action} ${resourceId}`).toContain(status);
        expect(evaluation.body.decision, `${w} ${probe.action} ${resourceId}: route ${status}`).toBe(status === 200);
      }),
      { numRuns: 60 },
    );
  }, 180_000);

  it('inbox decisions equal what GET /inboxes shows and messages.view grants', async () => {
    for (const w of ['admin', 'manager', 'agent', 'member', 'custom']) {
      const member = m[w]!;
      const listed = await t.call('GET', `/v1/workspaces/${ws}/inboxes?limit=100`, { token: member.token });
      const visible = new Set(listed.body.items.map((i: any) => i.id));
      const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: member.token });
      for (const id of Object.values(inbox)) {
        const res = await ask('/evaluation', member.token, {
          subject: { type: 'member', id: member.memberId },
          action: read,
          resource: doc(id),
        });
        if (!visible.has(id)) expect(res.body.decision, `${w} ${id}`).toBe(false);
        if (visible.has(id) && me.body.permissions['messages.view'] === 'all')
          expect(res.body.decision, `${w} ${id}`).toBe(true);
      }
    }
  });

  it('search results each pass a single evaluation, and nothing that passes is missing', async () => {
    const actions = [
      'messages.view',
      'messages.send',
      'inboxes.private.access',
      'teammates.manage',
      'roles.manage',
      'billing.manage',
    ];
    const resources = [
      ...Object.values(inbox).map((id) => doc(id)),
      { type: 'workspace', id: ws },
      { type: 'role', id: customRoleId },
      { type: 'member', id: m.agent!.memberId },
    ];
    const all = async (path: string, body: any) => {
      const out: any[] = [];
      let token: string | undefined;
      do {
        const res = await ask(path, ownerToken, { ...body, page: { limit: 2, ...(token ? { token } : {}) } });
        expect(res.status, res.text).toBe(200);
        out.push(...res.body.results);
        token = res.body.page.next_token || undefined;
      } while (token);
      return out;
    };
    const subjects = ['owner', 'admin', 'manager', 'agent', 'member', 'custom'];
    const memberIdOf = (s: string) => (s === 'owner' ? ownerMemberId : m[s]!.memberId);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...actions),
        fc.constantFrom(...resources),
        fc.constantFrom('inbox', 'role', 'member'),
        async (action, resource, searchedType) => {
          const found = await all('/search/subject', {
            subject: { type: 'member' },
            action: { name: action },
            resource,
          });
          const batch = await ask('/evaluations', ownerToken, {
            action: { name: action },
            resource,
            evaluations: subjects.map((s) => ({ subject: { type: 'member', id: memberIdOf(s) } })),
          });
          const passing = subjects
            .filter((_, i) => batch.body.evaluations[i].decision)
            .map(memberIdOf)
            .sort();
          expect(found.map((r) => r.id).sort()).toEqual(passing);
          // Resource search for one subject, checked item by item against the single evaluation.
          const subject = { type: 'member', id: memberIdOf('agent') };
          const resources = await all('/search/resource', {
            subject,
            action: { name: action },
            resource: { type: searchedType },
          });
          for (const r of resources) {
            const one = await ask('/evaluation', ownerToken, { subject, action: { name: action }, resource: r });
            expect(one.body.decision, JSON.stringify(r)).toBe(true);
          }
          const candidates =
            searchedType === 'inbox'
              ? Object.values(inbox)
              : searchedType === 'member'
                ? subjects.map(memberIdOf)
                : [customRoleId, 'owner', 'admin', 'manager', 'agent', 'member'];
          const check = await ask('/evaluations', ownerToken, {
            subject,
            action: { name: action },
            evaluations: candidates.map((id) => ({ resource: { type: searchedType, id } })),
          });
          const expected = candidates.filter((_, i) => check.body.evaluations[i].decision).sort();
          const got = new Set(resources.map((r) => r.id));
          for (const id of expected) expect(got.has(id), `${action} ${searchedType} ${id}`).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
    // Fifteen searches over HTTP each with its checks: minutes under load on two cores, not seconds.
  }, 180_000);
});
