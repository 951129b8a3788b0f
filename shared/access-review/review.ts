// The access review, on the same facts and rules as the decisions themselves: every member and API key with its
// role, effective permissions, the inboxes it reaches and how, and the last change the audit log holds about it
// (JSON pages or a formula-safe CSV). Nothing here writes.

import * as z from 'zod';
import { type Access, COMPANY_ADMIN_ROLE } from '../access';
import { lastAuditEntry } from '../audit/repository';
import { keyVerdictOf } from '../authzen/key-verdict';
import { type OutsideAdmin, outsideAdmins } from '../authzen/outside-admins';
import { type ApiKeyFacts, allApiKeys, allInboxes, Facts, settle } from '../authzen/repository';
import { nowMs } from '../clock';
import { queryCollectionPage } from '../db/ops';
import { readCursor, writeCursor } from '../db/pagination';
import { isCustomRoleId, type ResolvedRole, roleDefinition } from '../grants/guard';
import type { InboxRecord } from '../inboxes/repository';
import { toMember } from '../members/repository';
import type { Member } from '../members/schema';
import type { PermissionGrant, PermissionSet } from '../permissions/catalog';
import { type EffectiveSet, effectiveGrants, effectiveSet } from '../permissions/effective';
import { canSee } from '../permissions/inbox-visibility';
import { MEMBER_PREFIX } from '../table/members/keys';
import { wsCollection } from '../table/workspaces/keys';
import { toCsv } from '../text/csv';
import type { AccessReviewItem } from './schema';
import { ownerSet } from './simulate';

type Grant = PermissionGrant;

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
