// The policy module: one place that decides. The authorizer, the handlers and /authz/check call it.
// Pure and synchronous: everything it needs is passed in, so a decision costs a few property reads.

import {
  PERMISSION_FEATURE,
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  SCOPE_RANK,
  type Scope,
} from './catalog';
import type { Feature } from './plans';

export interface Subject {
  permissions: PermissionSet;
  features: readonly string[];
}

export interface Requirement {
  permission?: Permission;
  /** For scoped permissions: the narrowest scope that reaches the resource. */
  scope?: Scope;
  feature?: Feature;
  /** Do not require the plan feature the permission itself belongs to (PERMISSION_FEATURE). */
  anyPlan?: boolean;
}

export type Decision =
  | { allowed: true; reason: string; permission?: Permission }
  | { allowed: false; code: 'forbidden'; reason: string; permission: Permission; scope?: Scope }
  | { allowed: false; code: 'plan_limit'; reason: string; feature: Feature };

const ALLOW_MEMBER: Decision = { allowed: true, reason: 'Members may do this' };

export function decide(req: Requirement, subject: Subject): Decision {
  const permission = req.permission;
  // The plan comes first: a feature the plan lacks is refused for every role, the Owner included. Some
  // permissions carry their own feature (analytics, API keys, sequences) wherever they are checked.
  const missing =
    lacksFeature(req.feature, subject) ??
    lacksFeature(permission === undefined || req.anyPlan ? undefined : PERMISSION_FEATURE[permission], subject);
  if (missing !== undefined) {
    return {
      allowed: false,
      code: 'plan_limit',
      reason: `The workspace's plan does not include the feature "${missing}"`,
      feature: missing,
    };
  }
  if (permission === undefined) return ALLOW_MEMBER;
  const grant = subject.permissions[permission];
  if (grant === undefined) {
    return {
      allowed: false,
      code: 'forbidden',
      reason: `Your role does not have the permission "${permission}"`,
      permission,
    };
  }
  if (req.scope !== undefined && !scopeReaches(grant, req.scope)) {
    return {
      allowed: false,
      code: 'forbidden',
      reason: `Your role has "${permission}" only for ${grant === 'assigned' ? 'conversations assigned to you' : 'inboxes you are in'}, which does not reach this one`,
      permission,
      scope: req.scope,
    };
  }
  return { allowed: true, reason: `Your role has "${permission}"`, permission };
}

function lacksFeature(feature: Feature | undefined, subject: Subject): Feature | undefined {
  return feature !== undefined && !subject.features.includes(feature) ? feature : undefined;
}

/** Whether a held grant covers a resource that needs at least `needed` scope. */
export function scopeReaches(grant: PermissionGrant, needed: Scope): boolean {
  if (grant === true) return true;
  return SCOPE_RANK[grant] >= SCOPE_RANK[needed];
}

// Compact form for the authorizer context (string values only, and small): one character per catalog
// permission in catalog order: '-' not held, '1' held, 'a' all, 'g' groups, 's' assigned.
const GRANT_CHAR: Record<string, string> = { true: '1', all: 'a', groups: 'g', assigned: 's' };
const CHAR_GRANT: Record<string, PermissionGrant> = { '1': true, a: 'all', g: 'groups', s: 'assigned' };

export function encodePermissions(set: PermissionSet): string {
  let out = '';
  for (const p of PERMISSIONS) {
    const g = set[p.key];
    out += g === undefined ? '-' : (GRANT_CHAR[String(g)] ?? '-');
  }
  return out;
}

export function decodePermissions(encoded: string): PermissionSet {
  const out: PermissionSet = {};
  for (let i = 0; i < PERMISSIONS.length; i++) {
    const g = CHAR_GRANT[encoded[i] ?? '-'];
    const def = PERMISSIONS[i];
    if (g !== undefined && def) out[def.key] = g;
  }
  return out;
}

/** What the policy needs to know about a conversation to find the scope that reaches it. */
export interface ConversationFacts {
  inboxId: string;
  assigneeId: string | null;
}

/** The member and every inbox they reach directly or through a team. */
export interface MemberReach {
  memberId: string;
  inboxIds: ReadonlySet<string>;
}

/** The narrowest scope that covers this conversation for this member: assigned ⊂ groups ⊂ all. */
export function scopeNeeded(conversation: ConversationFacts, reach: MemberReach): Scope {
  if (conversation.assigneeId !== null && conversation.assigneeId === reach.memberId) return 'assigned';
  if (reach.inboxIds.has(conversation.inboxId)) return 'groups';
  return 'all';
}

/**
 * Who sees which contacts (workspace setting `contactsVisibility`, PRODUCT.md §7): everyone (`team`, or the Owner
 * and company admins), or (`private`) the contact's creator and the members who see an inbox it talked to.
 */
export type ContactViewer = { all: true } | { all: false; memberId: string; inboxIds: ReadonlySet<string> };

/**
 * Whether a viewer sees every contact: contacts are not private here, or the viewer is the Owner or a company admin
 * (exempt, as everywhere). The contacts routes, /authz/check and AuthZEN ask this one rule.
 */
export function seesEveryContact(
  settings: { contactsVisibility?: 'team' | 'private' | undefined },
  who: { roleId: string; companyAdmin: boolean },
): boolean {
  return settings.contactsVisibility !== 'private' || who.roleId === 'owner' || who.companyAdmin;
}

/**
 * Whether a viewer sees a contact. Reading one and naming one in a write (a new conversation's contact, an
 * opt-out entry) decide alike: a contact you cannot see is a 404 both ways, so linking never makes it visible.
 */
export function seesContact(viewer: ContactViewer, contact: { createdBy: string; inboxIds: readonly string[] }) {
  return viewer.all || contact.createdBy === viewer.memberId || contact.inboxIds.some((id) => viewer.inboxIds.has(id));
}

/** Someone granting a permission set: inviting with a role, assigning it, creating or editing it. */
export interface Grantor {
  roleId: string;
  permissions: PermissionSet;
  companyAdmin?: boolean;
}

export interface Excess {
  permission: Permission;
  requested: PermissionGrant;
  /** What the actor holds of it, or null. */
  held: PermissionGrant | null;
}

/**
 * The no-escalation rule (PRODUCT.md §5). Returns what in `grant` exceeds what `actor` may grant; empty
 * means allowed. Administrative permissions must be held; work permissions must be held at an equal or
 * wider scope unless the actor holds `teammates.manage`; the Owner and company admins may grant anything
 * (ownership itself is never a grantable role: callers refuse `owner` before asking).
 */
export function grantExcess(actor: Grantor, grant: PermissionSet): Excess[] {
  if (actor.roleId === 'owner' || actor.companyAdmin === true) return [];
  const managesTeammates = actor.permissions['teammates.manage'] !== undefined;
  const out: Excess[] = [];
  for (const def of PERMISSIONS) {
    const requested = grant[def.key];
    if (requested === undefined) continue;
    if (def.kind === 'work' && managesTeammates) continue;
    const held = actor.permissions[def.key];
    if (held !== undefined && (!def.scoped || scopeReaches(held, requested === true ? 'all' : requested))) continue;
    out.push({ permission: def.key, requested, held: held ?? null });
  }
  return out;
}

export function describeExcess(excess: readonly Excess[]): string {
  const parts = excess.map((e) =>
    e.held === null
      ? `"${e.permission}"`
      : `"${e.permission}" at scope "${String(e.requested)}" (you have "${String(e.held)}")`,
  );
  return `You cannot grant permissions you do not hold: ${parts.join(', ')}`;
}
