// SCIM PATCH (RFC 7644 §3.5.2) as Okta and Entra send it: `op` in any case, string booleans ("False"), path-less
// value objects with dotted (`name.givenName`) or URN-qualified keys, `add` on a single-valued attribute,
// `members[value eq "x"]` removals, `remove members` with a value list (exactly those), `replace members []`.
// Users: the operations are applied to the user's SCIM document. Groups: members are never rewritten as a list:
// the operations become an ordered plan of per-member additions and removals (a `replace` of members alone needs
// the current members).
import { invalidPath, invalidValue } from './errors';

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:user:';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:group:';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:';

export type PatchOpName = 'add' | 'replace' | 'remove';
export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

/** The operations of a PATCH body, checked: 400 invalidValue / invalidSyntax otherwise. */
export function parsePatch(body: unknown): PatchOperation[] {
  const b = body as { schemas?: unknown; Operations?: unknown; operations?: unknown } | null;
  if (!b || typeof b !== 'object') throw invalidValue('A PATCH body is a PatchOp message');
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidValue('Operations: a non-empty list is required');
  if (ops.length > 1000) throw invalidValue('At most 1000 operations in one PATCH');
  return ops.map((raw, i) => {
    const o = raw as { op?: unknown; path?: unknown; value?: unknown } | null;
    const op = typeof o?.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw invalidValue(`Operations[${i}].op: add, replace or remove`);
    if (o?.path !== undefined && typeof o.path !== 'string')
      throw invalidPath(`Operations[${i}].path must be a string`);
    const path = typeof o?.path === 'string' && o.path.trim() !== '' ? o.path.trim() : undefined;
    if (!path && op === 'remove') throw invalidPath('remove needs a path');
    if (!path && (typeof o?.value !== 'object' || o.value === null || Array.isArray(o.value))) {
      throw invalidValue(`Operations[${i}]: without a path, value must be an object of attributes`);
    }
    return { op, ...(path ? { path } : {}), ...(o && 'value' in o ? { value: o.value } : {}) } as PatchOperation;
  });
}

/** "True"/"False" (Entra) and real booleans; anything else is 400. */
export function booleanOf(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  throw invalidValue(`${what} must be a boolean`);
}

/** A path without its schema URN, lower-cased attribute names: `name.givenname`, `emails[type eq "work"].value`. */
export function normalizePath(path: string): string {
  let p = path.trim();
  const lower = p.toLowerCase();
  for (const urn of [CORE_USER, CORE_GROUP, ENTERPRISE]) {
    if (lower.startsWith(urn)) {
      p = p.slice(urn.length);
      break;
    }
  }
  // Attribute names are case-insensitive; the text of a value filter keeps its value's case.
  return p.replace(/^[^[]+/, (m) => m.toLowerCase()).replace(/\](\.[A-Za-z]+)$/, (m) => m.toLowerCase());
}

/** A path-less value object as (path, value) pairs: dotted and URN-qualified keys included. */
export function flatten(value: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    const k = key.toLowerCase();
    // An extension schema's object (enterprise user): its attributes, qualified.
    if (k.startsWith('urn:') && !k.includes(':user:') && !k.includes(':group:') && v && typeof v === 'object') {
      for (const [sub, sv] of Object.entries(v as Record<string, unknown>)) out.push([`${key}:${sub}`, sv]);
      continue;
    }
    if (k === 'name' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [sub, sv] of Object.entries(v as Record<string, unknown>)) out.push([`name.${sub}`, sv]);
      continue;
    }
    out.push([key, v]);
  }
  return out;
}

/** A member reference of a group: `{value}` objects (or bare ids). */
function memberIdsOf(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m, i) => {
    const id = typeof m === 'string' ? m : (m as { value?: unknown } | null)?.value;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64)
      throw invalidValue(`${what}[${i}].value must be an id`);
    return id;
  });
}

export type MemberStep = { kind: 'add' | 'remove'; ids: string[] } | { kind: 'set'; ids: string[] } | { kind: 'clear' };
export interface GroupPatchPlan {
  displayName?: string;
  externalId?: string | null;
  members: MemberStep[];
}

const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]$/i;

/** A group PATCH as attribute changes and ordered per-member steps. */
export function groupPatchPlan(ops: readonly PatchOperation[]): GroupPatchPlan {
  const plan: GroupPatchPlan = { members: [] };
  const setAttr = (path: string, value: unknown, op: PatchOpName) => {
    const p = normalizePath(path);
    if (p === 'displayname') {
      if (op === 'remove') throw invalidValue('displayName is required');
      if (typeof value !== 'string' || value.trim() === '') throw invalidValue('displayName must be a string');
      plan.displayName = value;
    } else if (p === 'externalid') {
      if (op === 'remove') plan.externalId = null;
      else if (typeof value !== 'string') throw invalidValue('externalId must be a string');
      else plan.externalId = value;
    } else if (p === 'members') {
      if (op === 'add') plan.members.push({ kind: 'add', ids: memberIdsOf(value, 'members') });
      else if (op === 'replace') plan.members.push({ kind: 'set', ids: memberIdsOf(value, 'members') });
      else if (value === undefined) plan.members.push({ kind: 'clear' });
      // Entra: remove members with a value list removes exactly those.
      else plan.members.push({ kind: 'remove', ids: memberIdsOf(value, 'members') });
    } else if (p === 'id' || p === 'meta' || p.startsWith('meta.')) {
      throw invalidPath(`${path} is read-only`);
    } else {
      const m = MEMBER_FILTER.exec(path.trim());
      if (m && op === 'remove') plan.members.push({ kind: 'remove', ids: [JSON.parse(`"${m[1]}"`) as string] });
      else throw invalidPath(`Unsupported path "${path}"`);
    }
  };
  for (const o of ops) {
    if (o.path) setAttr(o.path, o.value, o.op);
    else for (const [k, v] of flatten(o.value as Record<string, unknown>)) setAttr(k, v, o.op);
  }
  return plan;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The SCIM User document as stored and patched. */
export interface UserDoc {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  emails?: { value: string; type?: string; primary?: boolean }[];
  active: boolean;
  roles?: { value: string; primary?: boolean }[];
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw invalidValue(`${what} must be a string`);
  return v;
};

/** Applies user PATCH operations to a copy of `doc`. Attributes this service does not keep are accepted and ignored. */
export function applyUserPatch(doc: UserDoc, ops: readonly PatchOperation[]): UserDoc {
  const d: UserDoc = structuredClone(doc);
  const set = (rawPath: string, value: unknown, op: PatchOpName) => {
    const p = normalizePath(rawPath);
    const remove = op === 'remove';
    switch (p) {
      case 'active':
        if (remove) throw invalidValue('active cannot be removed');
        d.active = booleanOf(value, 'active');
        return;
      case 'username':
        if (remove) throw invalidValue('userName is required');
        d.userName = str(value, 'userName');
        return;
      case 'externalid':
        if (remove) delete d.externalId;
        else d.externalId = str(value, 'externalId');
        return;
      case 'displayname':
        if (remove) delete d.displayName;
        else d.displayName = str(value, 'displayName');
        return;
      case 'name':
        if (remove) delete d.name;
        // Only an object flattens to name.*: anything else would come back here as "name" (unbounded recursion).
        else if (!isObject(value)) throw invalidValue('name must be an object');
        else for (const [k, v] of flatten({ name: value })) set(k, v, op);
        return;
      case 'name.givenname':
      case 'name.familyname':
      case 'name.formatted': {
        const key = (
          { 'name.givenname': 'givenName', 'name.familyname': 'familyName', 'name.formatted': 'formatted' } as const
        )[p];
        d.name = { ...d.name };
        if (remove) delete d.name[key];
        else d.name[key] = str(value, p);
        return;
      }
      case 'emails':
        if (remove) delete d.emails;
        else d.emails = mergeList(op === 'add' ? d.emails : undefined, emailsOf(value), (e) => e.value.toLowerCase());
        return;
      case 'emails[type eq "work"].value': {
        const others = (d.emails ?? []).filter((e) => e.type !== 'work');
        d.emails = remove ? others : [...others, { value: str(value, 'emails.value'), type: 'work', primary: true }];
        return;
      }
      case 'roles':
        if (remove) delete d.roles;
        else d.roles = mergeList(op === 'add' ? d.roles : undefined, rolesOf(value), (r) => r.value);
        return;
      default:
        // title, phoneNumbers, addresses, locale, enterprise extension…: not kept by this service.
        if (p === 'id' || p.startsWith('meta')) throw invalidPath(`${rawPath} is read-only`);
        if (p.startsWith('members') || p.startsWith('groups'))
          throw invalidPath(`${rawPath} cannot be patched on a User`);
    }
  };
  for (const o of ops) {
    if (o.path) set(o.path, o.value, o.op);
    else if (!isObject(o.value)) throw invalidValue('An operation without a path needs an object value');
    else for (const [k, v] of flatten(o.value)) set(k, v, o.op);
  }
  return d;
}

function mergeList<T>(existing: T[] | undefined, added: T[], key: (t: T) => string): T[] {
  const out = [...(existing ?? [])];
  for (const a of added) {
    const i = out.findIndex((e) => key(e) === key(a));
    if (i >= 0) out[i] = a;
    else out.push(a);
  }
  return out;
}

export function emailsOf(value: unknown): NonNullable<UserDoc['emails']> {
  const list = Array.isArray(value) ? value : [value];
  return list.map((e, i) => {
    const o = e as { value?: unknown; type?: unknown; primary?: unknown } | null;
    if (!o || typeof o.value !== 'string') throw invalidValue(`emails[${i}].value must be a string`);
    return {
      value: o.value,
      ...(typeof o.type === 'string' ? { type: o.type } : {}),
      ...(o.primary !== undefined ? { primary: booleanOf(o.primary, `emails[${i}].primary`) } : {}),
    };
  });
}

export function rolesOf(value: unknown): NonNullable<UserDoc['roles']> {
  const list = Array.isArray(value) ? value : [value];
  return list.map((r, i) => {
    const v = typeof r === 'string' ? r : (r as { value?: unknown } | null)?.value;
    if (typeof v !== 'string' || v === '') throw invalidValue(`roles[${i}].value must be a role id`);
    const primary = (r as { primary?: unknown } | null)?.primary;
    return {
      value: v,
      ...(primary !== undefined && typeof r === 'object' ? { primary: booleanOf(primary, 'roles.primary') } : {}),
    };
  });
}
