// A generated sweep: every route of the contacts, lists, tags and analytics areas × every built-in role ×
// both `agentsCanManageAttributes` settings answers what the §4 matrix implies. The expectation is derived
// from shared/permissions/roles.ts (the role's permissions in that workspace) and the route table (the
// permission it needs), plus what the service checks for the request the sweep sends; nothing per role is
// written by hand, so a new route of these areas cannot escape the matrix.
// Also: every catalog permission that guards no route here (campaigns, chatbot, FAQs, rules, integrations…)
// is answered by POST /authz/check, for each role, with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { PERMISSION_KEYS, type Permission } from '../../shared/permissions/catalog';
import { BUILTIN_ROLE_IDS, type BuiltinRoleId, builtinPermissions } from '../../shared/permissions/roles';
import { type RouteDef, routes } from '../../shared/routes';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const AREAS = ['contacts', 'lists', 'tags', 'analytics'];
const swept = routes.filter((r) => AREAS.includes(r.fn));

/** What the service requires beyond the route, for the request this sweep sends (a shared tag). */
const SERVICE_PERMISSION: Record<string, Permission> = {
  createTag: 'tags.shared.manage',
  updateTag: 'tags.shared.manage',
  deleteTag: 'tags.shared.manage',
  getConversationTags: 'messages.view',
};

const required = (r: RouteDef): Permission | undefined =>
  (r.access.kind === 'member' ? r.access.permission : undefined) ?? SERVICE_PERMISSION[r.id];

let n = 0;
function bodyFor(id: string): unknown {
  n++;
  switch (id) {
    case 'createContact':
    case 'updateContact':
      return { name: `Contact ${n}` };
    case 'putAttributes':
      return { attributes: [{ key: 'tier', label: 'Tier', type: 'text' }] };
    case 'putOptOuts':
      return { contactIds: [] };
    case 'putRestrictedWords':
      return { words: ['scam'] };
    case 'createTag':
      return { name: `Tag ${n}`, kind: 'shared' };
    case 'updateTag':
      return { name: `Renamed ${n}` };
    case 'setConversationTags':
      return { tagIds: [] };
    default:
      return undefined;
  }
}

describe.each([false, true])('agentsCanManageAttributes: %s', (setting) => {
  let ws: string;
  let owner: string;
  let inboxId: string;
  const tokens = new Map<BuiltinRoleId, string>();

  beforeAll(async () => {
    const w = await createWorkspace(t, 'pro');
    ws = w.ws;
    owner = w.token;
    if (setting) {
      const r = await t.call('PATCH', `/v1/workspaces/${ws}`, {
        token: owner,
        body: { settings: { agentsCanManageAttributes: true } },
      });
      expect(r.status).toBe(200);
    }
    tokens.set('owner', owner);
    for (const role of BUILTIN_ROLE_IDS.filter((x) => x !== 'owner'))
      tokens.set(role, (await addMember(t, ws, role)).token);
    inboxId = (
      await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
        token: owner,
        body: { name: 'Public', visibility: 'public', kind: 'shared' },
      })
    ).body.id;
  });

  /** Fresh ids for a path: each call works on its own contact, tag and conversation. */
  async function pathOf(route: RouteDef): Promise<string> {
    const ids: Record<string, string> = { ws };
    if (route.path.includes('{contactId}')) {
      ids.contactId = (
        await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token: owner, body: { name: 'C' } })
      ).body.id;
    }
    if (route.path.includes('{tagId}')) {
      ids.tagId = (
        await t.call('POST', `/v1/workspaces/${ws}/tags`, { token: owner, body: { name: `T${++n}`, kind: 'shared' } })
      ).body.id;
    }
    if (route.path.includes('{conversationId}')) {
      const c = await t.call('POST', `/v1/workspaces/${ws}/inboxes/${inboxId}/conversations`, {
        token: owner,
        body: {},
      });
      ids.conversationId = c.body.conversation.id;
    }
    return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'x');
  }

  const cases = swept.flatMap((r) => BUILTIN_ROLE_IDS.map((role) => [r.id, role, r] as const));
  it.each(cases)('%s as %s', async (_id, role, route) => {
    const permission = required(route);
    const held = builtinPermissions(role, { agentsCanManageAttributes: setting });
    const allowed = permission === undefined || held[permission] !== undefined;
    const res = await t.call(route.method, await pathOf(route), { token: tokens.get(role), body: bodyFor(route.id) });
    if (allowed) {
      expect(res.status, res.text).toBe(contract[route.id as keyof typeof contract].status);
    } else {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', permission });
    }
  });

  it('the sweep covers the Agent attribute setting both ways', () => {
    expect(builtinPermissions('agent', { agentsCanManageAttributes: setting })['attributes.manage'] !== undefined).toBe(
      setting,
    );
  });
});

describe('permissions of services outside this repository', () => {
  const guarded = new Set(
    routes.flatMap((r) => (r.access.kind === 'member' && r.access.permission ? [r.access.permission] : [])),
  );
  const outside = PERMISSION_KEYS.filter((p) => !guarded.has(p));

  it('includes the content and workspace permissions other services enforce', () => {
    for (const p of ['campaigns.manage', 'chatbot.manage', 'faqs.manage', 'rules.manage', 'integrations.manage']) {
      expect(outside).toContain(p);
    }
  });

  it('POST /authz/check answers each of them for each built-in role, with a reason', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const tokens: [BuiltinRoleId, string][] = [['owner', token]];
    for (const role of BUILTIN_ROLE_IDS.filter((x) => x !== 'owner'))
      tokens.push([role, (await addMember(t, ws, role)).token]);
    for (const [role, tk] of tokens) {
      const held = builtinPermissions(role, { agentsCanManageAttributes: false });
      for (const action of outside) {
        const res = await t.call('POST', `/v1/workspaces/${ws}/authz/check`, { token: tk, body: { action } });
        expect(res.status).toBe(200);
        expect(res.body.allowed, `${role} ${action}`).toBe(held[action] !== undefined);
        expect(res.body.reason).toContain(action);
        if (!res.body.allowed) expect(res.body).toMatchObject({ code: 'forbidden', permission: action });
      }
    }
  });

  it('checks a contact resource: one the caller sees exists, another workspace’s is 404', async () => {
    const a = await createWorkspace(t, 'pro');
    const b = await createWorkspace(t, 'pro');
    const mine = (await t.call('POST', `/v1/workspaces/${a.ws}/contacts`, { token: a.token, body: { name: 'A' } }))
      .body;
    const theirs = (await t.call('POST', `/v1/workspaces/${b.ws}/contacts`, { token: b.token, body: { name: 'B' } }))
      .body;
    const ok = await t.call('POST', `/v1/workspaces/${a.ws}/authz/check`, {
      token: a.token,
      body: { action: 'contacts.block', resource: { type: 'contact', id: mine.id } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.allowed).toBe(true);
    const other = await t.call('POST', `/v1/workspaces/${a.ws}/authz/check`, {
      token: a.token,
      body: { action: 'contacts.block', resource: { type: 'contact', id: theirs.id } },
    });
    expect(other.status).toBe(404);
  });
});
