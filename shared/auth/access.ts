// What a decision needs about a caller in a workspace, read in ONE DynamoDB round trip (BatchGetItem):
// the workspace item (plan id, settings), the caller's membership (or API key), the plan catalog, a
// company-admin grant and, for a custom role, the role item itself. Every item is small and bounded, so a
// decision reads the same few kilobytes in a workspace of five roles or of five thousand.
// Both the authorizer (cache miss) and handlers' write re-checks (consistent) use it, each with its own reader:
// the authorizer's signed fetches (no SDK client to load), the handlers' SDK client (shared/db/item-reader.ts).
//
// The role's key is only known once the membership is read. The caller's role id from the last decision
// (the authorizer context for a handler, a per-container memory for the authorizer) is asked for in the
// same batch; only when it is missing or stale (first sight of a caller in a container, or a role change)
// does a second read fetch the right role.
import * as z from 'zod/mini';
import { type Access, type Actor, COMPANY_ADMIN_ROLE, type Principal } from '../access';
import { nowMs } from '../clock';
import type { ItemReader } from '../db/item-reader';
import { parseItem } from '../db/items';
import type { PermissionSet } from '../permissions/catalog';
import {
  type EffectiveGrants,
  type EffectiveSet,
  effectiveGrants,
  effectiveSet,
  type MemberStanding,
} from '../permissions/effective';
import { type Plan, type PlanCatalog, planById } from '../permissions/plans';
import { builtinPermissions, isBuiltinRoleId, type WorkspaceRoleSettings } from '../permissions/roles';
import { apiKeyItemKey, apiKeyRecordKey } from '../table/api-keys/keys';
import { ApiKeyLookup } from '../table/api-keys/record';
import { MembershipRecord } from '../table/members/items';
import { memberKey, membershipKey } from '../table/members/keys';
import { companyAdminGrantKey } from '../table/organizations/keys';
import { planCatalogKey } from '../table/plans/keys';
import { roleKey } from '../table/roles/keys';
import type { RoleRecord } from '../table/roles/record';
import { workspaceKey } from '../table/workspaces/keys';
import { WorkspaceRecord } from '../table/workspaces/record';
import { companyAdminOwner, judgeKey, type KeyOwnerFacts, keyOwnerOf } from './key-standing';

type Key = { PK: string; SK: string };
type Item = Record<string, unknown>;

// Role ids seen per (principal, workspace) in this container: the guess for the next batch. Bounded.
const roleHints = new Map<string, string>();
// Whom an API key answers to (`cadmin_<userId>` or a member id), per key hash: a key's owner never changes, so
// once seen its owner's grant or member item (and that member's custom role) is asked for in the first batch.
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
  reader: ItemReader,
  wsId: string,
  principal: Principal,
  consistent = false,
  roleHint?: string,
): Promise<Access | undefined> {
  return (await loadAccessWith(reader, wsId, principal, consistent, roleHint, [])).access;
}

/**
 * `loadAccess`, with `extraKeys` (items of the workspace a write is about: a conversation, the caller's
 * member item) read in the same `BatchGetItem`, so a write's fresh check and its resource cost one round trip.
 * The extra items found are returned as read (absent ones are missing); callers parse them.
 */
export async function loadAccessWith(
  reader: ItemReader,
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
  const adminOwnerHint = companyAdminOwner(ownerHint);
  const ownerGrantHintKey = adminOwnerHint ? companyAdminGrantKey(adminOwnerHint, wsId) : undefined;
  const memberOwnerHint = ownerHint && !adminOwnerHint ? ownerHint : undefined;
  const ownerMemberHintKey = memberOwnerHint ? memberKey(wsId, memberOwnerHint) : undefined;
  const ownerRoleHintKey = memberOwnerHint ? `MEMBER#${memberOwnerHint}|${wsId}` : undefined;
  const ownerGuess = ownerRoleHintKey ? roleHints.get(ownerRoleHintKey) : undefined;
  const ownerGuessKey = ownerGuess && !isBuiltinRoleId(ownerGuess) ? roleKey(wsId, ownerGuess) : undefined;
  const keys: Key[] = [wsKey, principalKey, planCatalogKey()];
  for (const k of [grantKey, ownerGrantHintKey, ownerMemberHintKey, guessKey, ownerGuessKey]) {
    if (k && !keys.some((x) => x.PK === k.PK && x.SK === k.SK)) keys.push(k);
  }
  // Only keys inside this workspace's partition, and never one already asked for (BatchGet refuses duplicates).
  const asked = new Set(keys.map((k) => `${k.PK}|${k.SK}`));
  const extraWanted = extraKeys.filter((k) => {
    const id = `${k.PK}|${k.SK}`;
    if ((k.PK !== wsKey.PK && !k.PK.startsWith(`${wsKey.PK}#`)) || asked.has(id)) return false;
    asked.add(id);
    return true;
  });
  keys.push(...extraWanted);
  const items = await reader.batchGet(keys, consistent);
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
  let actor: Actor;
  // What holds a role here: a member (its term and grants ride on the membership pointer), or a key (a role alone).
  let standing: MemberStanding | undefined;
  // Terms and grants are honoured against the clock at decision time, before any sweep has removed them.
  const at = nowMs();
  // A custom role's item: read in the batch when asked for there, else read now.
  const roleItem = async (id: string) => {
    const k = roleKey(wsId, id);
    return keys.some((x) => x.PK === k.PK && x.SK === k.SK) ? find(k) : reader.getOne(k, consistent);
  };
  const setOf = (who: MemberStanding) => effectiveSetOf(who, at, workspace.settings, roleItem);
  let keyOwner: KeyOwnerFacts | undefined;
  if (principal.type === 'user') {
    userId = principal.userId;
    if (member) {
      ({ memberId, userId, email } = member);
      standing = member;
      actor = { credential: 'member', userId: member.userId, memberId: member.memberId };
    } else {
      memberId = `cadmin_${principal.userId}`;
      actor = { credential: 'companyAdmin', userId: principal.userId, memberId: null };
    }
  } else {
    const k = keyLookup;
    // Cheap refusals first: no owner read for a key of another workspace, revoked or suspended.
    if (!k || k.workspaceId !== wsId || k.revoked || k.suspended || !plan.features.includes('apiKeys'))
      return { access: undefined, extra: [] };
    // Whom the key answers to; a key made before owners were recorded: its record's creator, when a member.
    const ownerRef =
      k.ownerMemberId ??
      ownerHint ??
      keyOwnerOf({ createdBy: (await reader.getOne(apiKeyRecordKey(wsId, k.keyId), consistent))?.createdBy as string });
    if (ownerRef) remember(keyOwnerHints, principal.keyHash, ownerRef);
    const adminOwner = companyAdminOwner(ownerRef);
    if (!ownerRef) keyOwner = { kind: 'unknown' };
    else if (adminOwner) {
      // A company admin's key works only while that user holds the organization's grant for this workspace:
      // checked on every decision, so removing the admin (which deletes the grant) stops the key at once.
      const grant =
        adminOwner === adminOwnerHint
          ? find(ownerGrantHintKey)
          : await reader.getOne(companyAdminGrantKey(adminOwner, wsId), consistent);
      keyOwner = { kind: 'companyAdmin', userId: adminOwner, grant: grant ?? null };
    } else {
      // A member's key: that member must still be here and active, and caps what the key may do.
      const item =
        ownerRef === memberOwnerHint
          ? find(ownerMemberHintKey)
          : await reader.getOne(memberKey(wsId, ownerRef), consistent);
      const owner = item ? parseItem(OwnerMember, item, 'Member') : undefined;
      const ownerSet = owner && owner.status !== 'deactivated' ? await setOf(owner) : undefined;
      if (ownerSet && !ownerSet.deactivated && !isBuiltinRoleId(ownerSet.grants.roleId)) {
        rememberRole(`MEMBER#${ownerRef}|${wsId}`, ownerSet.grants.roleId);
      }
      keyOwner = {
        kind: 'member',
        memberId: ownerRef,
        member: owner ? { userId: owner.userId, ...(owner.status ? { status: owner.status } : {}) } : null,
        grantor:
          ownerSet && !ownerSet.deactivated
            ? { roleId: ownerSet.grants.roleId, permissions: ownerSet.permissions }
            : undefined,
      };
    }
    memberId = k.memberId;
    standing = { roleId: k.roleId };
    actor = { credential: 'apiKey', userId: null, memberId: null };
  }

  let roleId: string;
  let permissions: PermissionSet;
  let grants: EffectiveGrants | undefined;
  if (companyAdmin) {
    // The Owner's permissions whatever the membership says; its grants add nothing to them.
    roleId = standing ? effectiveGrants(standing, at).roleId : COMPANY_ADMIN_ROLE;
    permissions = builtinPermissions('owner', workspace.settings);
  } else {
    const set = standing && (await setOf(standing));
    // Fail closed: no standing, or one that holds nothing (deactivated), decides nothing.
    if (!set || set.deactivated) return { access: undefined, extra: [] };
    ({ permissions, grants } = set);
    roleId = grants.roleId;
    if (!isBuiltinRoleId(roleId)) rememberRole(hintKey, roleId);
    if (keyOwner && keyLookup) {
      // THE judgement of a key (shared with AuthZEN and the access review): its owner stands, and caps it.
      const verdict = judgeKey(
        { id: wsId, orgId: workspace.orgId, features: plan.features },
        keyLookup,
        permissions,
        keyOwner,
      );
      if (!verdict.ok) return { access: undefined, extra: [] };
      permissions = verdict.permissions;
      grants = undefined;
      actor = { credential: 'apiKey', ...verdict.person };
    }
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
      actor,
      companyAdmin,
      ...(companyAdmin && typeof grant?.adminSince === 'string' ? { companyAdminSince: grant.adminSince } : {}),
      ...(grants && (grants.roleGrant || grants.grants.length > 0) ? { grants } : {}),
    },
    extra,
  };
}

/**
 * THE effective set (`effectiveSet`: the rule of the guard, AuthZEN and the access review) on what the batch
 * read: the role in force is a built-in, or a custom role read by `roleItem` (from the batch, or read then).
 */
async function effectiveSetOf(
  who: MemberStanding,
  atMs: number,
  settings: WorkspaceRoleSettings,
  roleItem: (roleId: string) => Promise<Item | undefined>,
): Promise<EffectiveSet | undefined> {
  const read = new Map<string, PermissionSet>();
  const known = (id: string): PermissionSet | undefined =>
    isBuiltinRoleId(id) ? builtinPermissions(id, settings) : read.get(id);
  for (;;) {
    let unread: string | undefined;
    const set = effectiveSet(who, atMs, (id) => {
      const p = known(id);
      if (p === undefined) unread = id;
      return p;
    });
    if (set || unread === undefined) return set;
    read.set(unread, permissionsOf(await roleItem(unread)));
  }
}

/** What the access loader reads of a key's owner's member item (the authorizer bundles zod/mini only). */
const OwnerMember = z.object({
  id: z.string(),
  userId: z.string(),
  roleId: z.string(),
  status: MembershipRecord.shape.status,
  roleUntil: MembershipRecord.shape.roleUntil,
  previousRoleId: MembershipRecord.shape.previousRoleId,
  grants: MembershipRecord.shape.grants,
});

/** A custom role item's permissions; an unknown role holds nothing (fail closed). */
const permissionsOf = (item: Item | undefined): PermissionSet => (item as RoleRecord | undefined)?.permissions ?? {};
