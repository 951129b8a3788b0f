// Sweeps driven by the route table, so a new route is covered the day it is added:
// - cross-tenant: nobody outside a workspace gets anything but 403/404 from any of its routes, and a
//   member of B using A's resource ids in B's paths gets 404;
// - bad input: every route answers malformed input with a 4xx in the contract's body, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
let a: Awaited<ReturnType<typeof createWorkspace>>;
let b: Awaited<ReturnType<typeof createWorkspace>>;
const ids: Record<string, string> = {};
let bConv: { inboxId: string; conversationId: string; messageId: string; scheduledMessageId: string };

beforeAll(async () => {
  t = await startTestApi();
  a = await createWorkspace(t, 'unlimited', 'Tenant A');
  b = await createWorkspace(t, 'unlimited', 'Tenant B');
  const role = await t.call('POST', `/v1/workspaces/${a.ws}/roles`, { token: a.token, body: { name: 'A role' } });
  const member = await addMember(t, a.ws, 'agent');
  const inv = await t.call('POST', `/v1/workspaces/${a.ws}/invitations`, {
    token: a.token,
    body: { email: `${uniqueUser('sweep')}@example.test`, roleId: 'member' },
  });
  ids.roleId = role.body.id;
  ids.memberId = member.memberId;
  ids.invitationId = inv.body.id;
  // Conversations: an inbox, a conversation with a message and a scheduled message in A; the same in B, so
  // B's own routes can be handed A's ids in their bodies.
  const conv = async (tenant: typeof a, assigneeId?: string) => {
    const inbox = await t.call('POST', `/v1/workspaces/${tenant.ws}/inboxes`, {
      token: tenant.token,
      body: { name: 'Sweep inbox', visibility: 'public' },
    });
    const c = await t.call('POST', `/v1/workspaces/${tenant.ws}/inboxes/${inbox.body.id}/conversations`, {
      token: tenant.token,
      body: { subject: 'Sweep' },
    });
    const path = `/v1/workspaces/${tenant.ws}/conversations/${c.body.conversation.id}`;
    const m = await t.call('POST', `${path}/messages`, { token: tenant.token, body: { body: 'Hello' } });
    const sch = await t.call('POST', `${path}/scheduled-messages`, {
      token: tenant.token,
      body: { body: 'Later', sendAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    if (assigneeId) await t.call('POST', `${path}/assign`, { token: tenant.token, body: { memberId: assigneeId } });
    return {
      inboxId: inbox.body.id as string,
      conversationId: c.body.conversation.id as string,
      messageId: m.body.message.id as string,
      scheduledMessageId: sch.body.scheduledMessage.id as string,
    };
  };
  Object.assign(ids, await conv(a, member.memberId));
  bConv = await conv(b);
  // Contacts and tags: A's contact (it talked to A's inbox) and A's shared tag, on A's conversation.
  const contact = await t.call('POST', `/v1/workspaces/${a.ws}/contacts`, {
    token: a.token,
    body: { name: 'A contact' },
  });
  const tag = await t.call('POST', `/v1/workspaces/${a.ws}/tags`, {
    token: a.token,
    body: { name: 'A tag', kind: 'shared' },
  });
  ids.contactId = contact.body.id;
  ids.tagId = tag.body.id;
  await t.call('PUT', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}/tags`, {
    token: a.token,
    body: { tagIds: [ids.tagId] },
  });
});
afterAll(async () => {
  await t.stop();
});

// SCIM routes answer a SCIM 401 to anything but a scim_ token of the workspace (scim.test.ts).
const wsRoutes = routes.filter(
  (r) => r.path.includes('{ws}') && r.access.kind !== 'public' && r.access.kind !== 'scim',
);
/** Public routes naming a workspace (AuthZEN PDP metadata): the same answer whether or not it exists. */
const publicWsRoutes = routes.filter((r) => r.path.includes('{ws}') && r.access.kind === 'public');

function pathFor(template: string, ws: string): string {
  return template.replace('{ws}', ws).replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'x');
}

const sampleBody = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

describe('cross-tenant sweep', () => {
  it.each(wsRoutes.map((r) => [r.id, r] as const))(
    '%s: a stranger gets 403/404 and the same answer as for a missing workspace',
    async (_id, route) => {
      const stranger = await t.token(uniqueUser('stranger'));
      const real = await t.call(route.method, pathFor(route.path, a.ws), {
        token: stranger,
        body: sampleBody(route.method),
      });
      const fake = await t.call(route.method, pathFor(route.path, 'ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ'), {
        token: stranger,
        body: sampleBody(route.method),
      });
      expect([403, 404]).toContain(real.status);
      expect(real.status).toBe(fake.status);
      expect(real.text).toBe(fake.text);
    },
  );

  it.each(
    wsRoutes
      .filter((r) =>
        /\{(roleId|memberId|invitationId|inboxId|conversationId|messageId|scheduledMessageId|contactId|tagId)\}/.test(
          r.path,
        ),
      )
      .map((r) => [r.id, r] as const),
  )("%s: B's owner using A's ids inside B gets 404", async (_id, route) => {
    const res = await t.call(route.method, pathFor(route.path, b.ws), {
      token: b.token,
      body: (
        {
          updateRole: { name: 'Taken over' },
          updateMember: { roleId: 'member' },
          setMemberInboxes: { inboxIds: [] },
          updateInbox: { name: 'Taken over' },
          createConversation: {},
          assignConversation: { memberId: null },
          moveConversation: { inboxId: bConv.inboxId },
          sendMessage: { body: 'Taken over' },
          sendComment: { body: 'Taken over' },
          createScheduledMessage: { body: 'Taken over', sendAt: new Date(Date.now() + 86_400_000).toISOString() },
          setConversationTags: { tagIds: [] },
          updateContact: { name: 'Taken over' },
          updateTag: { name: 'Taken over' },
          simulateRoleEdit: { description: 'Taken over' },
          simulateMemberRole: { roleId: 'member' },
          createMemberGrant: {
            permissions: { 'logs.export': true },
            until: new Date(Date.now() + 3_600_000).toISOString(),
            reason: 'Taken over',
          },
        } as Record<string, unknown>
      )[route.id],
    });
    expect(res.status, res.text).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it.each(publicWsRoutes.map((r) => [r.id, r] as const))(
    '%s: public, and tells nothing about whether the workspace exists',
    async (_id, route) => {
      const missing = 'ws_01ZZZZZZZZZZZZZZZZZZZZZZZZ';
      const real = await t.call(route.method, pathFor(route.path, a.ws));
      const fake = await t.call(route.method, pathFor(route.path, missing));
      expect(real.status).toBe(fake.status);
      expect(real.text.replaceAll(a.ws, missing)).toBe(fake.text);
    },
  );

  it("B's owner handing A's ids to B's own conversation routes (in bodies and paths) gets 404", async () => {
    const bPath = `/v1/workspaces/${b.ws}/conversations/${bConv.conversationId}`;
    const cases: [string, string, unknown][] = [
      ['POST', `${bPath}/move`, { inboxId: ids.inboxId }],
      ['POST', `${bPath}/assign`, { memberId: ids.memberId }],
      ['DELETE', `${bPath}/messages/${ids.messageId}`, undefined],
      ['DELETE', `/v1/workspaces/${b.ws}/scheduled-messages/${ids.scheduledMessageId}`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.call(method, path, { token: b.token, body });
      expect(res.status, `${method} ${path} ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const still = await t.call('GET', bPath, { token: b.token });
    expect(still.body).toMatchObject({ inboxId: bConv.inboxId, assigneeId: null });
  });

  it("B's owner handing A's contact and tag ids to B's own routes (in bodies) gets 404, nothing written", async () => {
    const bWs = `/v1/workspaces/${b.ws}`;
    const cases: [string, string, unknown][] = [
      ['PUT', `${bWs}/opt-outs`, { contactIds: [ids.contactId] }],
      ['PUT', `${bWs}/conversations/${bConv.conversationId}/tags`, { tagIds: [ids.tagId] }],
      ['POST', `${bWs}/inboxes/${bConv.inboxId}/conversations`, { contactId: ids.contactId }],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.call(method, path, { token: b.token, body });
      expect(res.status, `${method} ${path} ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await t.call('GET', `${bWs}/opt-outs`, { token: b.token })).body.contactIds).toEqual([]);
    const bTags = await t.call('GET', `${bWs}/conversations/${bConv.conversationId}/tags`, { token: b.token });
    expect(bTags.body.tags).toEqual([]);
    const bConversations = await t.call('GET', `${bWs}/inboxes/${bConv.inboxId}/conversations`, { token: b.token });
    expect(bConversations.body.items.map((c: any) => c.id)).toEqual([bConv.conversationId]);
  });

  it("leaves A's data as it was", async () => {
    const contact = await t.call('GET', `/v1/workspaces/${a.ws}/contacts/${ids.contactId}`, { token: a.token });
    expect(contact.body).toMatchObject({ name: 'A contact', blocked: false });
    const tags = await t.call('GET', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}/tags`, {
      token: a.token,
    });
    expect(tags.body.tags).toMatchObject([{ id: ids.tagId, name: 'A tag', kind: 'shared' }]);
    const role = await t.call('GET', `/v1/workspaces/${a.ws}/roles/${ids.roleId}`, { token: a.token });
    expect(role.body.name).toBe('A role');
    const member = await t.call('GET', `/v1/workspaces/${a.ws}/members/${ids.memberId}`, { token: a.token });
    expect(member.body.roleId).toBe('agent');
    const ws = await t.call('GET', `/v1/workspaces/${a.ws}`, { token: a.token });
    expect(ws.body.name).toBe('Tenant A');
    const conv = await t.call('GET', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}`, { token: a.token });
    expect(conv.body).toMatchObject({ inboxId: ids.inboxId, assigneeId: ids.memberId, status: 'open' });
    const thread = await t.call('GET', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}/messages`, {
      token: a.token,
    });
    expect(thread.body.items.map((m: any) => m.id)).toEqual([ids.messageId]);
    const scheduled = await t.call(
      'GET',
      `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}/scheduled-messages`,
      { token: a.token },
    );
    expect(scheduled.body.items.map((m: any) => m.id)).toEqual([ids.scheduledMessageId]);
  });
});

const BAD_BODIES: [string, string][] = [
  ['not JSON', '{"oops'],
  ['a JSON string', '"hello"'],
  ['a JSON number', '42'],
  ['an array', '[{"name":"x"}]'],
  [
    'wrong types everywhere',
    JSON.stringify({ name: 1, email: false, roleId: {}, plan: [], memberId: 3, token: null, action: 7 }),
  ],
  ['unknown fields', JSON.stringify({ zzz: 1, __proto__: { admin: true }, constructor: 'x' })],
  [
    'injection strings',
    JSON.stringify({
      name: "'; DROP TABLE x; --",
      roleId: '../../etc/passwd',
      email: '<script>@x',
      action: '\u0024{7*7}',
    }),
  ],
  ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
];

// SCIM routes speak SCIM (their own sweep below), the rest this API's contract.
const contractRoutes = routes.filter((r) => r.access.kind !== 'scim');

describe('bad input sweep', () => {
  const writeRoutes = contractRoutes.filter((r) => r.method !== 'GET' && r.method !== 'DELETE');
  for (const route of writeRoutes) {
    it.each(BAD_BODIES)(`${route.id}: %s → 4xx contract body`, async (_label, raw) => {
      const res = await t.call(route.method, pathFor(route.path, a.ws), { token: a.token, raw });
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
      expect(res.body.error.code).toMatch(/^(invalid_request|forbidden|not_found|conflict|plan_limit)$/);
      expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    });
  }

  it.each(contractRoutes.filter((r) => r.method !== 'GET').map((r) => [r.id, r] as const))(
    '%s: a 200 kB body → 413',
    async (_id, route) => {
      const res = await t.call(route.method, pathFor(route.path, a.ws), {
        token: a.token,
        raw: JSON.stringify({ pad: 'x'.repeat(200_000) }),
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    },
  );

  it.each(routes.filter((r) => r.method === 'GET').map((r) => [r.id, r] as const))(
    '%s: odd query strings never 5xx',
    async (_id, route) => {
      const res = await t.call(
        'GET',
        `${pathFor(route.path, a.ws)}?limit=-1&cursor=%00&roleId=${'x'.repeat(500)}&format=exe`,
        {
          token: a.token,
        },
      );
      expect(res.status).toBeLessThan(500);
    },
  );

  describe('SCIM routes, with a valid SCIM token', () => {
    let scimToken: string;
    beforeAll(async () => {
      const made = await t.call('POST', `/v1/workspaces/${a.ws}/scim/tokens`, {
        token: a.token,
        body: { name: 'sweep', maxRoleId: 'member' },
      });
      scimToken = made.body.token;
    });
    const scimWrites = routes.filter((r) => r.access.kind === 'scim' && r.method !== 'GET' && r.method !== 'DELETE');
    for (const route of scimWrites) {
      it.each(BAD_BODIES)(`${route.id}: %s → 4xx in SCIM's error schema`, async (_label, raw) => {
        const res = await t.call(route.method, pathFor(route.path, a.ws), {
          token: scimToken,
          raw,
          headers: { 'content-type': 'application/scim+json' },
        });
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
        expect(res.status, res.text).toBeLessThan(500);
        expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
        expect(res.body.status).toBe(String(res.status));
        expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
      });
    }
  });

  it('writes nothing to a conversation after the whole sweep', async () => {
    const conv = await t.call('GET', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}`, { token: a.token });
    expect(conv.body).toMatchObject({ inboxId: ids.inboxId, assigneeId: ids.memberId, status: 'open' });
    const thread = await t.call('GET', `/v1/workspaces/${a.ws}/conversations/${ids.conversationId}/messages`, {
      token: a.token,
    });
    expect(thread.body.items.map((m: any) => m.id)).toEqual([ids.messageId]);
  });

  it('keeps the workspace unchanged after the whole sweep', async () => {
    const ws = await t.call('GET', `/v1/workspaces/${a.ws}`, { token: a.token });
    expect(ws.body).toMatchObject({ name: 'Tenant A', plan: 'unlimited' });
    const roles = await t.call('GET', `/v1/workspaces/${a.ws}/roles`, { token: a.token });
    expect(roles.body.items.filter((r: any) => r.kind === 'custom').map((r: any) => r.name)).toEqual(['A role']);
  });
});
