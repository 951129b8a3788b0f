// What a decision needs about a caller in a workspace, read in ONE DynamoDB round trip (BatchGetItem):
// the workspace item (plan id, settings), the caller's membership (or API key), the plan catalog, a
// company-admin grant and, for a custom role, the role item itself. Every item is small and bounded, so a
// decision reads the same few kilobytes in a workspace of five roles or of five thousand.
// Both the authorizer (cache miss) and handlers' write re-checks (consistent) use it.
//
// The role's key is only known once the membership is read. The caller's role id from the last decision
// (the authorizer context for a handler, a per-container memory for the authorizer) is asked for in the
// same batch; only when it is missing or stale (first sight of a caller in a container, or a role change)
// does a second read fetch the right role.
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyItemKey } from '../api-keys/keys';
import { ApiKeyLookup, COMPANY_ADMIN_OWNER_PREFIX } from '../api-keys/record';
import { nowMs } from '../clock';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { parseItem } from '../db/items';
import {
  type EffectiveGrants,
  type EffectiveSet,
  effectiveGrants,
  effectiveSet,
  type MemberStanding,
} from '../grants/effective';
import { MembershipRecord } from '../members/items';
import { membershipKey } from '../members/keys';
import { companyAdminGrantKey } from '../organizations/keys';
import type { PermissionSet } from '../permissions/catalog';
import { builtinPermissions, isBuiltinRoleId, type WorkspaceRoleSettings } from '../permissions/roles';
import { planCatalogKey } from '../plans/keys';
import { type Plan, type PlanCatalog, planById } from '../plans/plans';
import { roleKey } from '../roles/keys';
import type { RoleRecord } from '../roles/repository';
import { workspaceKey } from '../workspaces/keys';
import { WorkspaceRecord } from '../workspaces/record';

/** The role id a company admin without a membership acts under (not a role anyone can be given). */
export const COMPANY_ADMIN_ROLE = 'companyAdmin';

export type Principal = { type: 'user'; userId: string } | { type: 'apiKey'; keyHash: string };

export interface Access {
  workspace: WorkspaceRecord;
  memberId: string;
  roleId: string;
  userId: string | null;
  email: string | null;
  permissions: PermissionSet;
  plan: Plan;
  source: 'app' | 'apiKey';
  /** A company admin of the workspace's organization: full access, exempt from custom roles. */
  companyAdmin: boolean;
  /** A company admin's grant's `adminSince` (its tenure), recorded on the API keys it makes. */
  companyAdminSince?: string;
  /**
   * Time-bound grants in force at decision time (members only): a role until a time, extra permission sets.
   * `permissions` already includes them; `expiresAt` is the nearest instant one of them stops counting.
   */
  grants?: EffectiveGrants;
}

type Key = { PK: string; SK: string };
type Item = Record<string, unknown>;

// Role ids seen per (principal, workspace) in this container: the guess for the next batch. Bounded.
const roleHints = new Map<string, string>();
// The company admin (user id) an API key answers to, per key hash: a key's owner never changes, so once seen
// its grant is asked for in the first batch. Ordinary keys are never in it and cost no extra read.
const keyOwnerHints = new Map<string, string>();
const MAX_HINTS = 10_000;
function remember(hints: Map<string, string>, hintKey: string, value: string) {
  if (hints.get(hintKey) === value) return;
  hints.delete(hintKey);
  if (hints.size >= MAX_HINTS) hints.delete(hints.keys().next().value as string);
  hints.set(hintKey, value);
}
const rememberRole = (hintKey: string, roleId: string) => remember(roleHints, hintKey, roleId);

/**
 * `undefined` when the caller has no standing in the workspace, or it does not exist: the two look alike.
 * `roleHint` is the role id the caller held at the last decision, when the caller knows it.
 */
export async function loadAccess(
  wsId: string,
  principal: Principal,
  consistent = false,
  roleHint?: string,
): Promise<Access | undefined> {
  return (await loadAccessWith(wsId, principal, consistent, roleHint, [])).access;
}

/**
 * `loadAccess`, with `extraKeys` (items of the workspace a write is about: a conversation, the caller's
 * member item) read in the same `BatchGetItem`, so a write's fresh check and its resource cost one round trip.
 * The extra items found are returned as read (absent ones are missing); callers parse them.
 */
export async function loadAccessWith(
  wsId: string,
  principal: Principal,
  consistent: boolean,
  roleHint: string | undefined,
  extraKeys: readonly Key[],
): Promise<{ access: Access | undefined; extra: Item[] }> {
  const wsKey = workspaceKey(wsId);
  const principalKey =
    principal.type === 'user' ? membershipKey(principal.userId, wsId) : apiKeyItemKey(principal.keyHash);
  const grantKey = principal.type === 'user' ? companyAdminGrantKey(principal.userId, wsId) : undefined;
  const hintKey = `${principalKey.PK}|${wsId}`;
  const guess = roleHint ?? roleHints.get(hintKey);
  const guessKey = guess && !isBuiltinRoleId(guess) ? roleKey(wsId, guess) : undefined;
  const ownerHint = principal.type === 'apiKey' ? keyOwnerHints.get(principal.keyHash) : undefined;
  const ownerGrantHintKey = ownerHint ? companyAdminGrantKey(ownerHint, wsId) : undefined;
  const keys: Key[] = [wsKey, principalKey, planCatalogKey()];
  if (grantKey) keys.push(grantKey);
  if (ownerGrantHintKey) keys.push(ownerGrantHintKey);
  if (guessKey) keys.push(guessKey);
  // Only keys inside this workspace's partition, and never one already asked for (BatchGet refuses duplicates).
  const asked = new Set(keys.map((k) => `${k.PK}|${k.SK}`));
  const extraWanted = extraKeys.filter((k) => {
    const id = `${k.PK}|${k.SK}`;
    if ((k.PK !== wsKey.PK && !k.PK.startsWith(`${wsKey.PK}#`)) || asked.has(id)) return false;
    asked.add(id);
    return true;
  });
  keys.push(...extraWanted);
  const items = await batchGet(keys, consistent);
  const extra = extraWanted.flatMap((k) => {
    const found = items.find((i) => i.PK === k.PK && i.SK === k.SK);
    return found ? [found] : [];
  });
  const find = (k: Key | undefined) => (k ? items.find((i) => i.PK === k.PK && i.SK === k.SK) : undefined);
  const wsItem = find(wsKey);
  const workspace = wsItem ? parseItem(WorkspaceRecord, wsItem, 'Workspace') : undefined;
  // The caller's own item: a user's membership pointer, or an API key's lookup.
  const who = find(principalKey);
  const membership = principal.type === 'user' && who ? parseItem(MembershipRecord, who, 'Membership') : undefined;
  const keyLookup = principal.type === 'apiKey' && who ? parseItem(ApiKeyLookup, who, 'API key lookup') : undefined;
  const catalog = find(planCatalogKey()) as PlanCatalog | undefined;
  const grant = find(grantKey);
  // A grant counts only for the organization the workspace belongs to now.
  const companyAdmin = grant !== undefined && workspace !== undefined && grant.orgId === workspace.orgId;
  // A deactivated member has no standing: the same answer as a non-member (a company admin keeps theirs).
  const member = membership?.status === 'deactivated' ? undefined : membership;
  if (!workspace || (!member && !keyLookup && !companyAdmin)) return { access: undefined, extra: [] };

  // Fail closed: a workspace whose plan cannot be found gets no features and no limits beyond zero.
  const plan: Plan = planById(catalog, workspace.planId) ?? {
    id: workspace.planId,
    name: workspace.planId,
    features: [],
    limits: { customRoles: 0, seats: 0 },
  };

  let memberId: string;
  let userId: string | null = null;
  let email: string | null = null;
  // What holds a role here: a member (its term and grants ride on the membership pointer), or a key (a role alone).
  let standing: MemberStanding | undefined;
  if (principal.type === 'user') {
    userId = principal.userId;
    if (member) {
      ({ memberId, userId, email } = member);
      standing = member;
    } else memberId = `cadmin_${principal.userId}`;
  } else {
    const k = keyLookup;
    // A key works only in its workspace, and only while the plan includes API keys.
    if (!k || k.workspaceId !== wsId || k.revoked || k.suspended || !plan.features.includes('apiKeys'))
      return { access: undefined, extra: [] };
    // A key a company admin made works only while that user still holds the organization's grant for this
    // workspace: checked here, on every decision, so removing the admin (which deletes the grant) stops the key
    // with nothing to sweep and no window to race. Fail closed: no grant, or one of another organization.
    if (k.ownerMemberId?.startsWith(COMPANY_ADMIN_OWNER_PREFIX)) {
      const ownerUserId = k.ownerMemberId.slice(COMPANY_ADMIN_OWNER_PREFIX.length);
      const ownerGrant =
        ownerUserId === ownerHint
          ? find(ownerGrantHintKey)
          : await getOne(companyAdminGrantKey(ownerUserId, wsId), consistent);
      if (principal.type === 'apiKey') remember(keyOwnerHints, principal.keyHash, ownerUserId);
      // Only under the grant of the tenure the key was made in: an admin removed and added again does not get
      // back keys made before (a security admin revoking someone expects their keys gone for good).
      if (!ownerGrant || ownerGrant.orgId !== workspace.orgId || ownerGrant.adminSince !== k.ownerAdminSince)
        return { access: undefined, extra: [] };
    }
    memberId = k.memberId;
    standing = { roleId: k.roleId };
  }

  // Terms and grants are honoured against the clock at decision time, before any sweep has removed them.
  const at = nowMs();
  let roleId: string;
  let permissions: PermissionSet;
  let grants: EffectiveGrants | undefined;
  if (companyAdmin) {
    // The Owner's permissions whatever the membership says; its grants add nothing to them.
    roleId = standing ? effectiveGrants(standing, at).roleId : COMPANY_ADMIN_ROLE;
    permissions = builtinPermissions('owner', workspace.settings);
  } else {
    const set =
      standing &&
      (await effectiveSetOf(standing, at, workspace.settings, { roleId: guess, item: find(guessKey) }, (id) =>
        getOne(roleKey(wsId, id), consistent),
      ));
    // Fail closed: no standing, or one that holds nothing (deactivated), decides nothing.
    if (!set || set.deactivated) return { access: undefined, extra: [] };
    ({ permissions, grants } = set);
    roleId = grants.roleId;
    if (!isBuiltinRoleId(roleId)) rememberRole(hintKey, roleId);
  }

  return {
    access: {
      workspace,
      memberId,
      roleId,
      userId,
      email,
      permissions,
      plan,
      source: principal.type === 'user' ? 'app' : 'apiKey',
      companyAdmin,
      ...(companyAdmin && typeof grant?.adminSince === 'string' ? { companyAdminSince: grant.adminSince } : {}),
      ...(grants && (grants.roleGrant || grants.grants.length > 0) ? { grants } : {}),
    },
    extra,
  };
}

/**
 * THE effective set (`effectiveSet`: the rule of the guard, AuthZEN and the access review) on what the batch
 * read: the role in force is a built-in, the guessed custom role, or else read once more (`readRole`).
 */
async function effectiveSetOf(
  who: MemberStanding,
  atMs: number,
  settings: WorkspaceRoleSettings,
  guessed: { roleId: string | undefined; item: Item | undefined },
  readRole: (roleId: string) => Promise<Item | undefined>,
): Promise<EffectiveSet | undefined> {
  let unread: string | undefined;
  const read = (id: string): PermissionSet | undefined => {
    if (isBuiltinRoleId(id)) return builtinPermissions(id, settings);
    if (id === guessed.roleId) return permissionsOf(guessed.item);
    unread = id;
    return undefined;
  };
  const first = effectiveSet(who, atMs, read);
  if (first || unread === undefined) return first;
  const missing = unread;
  const item = await readRole(missing);
  return effectiveSet(who, atMs, (id) => (id === missing ? permissionsOf(item) : read(id)));
}

/** A custom role item's permissions; an unknown role holds nothing (fail closed). */
const permissionsOf = (item: Item | undefined): PermissionSet => (item as RoleRecord | undefined)?.permissions ?? {};

// Plain SDK calls: the authorizer bundles this file and stays small (no repositories; items parsed with zod/mini).
async function getOne(key: Key, consistent: boolean): Promise<Item | undefined> {
  try {
    return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }))).Item;
  } catch (err) {
    return mapDbError(err);
  }
}

async function batchGet(keys: Key[], consistent: boolean): Promise<Item[]> {
  try {
    const res = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: consistent } } }),
    );
    if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) {
      // Partial answers happen under throttling: treat as unavailable rather than decide on half the facts.
      return mapDbError({ name: 'ThrottlingException' });
    }
    return (res.Responses?.[tableName] ?? []) as Item[];
  } catch (err) {
    return mapDbError(err);
  }
}
