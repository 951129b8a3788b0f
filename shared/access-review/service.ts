// Previews and reviews of access, on the same facts and rules as the decisions themselves:
// - a role edit (the PATCH body) or a member's role change, simulated: what is added and removed, who gains,
//   loses or keeps each permission and why, what the guard would refuse, and the version it was computed on;
// - the access review: every member and API key with its role, effective permissions, the inboxes it reaches
//   and how, and the last change the audit log holds about it (JSON pages or a formula-safe CSV).
// Nothing here writes.

import * as z from 'zod';
import { type Access, COMPANY_ADMIN_ROLE } from '../access';
import { apiKeysWithRole } from '../api-keys/repository';
import { lastAuditEntry } from '../audit/repository';
import { keyVerdictOf } from '../authzen/key-verdict';
import { type OutsideAdmin, outsideAdmins } from '../authzen/outside-admins';
import { type ApiKeyFacts, allApiKeys, allInboxes, Facts, settle } from '../authzen/repository';
import { nowMs } from '../clock';
import { queryCollectionPage } from '../db/ops';
import { readCursor, writeCursor } from '../db/pagination';
import { Conflict, InvalidRequest, NotFound } from '../errors';
import { type EffectiveSet, effectiveGrants, effectiveSet, unionPermissions } from '../grants/effective';
import {
  effectivePermissionsOf,
  excessOf,
  heldBy,
  isCustomRoleId,
  isOwnerTarget,
  isSelf,
  type ResolvedRole,
  resolveRole,
  roleDefinition,
  rolePermissions,
} from '../grants/guard';
import type { InboxRecord } from '../inboxes/repository';
import { canSee } from '../inboxes/service';
import { pendingInvitationsWithRole } from '../invitations/repository';
import { MEMBER_PREFIX } from '../members/keys';
import { getMember, membersWithRole, toMember } from '../members/repository';
import type { Member } from '../members/schema';
import {
  PERMISSION_FEATURE,
  PERMISSIONS,
  type Permission,
  type PermissionGrant,
  type PermissionSet,
  SCOPE_RANK,
} from '../permissions/catalog';
import { builtinPermissions, imitatesBuiltinName } from '../permissions/roles';
import type { UpdateRoleBody } from '../roles/schema';
import { buildPermissionSet, cloneBase, customRoleOrRefuse } from '../roles/service';
import { toCsv } from '../text/csv';
import { wsCollection } from '../workspaces/keys';
import type { AccessReviewItem } from './schema';

type Grant = PermissionGrant;
type HolderRef = { type: 'member' | 'invitation' | 'apiKey'; id: string; label: string };
interface Holder extends HolderRef {
  companyAdmin: boolean;
  /** Deactivated: holds nothing before or after. */
  deactivated?: boolean;
  before: PermissionSet;
  after: PermissionSet;
}
interface Problem {
  kind: 'escalation' | 'plan' | 'name' | 'role' | 'self' | 'owner' | 'deactivated';
  message: string;
  permission?: Permission;
  feature?: string;
  exceeds?: { permission: Permission; requested: Grant; held: Grant | null }[];
}

const COMPANY_ADMIN_REASON = 'Company admin: holds every permission of the Owner whatever the role';
const DEACTIVATED_REASON = 'Deactivated: holds nothing whatever the role';

const keepsReason = (h: Holder) =>
  h.companyAdmin ? COMPANY_ADMIN_REASON : h.deactivated ? DEACTIVATED_REASON : 'Held the same way';

const rank = (g: Grant) => (g === true ? 3 : SCOPE_RANK[g]);

/** How one permission moves from `a` to `b` (undefined: not held), or null when it does not. */
function movement(a: Grant | undefined, b: Grant | undefined): 'added' | 'removed' | 'widened' | 'narrowed' | null {
  if (a === b) return null;
  if (a === undefined) return 'added';
  if (b === undefined) return 'removed';
  return rank(b) > rank(a) ? 'widened' : 'narrowed';
}

/** Per permission whose grant changes between the role sets: who gains, loses or keeps it. */
function changesOf(before: PermissionSet, after: PermissionSet, holders: readonly Holder[]) {
  const out = [];
  for (const def of PERMISSIONS) {
    const change = movement(before[def.key], after[def.key]);
    if (!change) continue;
    const gain: HolderRef[] = [];
    const lose: HolderRef[] = [];
    const unchanged: (HolderRef & { reason: string })[] = [];
    for (const h of holders) {
      const ref = { type: h.type, id: h.id, label: h.label };
      const moved = movement(h.before[def.key], h.after[def.key]);
      if (moved === null) unchanged.push({ ...ref, reason: keepsReason(h) });
      else if (moved === 'added' || moved === 'widened') gain.push(ref);
      else lose.push(ref);
    }
    out.push({
      permission: def.key,
      before: before[def.key] ?? null,
      after: after[def.key] ?? null,
      change,
      gain,
      lose,
      unchanged,
    });
  }
  return out;
}

function escalation(access: Access, set: PermissionSet, what: string): Problem[] {
  const exceeds = excessOf(access, set);
  if (exceeds.length === 0) return [];
  return [
    {
      kind: 'escalation',
      message: `You cannot grant permissions you do not hold (${what}): ${exceeds.map((e) => `"${e.permission}"`).join(', ')}`,
      permission: exceeds[0]?.permission,
      exceeds: exceeds.map((e) => ({ permission: e.permission, requested: e.requested, held: e.held })),
    },
  ];
}

/** Permissions granted that do nothing on this plan (every role, the Owner included, lacks the feature). */
function planProblems(access: Access, set: PermissionSet): Problem[] {
  const out: Problem[] = [];
  for (const def of PERMISSIONS) {
    const feature = PERMISSION_FEATURE[def.key];
    if (set[def.key] !== undefined && feature && !access.plan.features.includes(feature)) {
      out.push({
        kind: 'plan',
        message: `"${def.key}" is granted but the ${access.plan.id} plan lacks the feature "${feature}": it has no effect`,
        permission: def.key,
        feature,
      });
    }
  }
  return out;
}

/** Which of these users hold a company-admin grant for the workspace now (one batch read). */
async function companyAdmins(access: Access, userIds: readonly string[]): Promise<Set<string>> {
  const f = new Facts(access.workspace);
  const flags = await settle(f, () => userIds.map((u) => f.companyAdmin(u)));
  return new Set(userIds.filter((_, i) => flags[i] === true));
}

const ownerSet = (access: Access) => builtinPermissions('owner', access.workspace.settings);

export async function simulateRoleEdit(access: Access, roleId: string, input: UpdateRoleBody) {
  const ws = access.workspace;
  const role = await customRoleOrRefuse(ws, roleId);
  if (input.version !== undefined && input.version !== role.version) {
    throw new Conflict('The role changed since you read it (stale version)', { version: role.version });
  }
  const base = await cloneBase(ws, input.cloneFrom, role.permissions);
  const after = buildPermissionSet(base, input.sections, input.permissions);
  const [members, invitations, keys] = await Promise.all([
    membersWithRole(ws.id, roleId),
    pendingInvitationsWithRole(ws.id, roleId),
    apiKeysWithRole(ws.id, roleId),
  ]);
  const admins = await companyAdmins(
    access,
    members.map((m) => m.userId),
  );
  const owner = ownerSet(access);
  // Each member's effective set with the role as it is and as edited (what /me shows): its grants in force
  // count on both sides, a deactivated member holds nothing, and a member whose term on this role is over
  // (not swept yet) holds its previous role, which the edit does not touch.
  const at = nowMs();
  const others = new Map<string, PermissionSet>();
  for (const m of members) {
    const inForce = effectiveGrants(m, at).roleId;
    if (inForce !== roleId && !others.has(inForce)) others.set(inForce, await rolePermissions(ws, inForce));
  }
  const effectiveWith = (m: Member, set: PermissionSet) =>
    (effectiveSet(m, at, (id) => (id === roleId ? set : others.get(id))) as EffectiveSet).permissions;
  const holders: Holder[] = [
    ...members.map((m) => {
      const companyAdmin = admins.has(m.userId);
      return {
        type: 'member' as const,
        id: m.id,
        label: m.email,
        companyAdmin,
        deactivated: m.status === 'deactivated',
        before: companyAdmin ? owner : effectiveWith(m, role.permissions),
        after: companyAdmin ? owner : effectiveWith(m, after),
      };
    }),
    ...invitations.map((i) => ({
      type: 'invitation' as const,
      id: i.id,
      label: i.email,
      companyAdmin: false,
      before: role.permissions,
      after,
    })),
    ...keys.map((k) => ({
      type: 'apiKey' as const,
      id: k.id,
      label: k.name,
      companyAdmin: false,
      before: role.permissions,
      after,
    })),
  ].sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));

  const problems: Problem[] = [
    ...escalation(access, role.permissions, 'editing a role that holds more than you'),
    ...escalation(access, after, 'editing a role'),
    ...(input.name !== undefined && imitatesBuiltinName(input.name)
      ? [{ kind: 'name' as const, message: `"${input.name}" is reserved for a built-in role` }]
      : []),
    ...planProblems(access, after),
  ];
  return {
    roleId,
    version: role.version,
    mayApply: problems.every((p) => p.kind === 'plan'),
    permissionsBefore: role.permissions,
    permissionsAfter: after,
    changes: changesOf(role.permissions, after, holders),
    holders: holders.map((h) => ({
      type: h.type,
      id: h.id,
      label: h.label,
      companyAdmin: h.companyAdmin,
      permissionsBefore: h.before,
      permissionsAfter: h.after,
    })),
    problems,
  };
}

/** The inboxes a member reaches directly or through teams, and the teams through which. */
async function reachOf(access: Access, member: Member) {
  const f = new Facts(access.workspace);
  const teams = await settle(f, () => member.teamIds.map((t) => f.team(t)));
  const byInbox = new Map<string, string[]>();
  for (const t of teams) for (const i of t?.inboxIds ?? []) byInbox.set(i, [...(byInbox.get(i) ?? []), t?.id ?? '']);
  const reach = new Set([...member.inboxIds, ...byInbox.keys()]);
  return { reach, byInbox };
}

export async function simulateMemberRole(access: Access, memberId: string, roleId: string) {
  const ws = access.workspace;
  const member = await getMember(ws.id, memberId, true);
  if (!member) throw new NotFound('Member');
  // Now: the member's effective set (the role in force, grants in force; nothing once deactivated). After: the
  // new role for good (a PATCH without `until` ends a running term) with the same grants in force.
  const now = await effectivePermissionsOf(ws, member);
  const fromRoleId = now.grants.roleId;
  const [current, next, held] = await Promise.all([
    resolveRole(ws, fromRoleId),
    resolveRole(ws, roleId),
    heldBy(ws, member),
  ]);
  if (!next) {
    throw new InvalidRequest('Not an assignable role', [
      { path: 'body.roleId', message: `No role "${roleId}" in this workspace` },
    ]);
  }
  const companyAdmin = (await companyAdmins(access, [member.userId])).has(member.userId);
  const owner = ownerSet(access);
  const deactivated = member.status === 'deactivated';
  const holder: Holder = {
    type: 'member',
    id: member.id,
    label: member.email,
    companyAdmin,
    deactivated,
    before: companyAdmin ? owner : now.permissions,
    after: companyAdmin ? owner : deactivated ? {} : unionPermissions(next.permissions, now.grants.extra),
  };
  const problems: Problem[] = [];
  if (isSelf(access, member)) problems.push({ kind: 'self', message: 'Nobody changes their own role' });
  if (isOwnerTarget(member)) {
    problems.push({ kind: 'owner', message: 'The Owner is changed only by an ownership transfer (POST /ownership)' });
  }
  if (deactivated) {
    problems.push({ kind: 'deactivated', message: 'The member is deactivated: reactivate them first' });
  }
  if (roleId === 'owner') problems.push({ kind: 'role', message: 'Ownership moves only by POST /ownership' });
  if (next.kind === 'template') {
    problems.push({ kind: 'role', message: 'Templates are starting points: clone one into a custom role first' });
  }
  problems.push(
    // What the guard's assertMayManage checks: every role held now or after a term, and grants in force.
    ...escalation(access, held, 'changing a member whose role holds more than yours'),
    ...escalation(access, next.permissions, 'assigning a role'),
    ...planProblems(access, next.permissions),
  );
  const [{ reach }, inboxes] = await Promise.all([reachOf(access, member), allInboxes(ws.id)]);
  const sees = (permissions: PermissionSet) =>
    new Set(inboxes.filter((i) => canSee({ memberId: member.id, permissions }, i, reach)).map((i) => i.id));
  const seenBefore = sees(holder.before);
  const seenAfter = sees(holder.after);
  return {
    memberId,
    fromRoleId,
    toRoleId: roleId,
    memberVersion: member.version ?? 1,
    roleVersion: next.record?.version ?? null,
    mayApply: problems.every((p) => p.kind === 'plan'),
    companyAdmin,
    permissionsBefore: holder.before,
    permissionsAfter: holder.after,
    changes: changesOf(current?.permissions ?? {}, next.permissions, [holder]),
    inboxes: {
      gain: [...seenAfter].filter((i) => !seenBefore.has(i)).sort(),
      lose: [...seenBefore].filter((i) => !seenAfter.has(i)).sort(),
    },
    problems,
  };
}

// ---- access review

// Phases: members (a Query cursor), then company admins who are not members, then API keys (offsets into sorted lists).
type ReviewCursor = { p: 'm'; c?: string } | { p: 'a'; o: number } | { p: 'k'; o: number };
const ReviewCursorState = z.union([
  z.object({ p: z.literal('m'), c: z.string() }),
  z.object({ p: z.enum(['a', 'k']), o: z.int().min(0) }),
]);

const readReviewCursor = (cursor: string | undefined): ReviewCursor =>
  cursor === undefined ? { p: 'm' } : readCursor(cursor, ReviewCursorState);
const writeReviewCursor = (c: ReviewCursor) => writeCursor(c);

/** What the review shows of a target's newest audit entry. */
async function lastEntry(wsId: string, target: { type: string; id: string }) {
  const e = await lastAuditEntry(wsId, target);
  return e && { at: e.at, action: e.action, target: e.target, actor: e.actor };
}

type Entry = Awaited<ReturnType<typeof lastEntry>>;
const newest = (entries: Entry[]): Entry =>
  entries.reduce<Entry>((a, b) => (b !== null && (a === null || b.at > a.at) ? b : a), null);

interface ReviewContext {
  access: Access;
  inboxes: InboxRecord[];
  facts: Facts;
  lastOf: (target: { type: string; id: string }) => Promise<Entry>;
  /** Company admins of the workspace's organization who are not members (read once per answer). */
  outsideAdmins: () => Promise<OutsideAdmin[]>;
}

async function reviewContext(access: Access): Promise<ReviewContext> {
  const memo = new Map<string, Promise<Entry>>();
  const facts = new Facts(access.workspace);
  let admins: Promise<OutsideAdmin[]> | undefined;
  return {
    access,
    inboxes: (await allInboxes(access.workspace.id)).sort((a, b) => a.id.localeCompare(b.id)),
    facts,
    outsideAdmins: () => {
      admins ??= outsideAdmins(facts);
      return admins;
    },
    lastOf: (t) => {
      const k = `${t.type}#${t.id}`;
      const known = memo.get(k);
      if (known) return known;
      const p = lastEntry(access.workspace.id, t);
      memo.set(k, p);
      return p;
    },
  };
}

/**
 * The inboxes `memberId` sees with `permissions`, and how: directly (`direct`), through teams (`byInbox`: inbox →
 * team ids), or through the permissions alone (`public`, `private access`); a personal inbox only its owner's.
 */
function inboxesReached(
  ctx: ReviewContext,
  memberId: string,
  permissions: PermissionSet,
  direct: readonly string[],
  byInbox: ReadonlyMap<string, string[]>,
): AccessReviewItem['inboxes'] {
  const reach = new Set([...direct, ...byInbox.keys()]);
  return ctx.inboxes
    .filter((inbox) => canSee({ memberId, permissions }, inbox, reach))
    .map((inbox) => {
      const via: AccessReviewItem['inboxes'][number]['via'] = [];
      if (inbox.kind === 'personal') via.push('personal');
      else {
        if (direct.includes(inbox.id)) via.push('direct');
        if (byInbox.has(inbox.id)) via.push('team');
        if (
          inbox.visibility === 'private' &&
          (permissions['inboxes.private.access'] || permissions['inboxes.private.configure'])
        ) {
          via.push('private access');
        }
        if (
          inbox.visibility === 'public' &&
          (permissions['messages.view'] || permissions['inboxes.public.configure'])
        ) {
          via.push('public');
        }
      }
      return {
        inboxId: inbox.id,
        name: inbox.name,
        visibility: inbox.visibility,
        kind: inbox.kind,
        via,
        teamIds: [...(byInbox.get(inbox.id) ?? [])].sort(),
      };
    });
}

/** Reviews a set of members and keys: their roles, teams and grants read together (one wave each). */
async function review(
  ctx: ReviewContext,
  members: Member[],
  keys: ApiKeyFacts[],
  admins: readonly OutsideAdmin[] = [],
): Promise<AccessReviewItem[]> {
  const { access, facts: f } = ctx;
  const ws = access.workspace;
  const roleOf = (roleId: string): ResolvedRole | undefined | null => {
    if (!isCustomRoleId(roleId)) return roleDefinition(ws, roleId, undefined);
    const r = f.customRole(roleId);
    return r === undefined ? null : roleDefinition(ws, roleId, r ?? undefined);
  };
  // Every row is as of one instant: grants and terms end at the same moment for all of them.
  const at = nowMs();
  const permissionsOf = (roleId: string) => {
    const r = roleOf(roleId);
    return r === null ? undefined : (r?.permissions ?? {});
  };
  // One pass asks for every role, team and grant; `settle` reads them in waves.
  const facts = await settle(f, () => ({
    members: members.map((m) => {
      // The same effective set the guard and the authorizer decide on (undefined while its role is read).
      const effective = effectiveSet(m, at, permissionsOf);
      const inForce = effectiveGrants(m, at).roleId;
      return {
        effective,
        role: roleOf(inForce),
        inForce,
        teams: m.teamIds.map((t) => f.team(t)),
        companyAdmin: f.companyAdmin(m.userId),
      };
    }),
    keys: keys.map((k) => ({
      role: roleOf(k.roleId),
      // THE judgement the access loader makes of a key (judgeKey): what the authorizer would let it do now.
      verdict: keyVerdictOf(f, k, access.plan.features, at),
    })),
  }));
  const owner = ownerSet(access);
  const items: AccessReviewItem[] = [];
  for (const [i, m] of members.entries()) {
    const mf = facts.members[i]!;
    const effective = mf.effective as EffectiveSet;
    const role = mf.role ?? undefined;
    const companyAdmin = mf.companyAdmin === true;
    // A company admin keeps the Owner's permissions whatever its membership says (as the authorizer decides).
    const permissions = companyAdmin ? owner : effective.permissions;
    const holdsNothing = effective.deactivated && !companyAdmin;
    const byInbox = new Map<string, string[]>();
    for (const t of mf.teams)
      for (const id of t?.inboxIds ?? []) byInbox.set(id, [...(byInbox.get(id) ?? []), t?.id ?? '']);
    const inboxes = holdsNothing ? [] : inboxesReached(ctx, m.id, permissions, m.inboxIds, byInbox);
    const lastChange = newest(
      await Promise.all([
        ctx.lastOf({ type: 'member', id: m.id }),
        ...(isCustomRoleId(m.roleId) ? [ctx.lastOf({ type: 'role', id: m.roleId })] : []),
        ...m.teamIds.map((t) => ctx.lastOf({ type: 'team', id: t })),
      ]),
    );
    items.push({
      type: 'member',
      id: m.id,
      label: m.email,
      userId: m.userId,
      roleId: mf.inForce,
      roleName: role?.name ?? mf.inForce,
      companyAdmin,
      status: effective.deactivated ? 'deactivated' : 'active',
      permissions,
      grants: effective.grants.grants.map((g) => ({
        id: g.id,
        permissions: g.permissions,
        until: g.until,
        ...(g.reason !== undefined ? { reason: g.reason } : {}),
        ...(g.grantedBy !== undefined ? { grantedBy: g.grantedBy } : {}),
        ...(g.grantedAt !== undefined ? { grantedAt: g.grantedAt } : {}),
      })),
      roleGrant: effective.grants.roleGrant ?? null,
      inboxes,
      lastChange,
    });
  }
  for (const a of admins) {
    // As the authorizer decides: the Owner's permissions, acting as `cadmin_<user>` (which owns no personal
    // inbox); no assignment, so every inbox is reached through those permissions.
    items.push({
      type: 'companyAdmin',
      id: a.userId,
      label: a.email ?? a.userId,
      userId: a.userId,
      roleId: COMPANY_ADMIN_ROLE,
      roleName: 'Company admin',
      companyAdmin: true,
      status: 'active',
      permissions: owner,
      grants: [],
      roleGrant: null,
      inboxes: inboxesReached(ctx, `cadmin_${a.userId}`, owner, [], new Map()),
      lastChange: await ctx.lastOf({ type: 'companyAdmin', id: a.userId }),
    });
  }
  for (const [i, k] of keys.entries()) {
    const role = facts.keys[i]?.role ?? undefined;
    const verdict = facts.keys[i]?.verdict;
    const lastChange = newest(
      await Promise.all([
        ctx.lastOf({ type: 'apiKey', id: k.id }),
        ...(isCustomRoleId(k.roleId) ? [ctx.lastOf({ type: 'role', id: k.roleId })] : []),
      ]),
    );
    items.push({
      type: 'apiKey',
      id: k.id,
      label: k.name,
      userId: null,
      roleId: k.roleId,
      roleName: role?.name ?? k.roleId,
      companyAdmin: false,
      // Suspended: its member was deactivated or removed, or the company admin who made it is no longer one (the
      // authorizer refuses it). On a plan without apiKeys it does nothing either, and is not suspended.
      status: verdict && !verdict.ok && verdict.suspended ? 'suspended' : 'active',
      // A key reaches no inbox by assignment; it acts with its role's permissions capped at what its owner may
      // grant now, as the access loader decides.
      permissions: verdict?.ok ? verdict.permissions : {},
      grants: [],
      roleGrant: null,
      inboxes: [],
      lastChange,
    });
  }
  return items;
}

/** One page: members first (a Query page), then company admins who are not members, then API keys (both few). */
export async function accessReviewPage(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const ws = access.workspace;
  const at = readReviewCursor(page.cursor);
  const ctx = await reviewContext(access);
  const keys = async () => (await allApiKeys(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
  // Where the list goes once a phase is over: the next phase that has rows, or the end.
  const after = async (phase: 'm' | 'a'): Promise<string | null> => {
    if (phase === 'm' && (await ctx.outsideAdmins()).length > 0) return writeReviewCursor({ p: 'a', o: 0 });
    return (await keys()).length > 0 ? writeReviewCursor({ p: 'k', o: 0 }) : null;
  };
  if (at.p === 'm') {
    const members = await queryCollectionPage(
      wsCollection(ws.id, MEMBER_PREFIX),
      { limit: page.limit, cursor: at.c },
      toMember,
    );
    const items = await review(ctx, members.items, []);
    return {
      items,
      nextCursor: members.nextCursor ? writeReviewCursor({ p: 'm', c: members.nextCursor }) : await after('m'),
    };
  }
  if (at.p === 'a') {
    const admins = await ctx.outsideAdmins();
    const end = at.o + page.limit;
    return {
      items: await review(ctx, [], [], admins.slice(at.o, end)),
      nextCursor: end < admins.length ? writeReviewCursor({ p: 'a', o: end }) : await after('a'),
    };
  }
  const all = await keys();
  const end = at.o + page.limit;
  return {
    items: await review(ctx, [], all.slice(at.o, end)),
    nextCursor: end < all.length ? writeReviewCursor({ p: 'k', o: end }) : null,
  };
}

const REVIEW_MAX = 50_000;

/** The whole review as CSV (formula-safe cells, shared/text/csv.ts). */
export async function accessReviewCsv(access: Access): Promise<{ body: string; contentType: string }> {
  const ws = access.workspace;
  const ctx = await reviewContext(access);
  const rows: AccessReviewItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryCollectionPage(wsCollection(ws.id, MEMBER_PREFIX), { limit: 100, cursor }, toMember);
    rows.push(...(await review(ctx, page.items, [])));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < REVIEW_MAX);
  rows.push(...(await review(ctx, [], [], await ctx.outsideAdmins())));
  rows.push(
    ...(await review(
      ctx,
      [],
      (await allApiKeys(ws.id)).sort((a, b) => a.id.localeCompare(b.id)),
    )),
  );
  const grant = (g: Grant) => (g === true ? '' : `:${g}`);
  const body = toCsv(
    [
      'type',
      'id',
      'label',
      'userId',
      'roleId',
      'roleName',
      'companyAdmin',
      'permissions',
      'inboxes',
      'lastChangeAt',
      'lastChangeAction',
      'lastChangeBy',
      'status',
      'grants',
      'roleUntil',
      'previousRoleId',
    ],
    rows.map((r) => [
      r.type,
      r.id,
      r.label,
      r.userId,
      r.roleId,
      r.roleName,
      r.companyAdmin,
      Object.entries(r.permissions)
        .map(([k, g]) => `${k}${grant(g as Grant)}`)
        .join(' '),
      r.inboxes.map((i) => `${i.name} (${i.inboxId}) via ${i.via.join('+')}`).join('; '),
      r.lastChange?.at ?? '',
      r.lastChange?.action ?? '',
      r.lastChange?.actor.memberId ?? r.lastChange?.actor.userId ?? '',
      r.status,
      r.grants
        .map(
          (g) =>
            `${Object.entries(g.permissions)
              .map(([k, v]) => `${k}${grant(v as Grant)}`)
              .join(' ')} until ${g.until}`,
        )
        .join('; '),
      r.roleGrant?.until ?? '',
      r.roleGrant?.previousRoleId ?? '',
    ]),
  );
  return { body, contentType: 'text/csv; charset=utf-8' };
}
