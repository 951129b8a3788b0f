// OpenID AuthZEN Authorization API 1.0 on the one policy module: every answer is `policy.decide` (plan
// features, held permissions, scopes), `scopeNeeded` for conversations, `canSee` for inbox visibility and
// `grantExcess` (through the guard's role resolution) for what managing a member or a role takes. This file
// only gathers the facts and words the answer; nothing here decides on its own.
//
// Who may ask: anyone about themselves (a member, a user, an API key); about others, callers holding
// `teammates.manage` (an API key: when its role holds it). A deny is `200 {decision: false, context}`.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { type Access, COMPANY_ADMIN_ROLE } from '../access';
import { nowMs } from '../clock';
import { CONTACT_PREFIX } from '../contacts/keys';
import { CONVERSATION_PREFIX } from '../conversations/keys';
import { authorize as authorizeConversation } from '../conversations/service';
import { queryCollectionPage } from '../db/ops';
import { readCursor, writeCursor } from '../db/pagination';
import { Forbidden, InvalidRequest, NotFound, PlanLimit } from '../errors';
import { effectiveSet } from '../grants/effective';
import { heldFrom, isCustomRoleId, isOwnerTarget, type ResolvedRole, roleDefinition } from '../grants/guard';
import type { InboxRecord } from '../inboxes/repository';
import { canSee } from '../inboxes/service';
import { MEMBER_PREFIX } from '../members/keys';
import type { Member } from '../members/schema';
import { PERMISSION_BY_KEY, PERMISSIONS, type Permission, type PermissionSet } from '../permissions/catalog';
import { decide, grantExcess, type Decision as PolicyDecision, seesEveryContact } from '../permissions/policy';
import { BUILTIN_ROLE_IDS, builtinPermissions } from '../permissions/roles';
import { TEMPLATES } from '../permissions/templates';
import type { Plan } from '../plans/plans';
import { wsCollection } from '../workspaces/keys';
import { keyVerdictOf } from './key-verdict';
import { outsideAdmins } from './outside-admins';
import {
  allApiKeys,
  allCustomRoles,
  allInboxes,
  apiKeyRecordKey,
  type ContactFacts,
  type ConversationFacts,
  Facts,
  inboxKey,
  roleKey,
  settle,
} from './repository';
import type {
  ActionSearchRequest,
  Decision,
  DecisionContext,
  EvaluationRequest,
  EvaluationsRequest,
  Resource,
  ResourceSearchRequest,
  Subject,
  SubjectSearchRequest,
} from './schema';

const PENDING = Symbol('pending');
type Maybe<T> = T | typeof PENDING;

export interface Question {
  subject: Subject;
  action: { name: string };
  resource: Resource;
}

/** The subject as the policy sees it: what `loadAccess` would give it if it called the API itself. */
interface Who {
  memberId: string;
  userId: string | null;
  roleId: string;
  permissions: PermissionSet;
  companyAdmin: boolean;
  apiKey: boolean;
  /** The person behind the subject (a member's key: that member), for the rules about oneself. */
  person: { userId: string | null; memberId: string | null };
  /** Inboxes reached directly or through a team. */
  reach: ReadonlySet<string>;
}

type Target =
  | { type: 'workspace' }
  | { type: 'inbox'; inbox: InboxRecord }
  | { type: 'conversation'; conversation: ConversationFacts; inbox: InboxRecord }
  | { type: 'contact'; contact: ContactFacts; inboxes: InboxRecord[] }
  | { type: 'role'; role: ResolvedRole }
  | { type: 'member'; member: Member; held: PermissionSet };

const allow: Decision = { decision: true };
const deny = (context: DecisionContext): Decision => ({ decision: false, context });
const failure = (status: number, message: string): Decision => deny({ reason: message, error: { status, message } });

function fromPolicy(d: PolicyDecision): Decision {
  if (d.allowed) return allow;
  if (d.code === 'plan_limit') return deny({ reason: d.reason, plan_limit: { feature: d.feature } });
  return deny({ reason: d.reason, permission: d.permission });
}

// ---- facts of subjects and resources (PENDING: an item is being read)

function rolePermissionsOf(f: Facts, roleId: string): Maybe<PermissionSet> {
  if (!isCustomRoleId(roleId)) return roleDefinition(f.ws, roleId, undefined)?.permissions ?? {};
  const custom = f.customRole(roleId);
  if (custom === undefined) return PENDING;
  return roleDefinition(f.ws, roleId, custom ?? undefined)?.permissions ?? {};
}

/** A role's permissions for the pure rules of shared/grants (`undefined`: still being read). */
const roleReader =
  (f: Facts) =>
  (roleId: string): PermissionSet | undefined => {
    const set = rolePermissionsOf(f, roleId);
    return set === PENDING ? undefined : set;
  };

/** A company admin acting without (or beside a deactivated) membership, as the authorizer lets them. */
const companyAdminWho = (f: Facts, userId: string): Who => ({
  memberId: `cadmin_${userId}`,
  userId,
  roleId: COMPANY_ADMIN_ROLE,
  permissions: builtinPermissions('owner', f.ws.settings),
  companyAdmin: true,
  apiKey: false,
  person: { userId, memberId: null },
  reach: new Set(),
});

const deactivatedDeny = (m: Member) =>
  deny({ reason: `The member "${m.id}" is deactivated: it holds no access in this workspace` });

/**
 * A member as the authorizer would see it at `at`: its effective set (the role in force, grants not yet
 * ended); a deactivated member holds nothing, and its user acts only as a company admin if it is one.
 */
function whoOfMember(f: Facts, m: Member, at: number): Maybe<Who | Decision> {
  const companyAdmin = f.companyAdmin(m.userId);
  if (companyAdmin === undefined) return PENDING;
  if (m.status === 'deactivated') return companyAdmin ? companyAdminWho(f, m.userId) : deactivatedDeny(m);
  const effective = effectiveSet(m, at, roleReader(f));
  const teams = m.teamIds.map((t) => f.team(t));
  if (effective === undefined || teams.some((t) => t === undefined)) return PENDING;
  const reach = new Set(m.inboxIds);
  for (const t of teams) for (const i of t?.inboxIds ?? []) reach.add(i);
  return {
    memberId: m.id,
    userId: m.userId,
    roleId: effective.grants.roleId,
    permissions: companyAdmin ? builtinPermissions('owner', f.ws.settings) : effective.permissions,
    companyAdmin,
    apiKey: false,
    person: { userId: m.userId, memberId: m.id },
    reach,
  };
}

function resolveWho(f: Facts, plan: Plan, s: Subject, at: number): Maybe<Who | Decision> {
  const notFound = () => failure(404, `Subject not found: no ${s.type} "${s.id}" in this workspace`);
  switch (s.type) {
    case 'member': {
      const m = f.member(s.id);
      if (m === undefined) return PENDING;
      return m === null ? notFound() : whoOfMember(f, m, at);
    }
    case 'user': {
      const membership = f.membership(s.id);
      const companyAdmin = f.companyAdmin(s.id);
      if (membership === undefined || companyAdmin === undefined) return PENDING;
      if (membership === null) {
        return companyAdmin ? companyAdminWho(f, s.id) : notFound();
      }
      const m = f.member(membership.memberId);
      if (m === undefined) return PENDING;
      return m === null ? notFound() : whoOfMember(f, m, at);
    }
    case 'api_key': {
      const k = f.apiKey(s.id);
      if (k === undefined) return PENDING;
      if (k === null) return notFound();
      // THE judgement the access loader makes (judgeKey): suspended, its owner gone, deactivated or no longer a
      // company admin, and its role capped at what its owner may grant now. Without the plan feature, `judge`
      // says so (plan_limit).
      const features = plan.features.includes('apiKeys') ? plan.features : [...plan.features, 'apiKeys'];
      const verdict = keyVerdictOf(f, k, features, at);
      if (verdict === undefined) return PENDING;
      if (!verdict.ok) return deny({ reason: `The API key "${k.id}" does not work: ${verdict.reason}` });
      return {
        memberId: `apikey_${k.id}`,
        userId: null,
        roleId: k.roleId,
        permissions: verdict.permissions,
        companyAdmin: false,
        apiKey: true,
        person: verdict.person,
        reach: new Set(),
      };
    }
    default:
      return failure(400, `Unsupported subject type "${s.type}" (member, user, api_key)`);
  }
}

/**
 * Resource kinds and how their facts are read. Kinds stored by other areas (conversations, contacts) are
 * read by their keys; a new kind is one entry here and one case in `judge`.
 */
const RESOURCES: Record<string, (f: Facts, id: string, at: number) => Maybe<Target | null>> = {
  workspace: (f, id) => (id === f.ws.id ? { type: 'workspace' } : null),
  inbox: (f, id) => {
    const inbox = f.inbox(id);
    return inbox === undefined ? PENDING : inbox && { type: 'inbox', inbox };
  },
  conversation: (f, id) => {
    const conversation = f.conversation(id);
    if (conversation === undefined) return PENDING;
    if (conversation === null) return null;
    const inbox = f.inbox(conversation.inboxId);
    return inbox === undefined ? PENDING : inbox && { type: 'conversation', conversation, inbox };
  },
  contact: (f, id) => {
    const contact = f.contact(id);
    if (contact === undefined) return PENDING;
    if (contact === null) return null;
    const inboxes = contact.inboxIds.map((i) => f.inbox(i));
    if (inboxes.some((i) => i === undefined)) return PENDING;
    return { type: 'contact', contact, inboxes: inboxes.filter((i): i is InboxRecord => !!i) };
  },
  role: (f, id) => {
    const custom = isCustomRoleId(id) ? f.customRole(id) : undefined;
    if (isCustomRoleId(id) && custom === undefined) return PENDING;
    const role = roleDefinition(f.ws, id, custom ?? undefined);
    return role ? { type: 'role', role } : null;
  },
  member: (f, id, at) => {
    const member = f.member(id);
    if (member === undefined) return PENDING;
    if (member === null) return null;
    // What managing them takes, as the guard's assertMayManage counts it (heldBy): every role held now or
    // after a running term, and the grants in force.
    const held = heldFrom(member, at, roleReader(f));
    return held === undefined ? PENDING : { type: 'member', member, held };
  },
};

function resolveTarget(f: Facts, r: Resource, at: number): Maybe<Target | Decision> {
  const read = Object.hasOwn(RESOURCES, r.type) ? RESOURCES[r.type] : undefined;
  if (!read) {
    return failure(400, `Unsupported resource type "${r.type}" (${Object.keys(RESOURCES).join(', ')})`);
  }
  const target = read(f, r.id, at);
  if (target === PENDING) return PENDING;
  return target ?? failure(404, `Resource not found: no ${r.type} "${r.id}" in this workspace`);
}

// ---- the decision: the policy module's, on those facts

const notVisible = (what: string, permission: Permission) =>
  deny({ reason: `The ${what} is not visible to this subject (it does not reach it)`, permission });

function judge(plan: Plan, ws: Facts['ws'], who: Who, permission: Permission, target: Target): Decision {
  const subject = { permissions: who.permissions, features: plan.features };
  // A key works only while the plan includes API keys (as the authorizer decides).
  if (who.apiKey && !plan.features.includes('apiKeys')) {
    return deny({
      reason: `The plan does not include the feature "apiKeys": the key does not work`,
      plan_limit: { feature: 'apiKeys' },
    });
  }
  const def = PERMISSION_BY_KEY.get(permission);
  const held = () => fromPolicy(decide({ permission }, subject));
  const grantor = { roleId: who.roleId, permissions: who.permissions, companyAdmin: who.companyAdmin };
  const exceeding = (set: PermissionSet, what: string): Decision | undefined => {
    const exceeds = grantExcess(grantor, set);
    if (exceeds.length === 0) return undefined;
    return deny({
      reason: `${what}: it holds ${exceeds.map((e) => `"${e.permission}"`).join(', ')} beyond what the subject may grant`,
      permission: exceeds[0]?.permission,
      exceeds: exceeds.map((e) => ({ permission: e.permission, requested: e.requested, held: e.held })),
    });
  };
  switch (target.type) {
    case 'workspace':
      return held();
    case 'inbox': {
      const { inbox } = target;
      // Everything in one's own personal inbox is always allowed (PRODUCT §3); others do not see it.
      if (inbox.kind === 'personal')
        return inbox.ownerMemberId === who.memberId ? allow : notVisible('inbox', permission);
      if (!canSee(who, inbox, who.reach)) return notVisible('inbox', permission);
      const scope = def?.scoped ? (who.reach.has(inbox.id) ? 'groups' : 'all') : undefined;
      return fromPolicy(decide(scope ? { permission, scope } : { permission }, subject));
    }
    case 'conversation': {
      // The conversations area's own decision (visibility, the assignee's view, scopeNeeded, decide): asked,
      // not repeated. It throws the route's 404/403; here that is a deny with the same reason.
      const { inbox, conversation } = target;
      try {
        authorizeConversation(
          { memberId: who.memberId, permissions: who.permissions, plan },
          { inboxId: conversation.inboxId, assigneeId: conversation.assigneeId },
          inbox,
          who.reach.has(inbox.id),
          permission,
        );
        return allow;
      } catch (err) {
        if (err instanceof NotFound) return notVisible('conversation', permission);
        if (err instanceof PlanLimit)
          return deny({ reason: err.message, plan_limit: { feature: String(err.details.feature) } });
        if (err instanceof Forbidden) return deny({ reason: err.message, permission });
        throw err;
      }
    }
    case 'contact': {
      const { contact, inboxes } = target;
      // The contacts routes' rule: the Owner and company admins see every contact (seesEveryContact).
      const visible =
        seesEveryContact(ws.settings, who) ||
        contact.createdBy === who.memberId ||
        inboxes.some((i) => (i.kind === 'personal' ? i.ownerMemberId === who.memberId : canSee(who, i, who.reach)));
      return visible ? held() : notVisible('contact', permission);
    }
    case 'role': {
      const { role } = target;
      const d = held();
      if (!d.decision) return d;
      if (permission === 'roles.manage') {
        if (role.kind !== 'custom') {
          return deny({ reason: 'Built-in roles and templates cannot be edited or deleted; clone them instead' });
        }
        return exceeding(role.permissions, 'Editing this role is granting it') ?? allow;
      }
      if (permission === 'teammates.manage' || permission === 'teammates.invite') {
        if (role.id === 'owner') return deny({ reason: 'Ownership moves only by POST /ownership' });
        if (role.kind === 'template')
          return deny({ reason: 'Templates are starting points: clone one into a custom role first' });
        return exceeding(role.permissions, 'Giving this role is granting it') ?? allow;
      }
      return allow;
    }
    case 'member': {
      const { member } = target;
      const d = held();
      if (!d.decision || permission !== 'teammates.manage') return d;
      const self =
        member.id === who.memberId ||
        member.id === who.person.memberId ||
        (who.person.userId !== null && member.userId === who.person.userId);
      if (self) return deny({ reason: 'Nobody changes their own role', permission });
      if (isOwnerTarget(member)) {
        return deny({
          reason: 'The Owner cannot be changed or removed; the Owner hands over ownership with POST /ownership',
        });
      }
      return exceeding(target.held, 'Managing this member is granting what they hold') ?? allow;
    }
  }
}

function evaluateOne(f: Facts, plan: Plan, q: Question, at: number): Maybe<Decision> {
  const who = resolveWho(f, plan, q.subject, at);
  const target = resolveTarget(f, q.resource, at);
  if (who === PENDING || target === PENDING) return PENDING;
  if ('decision' in who) return who;
  if ('decision' in target) return target;
  const def = PERMISSION_BY_KEY.get(q.action.name);
  if (!def) return failure(400, `Unknown action "${q.action.name}": actions are permission ids of the catalog`);
  return judge(plan, f.ws, who, def.key, target);
}

// ---- who may ask

function isSelf(access: Access, s: Pick<Subject, 'type' | 'id'>): boolean {
  switch (s.type) {
    case 'member':
      return s.id === access.memberId;
    case 'user':
      return access.source === 'app' && access.userId !== null && s.id === access.userId;
    case 'api_key':
      return access.source === 'apiKey' && access.memberId === `apikey_${s.id}`;
    default:
      return false;
  }
}

const mayAskAboutOthers = (access: Access) =>
  decide({ permission: 'teammates.manage' }, { permissions: access.permissions, features: access.plan.features })
    .allowed;

const askRefusal = 'Asking about another subject needs "teammates.manage"';

function assertMayAsk(access: Access, s: Pick<Subject, 'type' | 'id'>): void {
  if (!isSelf(access, s) && !mayAskAboutOthers(access)) {
    throw new Forbidden(askRefusal, { permission: 'teammates.manage' });
  }
}

/** Every question answered from one set of facts: a batch reads the workspace's data once. */
async function answer(access: Access, questions: readonly Question[], facts?: Facts): Promise<Decision[]> {
  const f = facts ?? new Facts(access.workspace);
  const others = mayAskAboutOthers(access);
  // One decision instant for the whole batch, whatever waves of reads it takes.
  const at = nowMs();
  return settle(f, () => {
    const out: Decision[] = [];
    let pending = false;
    for (const q of questions) {
      if (!others && !isSelf(access, q.subject)) {
        out.push(
          deny({ reason: askRefusal, permission: 'teammates.manage', error: { status: 403, message: askRefusal } }),
        );
        continue;
      }
      const d = evaluateOne(f, access.plan, q, at);
      if (d === PENDING) pending = true;
      else out.push(d);
    }
    return pending ? [] : out;
  });
}

// ---- the API

export async function evaluation(access: Access, body: EvaluationRequest): Promise<Decision> {
  assertMayAsk(access, body.subject);
  const [d] = await answer(access, [body]);
  return d ?? failure(500, 'No decision');
}

export async function evaluations(
  access: Access,
  body: EvaluationsRequest,
): Promise<{ evaluations: Decision[] } | Decision> {
  const items = body.evaluations ?? [];
  if (items.length === 0) {
    // No (or an empty) `evaluations` array: the single evaluation, answered in its shape.
    return evaluation(access, body as EvaluationRequest);
  }
  // Top-level values are defaults; an item's own key replaces the default (the schema made sure each is set).
  const questions = items.map((item) => ({
    subject: (item.subject ?? body.subject) as Subject,
    action: (item.action ?? body.action) as { name: string },
    resource: (item.resource ?? body.resource) as Resource,
  }));
  const decisions = await answer(access, questions);
  const semantic = body.options?.evaluations_semantic ?? 'execute_all';
  if (semantic === 'execute_all') return { evaluations: decisions };
  // Short-circuit: answer up to and including the first deny (&&) or the first permit (||).
  const stopOn = semantic !== 'deny_on_first_deny';
  const at = decisions.findIndex((d) => d.decision === stopOn);
  return { evaluations: at < 0 ? decisions : decisions.slice(0, at + 1) };
}

// ---- search (pages: `page.token` in, `page.next_token` out, '' at the end)

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

interface PageState {
  /** Offset into an in-memory candidate list. */
  o?: number;
  /** The Query cursor of a paged candidate list. */
  c?: string;
}

/** A page token: the search it belongs to (`h`, a fingerprint of the request without its token) and where it stands. */
const PageToken = z.object({
  h: z.string(),
  o: z.optional(z.int().min(0)),
  c: z.optional(z.string()),
});

function fingerprint(kind: string, body: { page?: { token?: string | undefined } | undefined }): string {
  const { page, ...rest } = body;
  const { token: _token, ...pageRest } = page ?? {};
  return createHash('sha256')
    .update(JSON.stringify([kind, rest, pageRest]))
    .digest('base64url')
    .slice(0, 16);
}

function readToken(kind: string, body: { page?: { token?: string | undefined } | undefined }): PageState {
  const token = body.page?.token;
  if (token === undefined) return {};
  const bad = (message: string) => new InvalidRequest('Invalid page token', [{ path: 'body.page.token', message }]);
  const t = readCursor(token, PageToken, () => bad('Not a token from this search'));
  if (t.h !== fingerprint(kind, body)) {
    throw bad('Not a token from this search: every entity and the limit must be those of the first request');
  }
  return { ...(t.o !== undefined ? { o: t.o } : {}), ...(t.c !== undefined ? { c: t.c } : {}) };
}

function nextToken(kind: string, body: { page?: { token?: string | undefined } | undefined }, state: PageState | null) {
  if (!state) return '';
  return writeCursor({ h: fingerprint(kind, body), ...state });
}

const limitOf = (body: { page?: { limit?: number | undefined } | undefined }) =>
  Math.min(body.page?.limit ?? DEFAULT_LIMIT, MAX_LIMIT);

/**
 * Candidates of a search: a bounded list read whole (inboxes, roles, API keys, actions: every candidate is
 * decided and the passing ones are paged, with a `total`), or one Query page of a collection that grows with
 * the workspace (members, conversations, contacts: the page's candidates are decided, so a page may hold
 * fewer results than the limit, and the token goes on until the collection ends).
 */
type Candidates = { all: string[] } | { page: string[]; next: PageState | null };

async function resourceCandidates(f: Facts, type: string, state: PageState, limit: number): Promise<Candidates> {
  const ws = f.ws;
  switch (type) {
    case 'workspace':
      return { all: [ws.id] };
    case 'inbox': {
      const inboxes = (await allInboxes(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
      for (const i of inboxes) f.prime(inboxKey(ws.id, i.id), { ...i });
      return { all: inboxes.map((i) => i.id) };
    }
    case 'role': {
      const custom = await allCustomRoles(ws.id);
      for (const r of custom) f.prime(roleKey(ws.id, r.id), { ...r });
      return { all: [...BUILTIN_ROLE_IDS, ...TEMPLATES.map((t) => t.id), ...custom.map((r) => r.id)] };
    }
    case 'member':
    case 'conversation':
    case 'contact': {
      const prefix = { member: MEMBER_PREFIX, conversation: CONVERSATION_PREFIX, contact: CONTACT_PREFIX }[type];
      const page = await collectionPage(ws.id, prefix, state, limit);
      for (const item of page.items) f.prime({ PK: String(item.PK), SK: String(item.SK) }, item);
      return { page: page.items.map((i) => String(i.id)), next: page.nextCursor ? { c: page.nextCursor } : null };
    }
    default:
      return { all: [] };
  }
}

function collectionPage(wsId: string, prefix: string, state: PageState, limit: number) {
  return queryCollectionPage(wsCollection(wsId, prefix), { limit, cursor: state.c }, (i) => i);
}

/**
 * The `user` subjects a page of members never names: company admins of the workspace's organization who are not
 * members, the same users the access review lists (`outsideAdmins`: grant holders the authorizer lets in).
 */
async function nonMemberAdmins(f: Facts): Promise<string[]> {
  return (await outsideAdmins(f)).map((a) => a.userId);
}

async function subjectCandidates(f: Facts, type: string, state: PageState, limit: number): Promise<Candidates> {
  const ws = f.ws;
  if (type === 'user' && state.o !== undefined) {
    // Past the members: the company admins who are not members, `o` into their sorted list.
    const admins = await nonMemberAdmins(f);
    const end = state.o + limit;
    return { page: admins.slice(state.o, end), next: end < admins.length ? { o: end } : null };
  }
  if (type === 'member' || type === 'user') {
    const page = await collectionPage(ws.id, MEMBER_PREFIX, state, limit);
    for (const item of page.items) f.prime({ PK: String(item.PK), SK: String(item.SK) }, item);
    let next: PageState | null = page.nextCursor ? { c: page.nextCursor } : null;
    if (!next && type === 'user' && (await nonMemberAdmins(f)).length > 0) next = { o: 0 };
    return {
      page: page.items.map((i) => String(type === 'user' ? i.userId : i.id)),
      next,
    };
  }
  if (type === 'api_key') {
    const keys = (await allApiKeys(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
    for (const k of keys) f.prime(apiKeyRecordKey(ws.id, k.id), { ...k });
    return { all: keys.map((k) => k.id) };
  }
  return { all: [] };
}

/** The candidates that pass the single evaluation, a page of them. */
async function passing(
  access: Access,
  f: Facts,
  candidates: Candidates,
  question: (id: string) => Question,
  state: PageState,
  limit: number,
): Promise<{ ids: string[]; next: PageState | null; total?: number }> {
  const ids = 'all' in candidates ? candidates.all : candidates.page;
  const decisions = await answer(access, ids.map(question), f);
  const passed = ids.filter((_, i) => decisions[i]?.decision === true);
  if ('page' in candidates) return { ids: passed, next: candidates.next };
  const start = state.o ?? 0;
  const end = start + limit;
  return { ids: passed.slice(start, end), next: end < passed.length ? { o: end } : null, total: passed.length };
}

function searchAnswer<T>(
  kind: string,
  body: Parameters<typeof nextToken>[1],
  results: T[],
  page: { next: PageState | null; total?: number },
) {
  return {
    page: {
      next_token: nextToken(kind, body, page.next),
      count: results.length,
      ...(page.total !== undefined ? { total: page.total } : {}),
    },
    results,
  };
}

/** Which subjects of a type may do the action on the resource (asking about others: `teammates.manage`). */
export async function searchSubjects(access: Access, body: SubjectSearchRequest) {
  if (!mayAskAboutOthers(access)) throw new Forbidden(askRefusal, { permission: 'teammates.manage' });
  const state = readToken('subject', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('subject', body, [], { next: null });
  const f = new Facts(access.workspace);
  const type = body.subject.type;
  const candidates = await subjectCandidates(f, type, state, limit);
  const page = await passing(
    access,
    f,
    candidates,
    (id) => ({ subject: { type, id }, action: body.action, resource: body.resource }),
    state,
    limit,
  );
  return searchAnswer(
    'subject',
    body,
    page.ids.map((id) => ({ type, id })),
    page,
  );
}

/** Which resources of a type the subject may do the action on. */
export async function searchResources(access: Access, body: ResourceSearchRequest) {
  assertMayAsk(access, body.subject);
  const state = readToken('resource', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('resource', body, [], { next: null });
  const f = new Facts(access.workspace);
  const type = body.resource.type;
  const candidates = await resourceCandidates(f, type, state, limit);
  const page = await passing(
    access,
    f,
    candidates,
    (id) => ({ subject: body.subject, action: body.action, resource: { type, id } }),
    state,
    limit,
  );
  return searchAnswer(
    'resource',
    body,
    page.ids.map((id) => ({ type, id })),
    page,
  );
}

/** What the subject may do on the resource: the catalog's permissions that pass, in catalog order. */
export async function searchActions(access: Access, body: ActionSearchRequest) {
  assertMayAsk(access, body.subject);
  const state = readToken('action', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('action', body, [], { next: null });
  const f = new Facts(access.workspace);
  const page = await passing(
    access,
    f,
    { all: PERMISSIONS.map((p) => p.key) },
    (name) => ({ subject: body.subject, action: { name }, resource: body.resource }),
    state,
    limit,
  );
  return searchAnswer(
    'action',
    body,
    page.ids.map((name) => ({ name })),
    page,
  );
}

/** PDP metadata (AuthZEN 1.0 §Policy Decision Point Metadata): public, the same for any workspace id. */
export function pdpMetadata(origin: string, wsId: string) {
  const pdp = `${origin}/v1/workspaces/${encodeURIComponent(wsId)}`;
  return {
    policy_decision_point: pdp,
    access_evaluation_endpoint: `${pdp}/access/v1/evaluation`,
    access_evaluations_endpoint: `${pdp}/access/v1/evaluations`,
    search_subject_endpoint: `${pdp}/access/v1/search/subject`,
    search_resource_endpoint: `${pdp}/access/v1/search/resource`,
    search_action_endpoint: `${pdp}/access/v1/search/action`,
  };
}
