// A generated sweep: every route of the conversations, contacts, lists, tags and analytics areas × every
// built-in role × both `agentsCanManageAttributes` settings answers what the §4 matrix implies. The expectation
// is derived from shared/permissions/roles.ts (the role's permissions in that workspace) and the route table
// (the permission it needs: `permission` for the authorizer, `onResource` for the service), plus what the
// service checks for the request the sweep sends; nothing per role is written by hand, so a new route of these
// areas cannot escape the matrix.
// Conversation routes act on an unassigned conversation of a PUBLIC shared inbox the caller is not assigned
// to: scope `all` is the one that reaches it (PRODUCT §3), and the inbox is visible to a role that can work in
// inboxes or configure public ones (§7), else 404. So the Admin gets 403 on message view/send, only the Owner
// deletes a single message, the Member cannot delete a conversation: all of it read off roles.ts.
// Also: every catalog permission that guards no route here (campaigns, chatbot, FAQs, rules, integrations…)
// is answered by POST /authz/check, for each role, with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import {
  PERMISSION_BY_KEY,
  PERMISSION_KEYS,
  type Permission,
  type PermissionSet,
} from '../../shared/permissions/catalog';
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

const AREAS = ['conversations', 'contacts', 'lists', 'tags', 'analytics'];
const swept = routes.filter((r) => AREAS.includes(r.fn));

/** What the service requires beyond the route, for the request this sweep sends (a shared tag). */
const SERVICE_PERMISSION: Record<string, Permission> = {
  createTag: 'tags.shared.manage',
  updateTag: 'tags.shared.manage',
  deleteTag: 'tags.shared.manage',
  getConversationTags: 'messages.view',
};

const required = (r: RouteDef): Permission | undefined =>
  (r.access.kind === 'member' ? (r.access.permission ?? r.access.onResource) : undefined) ?? SERVICE_PERMISSION[r.id];

/** A route whose permission the service decides on a conversation or inbox (scope and visibility). */
const onResource = (r: RouteDef) => r.access.kind === 'member' && r.access.onResource !== undefined;

/** The sweep's public shared inbox is visible to a role that can work in inboxes or configure public ones (§7). */
const seesPublicInbox = (held: PermissionSet) =>
  held['messages.view'] !== undefined || held['inboxes.public.configure'] !== undefined;

/**
 * Whether `held` covers `permission` on what the sweep acts on: an unscoped permission is held or not; a scoped
 * one must reach an unassigned conversation in an inbox the caller is not assigned to, which only `all` does.
 */
const covers = (held: PermissionSet, permission: Permission) =>
  PERMISSION_BY_KEY.get(permission)?.scoped ? held[permission] === 'all' : held[permission] !== undefined;

/** The query string a route needs (its only filter is required). */
const QUERY: Record<string, string> = { listAssignedConversations: '?assignee=me' };

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
    case 'createConversation':
      return { subject: `Sweep ${n}` };
    case 'sendMessage':
    case 'sendComment':
      return { body: `Hello ${n}` };
    case 'createScheduledMessage':
      return { body: `Later ${n}`, sendAt: new Date(Date.now() + 3600_000).toISOString() };
    default:
      return undefined;
  }
}

describe.each([false, true])('agentsCanManageAttributes: %s', (setting) => {
  let ws: string;
  let owner: string;
  let inboxId: string;
  let otherInboxId: string;
  let ownerMemberId: string;
  const tokens = new Map<BuiltinRoleId, string>();

  beforeAll(async () => {
    const w = await createWorkspace(t, 'pro');
    ws = w.ws;
    owner = w.token;
    ownerMemberId = w.ownerMemberId;
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
    otherInboxId = (
      await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
        token: owner,
        body: { name: 'Public too', visibility: 'public', kind: 'shared' },
      })
    ).body.id;
  });

  /** The body a route gets; routes naming ids of this workspace get them here. */
  function requestBody(route: RouteDef): unknown {
    if (route.id === 'assignConversation') return { memberId: ownerMemberId };
    if (route.id === 'moveConversation') return { inboxId: otherInboxId };
    return bodyFor(route.id);
  }

  /** Fresh ids for a path: each call works on its own contact, tag and conversation. */
  async function pathOf(route: RouteDef): Promise<string> {
    const ids: Record<string, string> = { ws, inboxId };
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
    const conv = `/v1/workspaces/${ws}/conversations/${ids.conversationId}`;
    if (route.path.includes('{messageId}')) {
      const m = await t.call('POST', `${conv}/messages`, { token: owner, body: { body: 'To delete' } });
      ids.messageId = m.body.message.id;
    }
    if (route.path.includes('{scheduledMessageId}')) {
      const c = await t.call('POST', `/v1/workspaces/${ws}/inboxes/${inboxId}/conversations`, {
        token: owner,
        body: {},
      });
      const s = await t.call(
        'POST',
        `/v1/workspaces/${ws}/conversations/${c.body.conversation.id}/scheduled-messages`,
        {
          token: owner,
          body: { body: 'To cancel', sendAt: new Date(Date.now() + 3600_000).toISOString() },
        },
      );
      ids.scheduledMessageId = s.body.scheduledMessage.id;
    }
    const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'x');
    return path + (QUERY[route.id] ?? '');
  }

  const cases = swept.flatMap((r) => BUILTIN_ROLE_IDS.map((role) => [r.id, role, r] as const));
  it.each(cases)('%s as %s', async (_id, role, route) => {
    const permission = required(route);
    const held = builtinPermissions(role, { agentsCanManageAttributes: setting });
    const allowed =
      permission === undefined || (onResource(route) ? covers(held, permission) : held[permission] !== undefined);
    const path = await pathOf(route);
    const res = await t.call(route.method, path, { token: tokens.get(role), body: requestBody(route) });
    if (onResource(route) && !seesPublicInbox(held)) {
      expect(res.status, res.text).toBe(404);
    } else if (allowed) {
      expect(res.status, res.text).toBe(contract[route.id as keyof typeof contract].status);
    } else {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', permission });
    }
  });

  it("the derivation carries the seed's sentences (so the sweep above checks them on every route)", () => {
    const holds = (role: BuiltinRoleId, p: Permission) =>
      covers(builtinPermissions(role, { agentsCanManageAttributes: setting }), p);
    expect(holds('admin', 'messages.view') || holds('admin', 'messages.send')).toBe(false);
    expect(BUILTIN_ROLE_IDS.filter((r) => holds(r, 'messages.delete'))).toEqual(['owner']);
    expect(holds('member', 'conversations.delete')).toBe(false);
  });

  it('the sweep covers the Agent attribute setting both ways', () => {
    expect(builtinPermissions('agent', { agentsCanManageAttributes: setting })['attributes.manage'] !== undefined).toBe(
      setting,
    );
  });
});

describe('permissions of services outside this repository', () => {
  const guarded = new Set(
    routes.flatMap((r) =>
      r.access.kind === 'member' ? [r.access.permission, r.access.onResource].filter((p) => p !== undefined) : [],
    ),
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
