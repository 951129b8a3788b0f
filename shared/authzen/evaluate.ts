// OpenID AuthZEN Authorization API 1.0 on the one policy module: every answer is `policy.decide` (plan
// features, held permissions, scopes), `scopeNeeded` for conversations, `canSee` for inbox visibility and
// `grantExcess` (through the guard's role resolution) for what managing a member or a role takes. This file
// only gathers the facts and words the answer; nothing here decides on its own.
//
// Who may ask: anyone about themselves (a member, a user, an API key); about others, callers holding
// `teammates.manage` (an API key: when its role holds it). A deny is `200 {decision: false, context}`.
import { type Access, COMPANY_ADMIN_ROLE } from '../access';
import { nowMs } from '../clock';
import { authorize as authorizeConversation } from '../conversations/service';
import { Forbidden, NotFound, PlanLimit } from '../errors';
import { heldFrom, isCustomRoleId, isOwnerTarget, type ResolvedRole, roleDefinition } from '../grants/guard';
import type { InboxRecord } from '../inboxes/repository';
import type { Member } from '../members/schema';
import { PERMISSION_BY_KEY, type Permission, type PermissionSet } from '../permissions/catalog';
import { effectiveSet } from '../permissions/effective';
import { canSee } from '../permissions/inbox-visibility';
import type { Plan } from '../permissions/plans';
import { decide, grantExcess, type Decision as PolicyDecision, seesEveryContact } from '../permissions/policy';
import { builtinPermissions } from '../permissions/roles';
import { keyVerdictOf } from './key-verdict';
import { type ContactFacts, type ConversationFacts, Facts, settle } from './repository';
import type { Decision, DecisionContext, EvaluationRequest, EvaluationsRequest, Resource, Subject } from './schema';

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

// Denies that say "the subject does not see it": the routes answer those 404 (existence does not leak), so
// POST /authz/check, asking about the caller, answers them 404 too (`isHidden`).
const hidden = new WeakSet<Decision>();
const notVisible = (what: string, permission: Permission) => {
  const d = deny({ reason: `The ${what} is not visible to this subject (it does not reach it)`, permission });
  hidden.add(d);
  return d;
};
/** Whether a deny is "the resource is not visible to the subject" (a route's 404). */
export const isHidden = (d: Decision): boolean => hidden.has(d);

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

export const mayAskAboutOthers = (access: Access) =>
  decide({ permission: 'teammates.manage' }, { permissions: access.permissions, features: access.plan.features })
    .allowed;

export const askRefusal = 'Asking about another subject needs "teammates.manage"';

export function assertMayAsk(access: Access, s: Pick<Subject, 'type' | 'id'>): void {
  if (!isSelf(access, s) && !mayAskAboutOthers(access)) {
    throw new Forbidden(askRefusal, { permission: 'teammates.manage' });
  }
}

/** Every question answered from one set of facts: a batch reads the workspace's data once. */
export async function answer(access: Access, questions: readonly Question[], facts?: Facts): Promise<Decision[]> {
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
