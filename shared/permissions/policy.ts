// The policy module: one place that decides. The authorizer, the handlers and /authz/check call it.
// Pure and synchronous: everything it needs is passed in, so a decision costs a few property reads.
import type { Feature } from '../plans/plans';
import {
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  SCOPE_RANK,
  type Scope,
} from './catalog';

export interface Subject {
  permissions: PermissionSet;
  features: readonly string[];
}

export interface Requirement {
  permission?: Permission;
  /** For scoped permissions: the narrowest scope that reaches the resource. */
  scope?: Scope;
  feature?: Feature;
}

export type Decision =
  | { allowed: true; reason: string; permission?: Permission }
  | { allowed: false; code: 'forbidden'; reason: string; permission: Permission; scope?: Scope }
  | { allowed: false; code: 'plan_limit'; reason: string; feature: Feature };

const ALLOW_MEMBER: Decision = { allowed: true, reason: 'Members may do this' };

export function decide(req: Requirement, subject: Subject): Decision {
  // The plan comes first: a feature the plan lacks is refused for every role, the Owner included.
  if (req.feature !== undefined && !subject.features.includes(req.feature)) {
    return {
      allowed: false,
      code: 'plan_limit',
      reason: `The workspace's plan does not include the feature "${req.feature}"`,
      feature: req.feature,
    };
  }
  const permission = req.permission;
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
    if (g !== undefined && def) out[def.key as Permission] = g;
  }
  return out;
}
