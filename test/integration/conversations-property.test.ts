// Property (fast-check, over HTTP against DynamoDB Local): random workspaces of inboxes (public / private,
// shared / personal), teams, direct inbox assignments, built-in and custom roles with scoped permissions
// (`all` / `groups` / `assigned`) and conversations with random assignees; then random (member, conversation,
// action) triples. Every HTTP answer (200/201/204, 403 naming the permission, 404, 409 for a shared conversation
// moved into a personal inbox or for an assignee who cannot work in the inbox) equals the reference model below, which follows the conversation's state through
// the run (assignee, inbox, deleted, its one message).
//
// The model is written from PRODUCT.md §3 and §7 (and the README's choices where they are silent); it imports
// the built-in roles' permission sets and the catalog's `scoped` flags, never the service's decision code:
// - a personal inbox is wholly its owner's, role restrictions never apply; anyone else gets 404;
// - a shared public inbox is seen by who can work in inboxes (holds messages.view) or configures public inboxes
//   (README), or reaches it; a private one by who reaches it, directly or through a team, or holds
//   inboxes.private.access (or inboxes.private.configure: README, "an Admin … sees private ones");
// - a conversation is seen when its inbox is, or by its assignee; unseen → 404;
// - a scoped permission must be held at a scope that reaches the conversation: `assigned` (its assignee),
//   `groups` (an inbox reached directly or through a team), `all` (anything seen), with all ⊇ groups ⊇ assigned;
//   unscoped ones are held or not; refused → 403.
// Setup writes the workspace and custom roles through the API, the rest through the repositories (fast).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as convRepo from '../../shared/conversations/repository';
import type { ConversationRecord } from '../../shared/conversations/schema';
import { newId } from '../../shared/ids';
import { createInbox } from '../../shared/inboxes/repository';
import { putMember } from '../../shared/members/repository';
import {
  PERMISSION_BY_KEY,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  SCOPES,
  type Scope,
} from '../../shared/permissions/catalog';
import { builtinPermissions } from '../../shared/permissions/roles';
import { auditItem } from '../../shared/table/audit/entry';
import { createTeam } from '../../shared/teams/repository';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

const RUNS = Number(process.env.CONVERSATION_PROPERTY_RUNS ?? 100);

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

// ------------------------------------------------------------------------------------------- the model

interface MInbox {
  id: string;
  kind: 'shared' | 'personal';
  visibility: 'public' | 'private';
  owner: string | null;
}
interface MMember {
  id: string;
  token: string;
  permissions: PermissionSet;
  direct: Set<string>;
  teams: Set<number>;
}
interface MConversation {
  id: string;
  inbox: string;
  assignee: string | null;
  deleted: boolean;
  messageId: string;
  messageDeleted: boolean;
}
interface World {
  inboxes: MInbox[];
  members: MMember[];
  teams: { inboxes: Set<string> }[];
  conversations: MConversation[];
}

const RANK: Record<Scope, number> = { assigned: 0, groups: 1, all: 2 };
const has = (m: MMember, p: Permission) => m.permissions[p] !== undefined;

function reaches(w: World, m: MMember, inboxId: string): boolean {
  if (m.direct.has(inboxId)) return true;
  return [...m.teams].some((i) => w.teams[i]!.inboxes.has(inboxId));
}

/** §7: who sees a shared inbox (a personal one: its owner). */
function seesInbox(w: World, m: MMember, inbox: MInbox): boolean {
  if (inbox.kind === 'personal') return inbox.owner === m.id;
  if (reaches(w, m, inbox.id)) return true;
  if (inbox.visibility === 'public') return has(m, 'messages.view') || has(m, 'inboxes.public.configure');
  return has(m, 'inboxes.private.access') || has(m, 'inboxes.private.configure');
}

/** §3: whether `m` holds `p` widely enough for a conversation with `assignee` in `inbox` (seen already). */
function holdsFor(w: World, m: MMember, p: Permission, inbox: MInbox, assignee: string | null): boolean {
  const grant: PermissionGrant | undefined = m.permissions[p];
  if (grant === undefined) return false;
  if (!PERMISSION_BY_KEY.get(p)?.scoped) return true;
  const needed: Scope = assignee === m.id ? 'assigned' : reaches(w, m, inbox.id) ? 'groups' : 'all';
  return RANK[grant as Scope] >= RANK[needed];
}

type Outcome = 'ok' | 403 | 404 | 409;

/** The decision on an existing (or deleted) conversation for permission `p`. */
function onConversation(w: World, m: MMember, c: MConversation, p: Permission): Outcome {
  if (c.deleted) return 404;
  const inbox = w.inboxes.find((i) => i.id === c.inbox)!;
  if (inbox.kind === 'personal') return inbox.owner === m.id ? 'ok' : 404;
  if (!seesInbox(w, m, inbox) && c.assignee !== m.id) return 404;
  return holdsFor(w, m, p, inbox, c.assignee) ? 'ok' : 403;
}

/** The decision on an inbox (its list, a new conversation in it), or on the inbox a conversation moves to. */
function onInbox(w: World, m: MMember, inbox: MInbox, p: Permission, assignee: string | null = null): Outcome {
  if (inbox.kind === 'personal') return inbox.owner === m.id ? 'ok' : 404;
  if (!seesInbox(w, m, inbox)) return 404;
  return holdsFor(w, m, p, inbox, assignee) ? 'ok' : 403;
}

/** Who can be an assignee in an inbox: its owner (personal); who reads messages and sees it (shared). */
function canWorkIn(w: World, m: MMember, inbox: MInbox): boolean {
  if (inbox.kind === 'personal') return inbox.owner === m.id;
  return has(m, 'messages.view') && seesInbox(w, m, inbox);
}

// ------------------------------------------------------------------------------------------- generators

const WORK: Permission[] = [
  'messages.view',
  'messages.send',
  'comments.send',
  'conversations.assign',
  'conversations.archive',
  'conversations.move',
  'conversations.delete',
  'messages.delete',
  'scheduledMessages.manage',
  'inboxes.private.access',
  'inboxes.public.configure',
  'inboxes.private.configure',
];

/** A custom role: a random part of the conversation section, each scoped one at a random scope. */
const roleArb = fc
  .subarray(WORK, { minLength: 1 })
  .chain((keys) =>
    fc.tuple(
      ...keys.map((k) =>
        (PERMISSION_BY_KEY.get(k)?.scoped ? fc.constantFrom<Scope>(...SCOPES) : fc.constant(true as const)).map(
          (g) => [k, g] as const,
        ),
      ),
    ),
  )
  .map((pairs) => Object.fromEntries(pairs) as PermissionSet);

const ACTIONS = [
  'get',
  'listMessages',
  'send',
  'comment',
  'assignSelf',
  'unassign',
  'archive',
  'reopen',
  'move',
  'delete',
  'deleteMessage',
  'schedule',
  'listScheduled',
  'listInbox',
  'createIn',
  'assignedToMe',
] as const;
type Action = (typeof ACTIONS)[number];

const worldArb = fc.record({
  customRoles: fc.array(roleArb, { maxLength: 2 }),
  /** Member 0 is the Owner; the others hold a built-in role or one of the custom roles. */
  memberRoles: fc.array(fc.nat(5), { minLength: 2, maxLength: 4 }),
  inboxes: fc.array(
    fc.record({
      visibility: fc.constantFrom('public' as const, 'private' as const),
      /** 0: a personal inbox (one in four). */
      personal: fc.nat(3),
      owner: fc.nat(),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  direct: fc.array(fc.array(fc.nat(), { maxLength: 2 }), { maxLength: 4 }),
  teams: fc.array(
    fc.record({ members: fc.array(fc.nat(), { maxLength: 3 }), inboxes: fc.array(fc.nat(), { maxLength: 2 }) }),
    {
      maxLength: 2,
    },
  ),
  conversations: fc.array(fc.record({ inbox: fc.nat(), assignee: fc.option(fc.nat(), { nil: null }) }), {
    minLength: 1,
    maxLength: 4,
  }),
  steps: fc.array(
    fc.record({ actor: fc.nat(), conversation: fc.nat(), inbox: fc.nat(), action: fc.constantFrom(...ACTIONS) }),
    { minLength: 4, maxLength: 8 },
  ),
});
type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

// ------------------------------------------------------------------------------------------- setup

const BUILTIN = ['admin', 'manager', 'agent', 'member'] as const;
let seq = 0;

async function build(spec: WorldSpec) {
  const n = seq++;
  const ws = await createWorkspace(t, 'unlimited', `Property ${n}`);
  const now = new Date().toISOString();
  const audit = (what: string) =>
    auditItem({
      workspaceId: ws.ws,
      actor: { memberId: ws.ownerMemberId, userId: ws.owner, source: 'app' },
      action: `test.${what}`,
      target: { type: 'workspace', id: ws.ws },
      before: null,
      after: null,
    });

  // The model first (ids are ours to choose), then the writes, as concurrent as their dependencies allow.
  const choices = BUILTIN.length + spec.customRoles.length;
  const drawn = spec.memberRoles.slice(1).map((r) => ({ choice: r % choices, userId: uniqueUser('prop') }));
  const members: MMember[] = [
    {
      id: ws.ownerMemberId,
      token: ws.token,
      permissions: builtinPermissions('owner', { agentsCanManageAttributes: false }),
      direct: new Set(),
      teams: new Set(),
    },
    ...(await Promise.all(
      drawn.map(async (d) => ({
        id: `mem_${d.userId}`,
        token: await t.token(d.userId),
        permissions:
          d.choice < BUILTIN.length
            ? builtinPermissions(BUILTIN[d.choice]!, { agentsCanManageAttributes: false })
            : spec.customRoles[d.choice - BUILTIN.length]!,
        direct: new Set<string>(),
        teams: new Set<number>(),
      })),
    )),
  ];
  const inboxes: MInbox[] = spec.inboxes.map((s) => ({
    id: newId('inbox'),
    kind: s.personal === 0 ? 'personal' : 'shared',
    visibility: s.personal === 0 ? 'private' : s.visibility,
    owner: s.personal === 0 ? members[s.owner % members.length]!.id : null,
  }));
  const shared = inboxes.filter((i) => i.kind === 'shared');
  // Direct assignments of shared inboxes, and teams reaching shared inboxes, for members other than the Owner.
  for (const [k, m] of members.entries()) {
    if (k === 0 || shared.length === 0) continue;
    for (const x of spec.direct[k - 1] ?? []) m.direct.add(shared[x % shared.length]!.id);
  }
  const teams = spec.teams.map((s, k) => {
    const memberIdx = [...new Set(s.members.map((x) => 1 + (x % (members.length - 1))))];
    for (const i of memberIdx) members[i]!.teams.add(k);
    return {
      id: newId('team'),
      memberIds: memberIdx.map((i) => members[i]!.id).sort(),
      inboxes: new Set(shared.length === 0 ? [] : s.inboxes.map((x) => shared[x % shared.length]!.id)),
    };
  });
  // Conversations, assigned as drawn (access may have changed since an assignment: any member), one message each.
  const conversations: MConversation[] = spec.conversations.map((s) => {
    const inbox = inboxes[s.inbox % inboxes.length]!;
    return {
      id: newId('conv'),
      inbox: inbox.id,
      assignee: s.assignee === null ? null : members[s.assignee % members.length]!.id,
      deleted: false,
      messageId: newId('msg'),
      messageDeleted: false,
    };
  });

  const createRoles = async () => {
    const ids: string[] = [];
    for (const [i, permissions] of spec.customRoles.entries()) {
      const res = await t.call('POST', `/v1/workspaces/${ws.ws}/roles`, {
        token: ws.token,
        body: { name: `Prop ${n} ${i}`, permissions },
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
    }
    return ids;
  };
  const writeInbox = (i: MInbox, k: number) =>
    createInbox(
      {
        id: i.id,
        workspaceId: ws.ws,
        name: `Inbox ${k}`,
        visibility: i.visibility,
        kind: i.kind,
        ownerMemberId: i.owner,
        createdAt: now,
        updatedAt: now,
      },
      audit('inbox'),
    );
  const writeConversation = async (c: MConversation) => {
    const inbox = inboxes.find((i) => i.id === c.inbox)!;
    const record: ConversationRecord = {
      id: c.id,
      workspaceId: ws.ws,
      inboxId: inbox.id,
      subject: null,
      contactId: null,
      assigneeId: null,
      status: 'open',
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
      createdBy: ws.ownerMemberId,
      version: 1,
      inboxVisibility: inbox.visibility,
      inboxKind: inbox.kind,
      inboxOwnerId: inbox.owner,
    };
    await convRepo.createConversation(record, []);
    const current = c.assignee === null ? record : { ...record, assigneeId: c.assignee, version: 2 };
    if (c.assignee !== null) await convRepo.replaceConversation(record, current, []);
    const message = {
      id: c.messageId,
      workspaceId: ws.ws,
      conversationId: c.id,
      kind: 'message' as const,
      body: 'Hello',
      authorMemberId: ws.ownerMemberId,
      createdAt: new Date().toISOString(),
    };
    await convRepo.addMessage(current, message, inbox.visibility, []);
  };
  const [roleIds] = await Promise.all([
    createRoles(),
    Promise.all(inboxes.map(writeInbox)),
    Promise.all(conversations.map(writeConversation)),
  ]);
  const roleOf = (choice: number) => (choice < BUILTIN.length ? BUILTIN[choice]! : roleIds[choice - BUILTIN.length]!);
  await Promise.all(
    drawn.map((d, k) =>
      putMember(ws.ws, {
        id: `mem_${d.userId}`,
        userId: d.userId,
        email: `${d.userId}@example.test`,
        roleId: roleOf(d.choice),
        inboxIds: [...members[k + 1]!.direct],
        teamIds: [],
        joinedAt: now,
      }),
    ),
  );
  // A team adds itself to its members' teamIds in its transaction: after the members exist.
  await Promise.all(
    teams.map((team, k) =>
      createTeam(
        {
          id: team.id,
          workspaceId: ws.ws,
          name: `Team ${k}`,
          nameKey: `team ${n} ${k}`,
          memberIds: team.memberIds,
          inboxIds: [...team.inboxes],
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        audit('team'),
      ),
    ),
  );
  return {
    ws: ws.ws,
    world: { inboxes, members, teams: teams.map((x) => ({ inboxes: x.inboxes })), conversations } satisfies World,
  };
}

// ------------------------------------------------------------------------------------------- steps

const PERMISSION: Record<Exclude<Action, 'assignedToMe'>, Permission> = {
  get: 'messages.view',
  listMessages: 'messages.view',
  send: 'messages.send',
  comment: 'comments.send',
  assignSelf: 'conversations.assign',
  unassign: 'conversations.assign',
  archive: 'conversations.archive',
  reopen: 'conversations.archive',
  move: 'conversations.move',
  delete: 'conversations.delete',
  deleteMessage: 'messages.delete',
  schedule: 'scheduledMessages.manage',
  listScheduled: 'scheduledMessages.manage',
  listInbox: 'messages.view',
  createIn: 'messages.send',
};
const SUCCESS: Record<Action, number> = {
  get: 200,
  listMessages: 200,
  send: 201,
  comment: 201,
  assignSelf: 200,
  unassign: 200,
  archive: 200,
  reopen: 200,
  move: 200,
  delete: 204,
  deleteMessage: 204,
  schedule: 201,
  listScheduled: 200,
  listInbox: 200,
  createIn: 201,
  assignedToMe: 200,
};

/** The model's answer to a step, and what the world becomes when it succeeds. */
function expected(w: World, m: MMember, c: MConversation, inbox: MInbox, action: Action): Outcome {
  if (action === 'assignedToMe') return has(m, 'messages.view') ? 'ok' : 403;
  if (action === 'listInbox' || action === 'createIn') return onInbox(w, m, inbox, PERMISSION[action]);
  const first = onConversation(w, m, c, PERMISSION[action]);
  if (first !== 'ok') return first;
  switch (action) {
    case 'assignSelf':
      return canWorkIn(w, m, w.inboxes.find((i) => i.id === c.inbox)!) ? 'ok' : 409;
    case 'move': {
      if (inbox.id === c.inbox) return 'ok';
      const to = onInbox(w, m, inbox, 'conversations.move', c.assignee);
      // A shared conversation never moves into a personal inbox (issue 16): 409 shared_to_personal.
      const from = w.inboxes.find((i) => i.id === c.inbox)!;
      return to === 'ok' && from.kind === 'shared' && inbox.kind === 'personal' ? 409 : to;
    }
    case 'deleteMessage':
      return c.messageDeleted ? 404 : 'ok';
    case 'schedule':
      // It will be sent as its author: scheduling also needs messages.send at a scope reaching it (issue 16).
      return onConversation(w, m, c, 'messages.send');
    default:
      return 'ok';
  }
}

function apply(w: World, m: MMember, c: MConversation, inbox: MInbox, action: Action, created?: string) {
  switch (action) {
    case 'assignSelf':
      c.assignee = m.id;
      break;
    case 'unassign':
      c.assignee = null;
      break;
    case 'move':
      if (inbox.id !== c.inbox && c.assignee !== null) {
        const assignee = w.members.find((x) => x.id === c.assignee);
        if (!assignee || !canWorkIn(w, assignee, inbox)) c.assignee = null;
      }
      c.inbox = inbox.id;
      break;
    case 'delete':
      c.deleted = true;
      break;
    case 'deleteMessage':
      c.messageDeleted = true;
      break;
    case 'createIn':
      if (created) {
        // Its one message is "already deleted": the model never expects one there.
        w.conversations.push({
          id: created,
          inbox: inbox.id,
          assignee: null,
          deleted: false,
          messageId: 'msg_none',
          messageDeleted: true,
        });
      }
      break;
  }
}

function request(ws: string, c: MConversation, inbox: MInbox, action: Action) {
  const base = `/v1/workspaces/${ws}`;
  const conv = `${base}/conversations/${c.id}`;
  switch (action) {
    case 'get':
      return { method: 'GET', path: conv };
    case 'listMessages':
      return { method: 'GET', path: `${conv}/messages` };
    case 'send':
      return { method: 'POST', path: `${conv}/messages`, body: { body: 'Hi' } };
    case 'comment':
      return { method: 'POST', path: `${conv}/comments`, body: { body: 'Note' } };
    case 'assignSelf':
      return { method: 'POST', path: `${conv}/assign` };
    case 'unassign':
      return { method: 'POST', path: `${conv}/assign`, body: { memberId: null } };
    case 'archive':
      return { method: 'POST', path: `${conv}/archive` };
    case 'reopen':
      return { method: 'POST', path: `${conv}/reopen` };
    case 'move':
      return { method: 'POST', path: `${conv}/move`, body: { inboxId: inbox.id } };
    case 'delete':
      return { method: 'DELETE', path: conv };
    case 'deleteMessage':
      return { method: 'DELETE', path: `${conv}/messages/${c.messageId}` };
    case 'schedule':
      return {
        method: 'POST',
        path: `${conv}/scheduled-messages`,
        body: { body: 'Later', sendAt: new Date(Date.now() + 3600_000).toISOString() },
      };
    case 'listScheduled':
      return { method: 'GET', path: `${conv}/scheduled-messages` };
    case 'listInbox':
      return { method: 'GET', path: `${base}/inboxes/${inbox.id}/conversations?limit=100` };
    case 'createIn':
      return { method: 'POST', path: `${base}/inboxes/${inbox.id}/conversations`, body: {} };
    case 'assignedToMe':
      return { method: 'GET', path: `${base}/conversations?assignee=me&limit=100` };
  }
}

const seen: Record<string, number> = {};

describe('conversation access property over HTTP', () => {
  it(
    'random inboxes, teams, assignments and custom roles: every answer equals the reference model',
    async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, async (spec) => {
          const { ws, world } = await build(spec);
          for (const step of spec.steps) {
            const m = world.members[step.actor % world.members.length]!;
            const c = world.conversations[step.conversation % world.conversations.length]!;
            const inbox = world.inboxes[step.inbox % world.inboxes.length]!;
            const want = expected(world, m, c, inbox, step.action);
            const req = request(ws, c, inbox, step.action);
            const body = step.action === 'assignSelf' ? { memberId: m.id } : req.body;
            const res = await t.call(req.method, req.path, { token: m.token, body });
            const label = `${step.action} by ${m.id} on ${c.id} (inbox ${c.inbox}, assignee ${c.assignee}) → ${inbox.id}: ${res.text}`;
            seen[`${step.action} ${want}`] = (seen[`${step.action} ${want}`] ?? 0) + 1;
            if (want === 'ok') {
              expect(res.status, label).toBe(SUCCESS[step.action]);
              apply(world, m, c, inbox, step.action, res.body?.conversation?.id);
              if (step.action === 'assignedToMe') {
                const mine = world.conversations.filter((x) => !x.deleted && x.assignee === m.id).map((x) => x.id);
                expect(res.body.items.map((x: { id: string }) => x.id).sort(), label).toEqual(mine.sort());
              }
              if (step.action === 'listInbox') {
                const inIt = world.conversations.filter((x) => !x.deleted && x.inbox === inbox.id).map((x) => x.id);
                expect(res.body.items.map((x: { id: string }) => x.id).sort(), label).toEqual(inIt.sort());
              }
            } else {
              expect(res.status, label).toBe(want);
              if (want === 403) {
                const permission =
                  step.action === 'assignedToMe'
                    ? 'messages.view'
                    : step.action === 'schedule' && onConversation(world, m, c, PERMISSION.schedule) === 'ok'
                      ? 'messages.send'
                      : PERMISSION[step.action];
                expect(res.body.error, label).toMatchObject({ code: 'forbidden', permission });
              }
            }
          }
        }),
        { numRuns: RUNS },
      );
      // The runs exercised allowed, refused and hidden answers (else the property says little).
      const kinds = new Set(Object.keys(seen).map((k) => k.split(' ')[1]));
      for (const k of ['ok', '403', '404']) expect(kinds).toContain(k);
      console.log('conversation property: answers per action and expectation', seen);
    },
    RUNS * 3000,
  );
});
