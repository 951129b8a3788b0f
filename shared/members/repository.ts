import * as z from 'zod';
import { DeleteCommand, db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser, parseItem } from '../db/items';
import type { TransactItem } from '../db/ops';
import {
  countAll,
  getItem,
  putNew,
  queryAll,
  queryCollection,
  queryCollectionPage,
  queryPage,
  transact,
} from '../db/ops';
import type { Page } from '../db/pagination';
import type { ExtraGrant } from '../permissions/effective';
import { seatStartOf } from '../seats/holders';
import { seatAdd, seatDepartureItem, seatRelease, seatTake } from '../seats/items';
import { memberItemKeys, memberItems } from '../table/members/items';
import {
  type Departure,
  earliestEnd,
  MEMBER_PREFIX,
  memberGrantExpiryIndexKey,
  memberKey,
  memberRoleIndexKey,
  membershipKey,
  reachMarkerKey,
  releaseMarkerAttribute,
  releaseMarkerItem,
  releaseMarkerKey,
} from '../table/members/keys';
import { Grant, Member } from '../table/members/member';
import { memberVersionBump, memberVersionIs, UNVERSIONED_MEMBER } from '../table/members/version';
import { builtinHolderMove, builtinHolderMoves, builtinHolderUpdate, roleHolderUpdate } from '../table/roles/holders';
import { removeFromTeams } from '../table/teams/items';
import { wsCollection, wsPk } from '../table/workspaces/keys';

type Item = Record<string, unknown>;

/**
 * A member as stored: the API's `Member`, with the item's storage forms read back. Every member item read
 * is parsed with it (`toMember`).
 */
export const MemberRecord = Member.extend({
  // A string set in the table (teams ADD/DELETE themselves atomically), absent when empty; a sorted list in the API.
  teamIds: z
    .union([z.set(z.string()), z.array(z.string())])
    .optional()
    .transform((ids) => [...(ids ?? [])].sort()),
  // Members written before member versions were kept have none: every version condition accepts that at this
  // default (memberVersionIs), and every bump starts from it (memberVersionBump).
  version: z.number().int().default(UNVERSIONED_MEMBER),
  // Absent is active: reactivation removes the attribute.
  status: z.enum(['active', 'deactivated']).default('active'),
  // Dropping the last grant (revoke, sweep) leaves an empty list: the member shows none.
  grants: z
    .array(Grant)
    .optional()
    .transform((grants) => (grants && grants.length > 0 ? grants : undefined)),
});
export type MemberRecord = z.output<typeof MemberRecord>;

export const toMember = itemParser(MemberRecord, 'Member');

/** How many API keys have been created under the member (ever): a deactivation is conditioned on it. */
const KeysCreated = z.object({
  // Absent until the member's first key (that key's transaction ADDs to it).
  keysCreated: z.number().int().default(0),
});

export const keysCreatedOf = (item: Item | undefined): number =>
  item ? parseItem(KeysCreated, item, 'Member').keysCreated : 0;

export async function getMember(wsId: string, memberId: string, consistent = false): Promise<Member | undefined> {
  const item = await getItem<Item>(memberKey(wsId, memberId), consistent);
  return item ? toMember(item) : undefined;
}

/**
 * The transaction items of a new member: its items, one more holder of its role (which must exist) and
 * one more seat on the counter (not limited: members written straight by the repository are seeds and
 * fixtures; the product adds members through invitations, whose seat was taken within the plan).
 * Fails with Conflict if the user or the email is already a member.
 */
export function newMemberItems(wsId: string, member: Member) {
  return [
    ...memberItems(wsId, member).map(putNew),
    ...roleHolderUpdate(wsId, member.roleId, 'memberCount', 1),
    ...builtinHolderUpdate(wsId, member.roleId, 1),
    seatAdd(wsId),
  ];
}

export function putMember(wsId: string, member: Member): Promise<void> {
  return transact(newMemberItems(wsId, member), 'Already a member of this workspace, or the role is gone');
}

const byRole = (wsId: string, roleId: string) => ({
  IndexName: 'GSI1',
  KeyConditionExpression: 'GSI1PK = :pk',
  ExpressionAttributeValues: { ':pk': memberRoleIndexKey(wsId, roleId, '').GSI1PK },
});

/** Members holding a role, through GSI1 (eventually consistent: a just-made change may lag briefly). */
export async function membersWithRole(wsId: string, roleId: string): Promise<Member[]> {
  return (await queryAll(byRole(wsId, roleId))).map(toMember);
}

export function countMembersWithRole(wsId: string, roleId: string): Promise<number> {
  return countAll(byRole(wsId, roleId));
}

/** Every member of a workspace (admin-side cascades only; lists page with `listMembers`). */
export async function listAllMembers(wsId: string): Promise<Member[]> {
  return (await queryCollection(wsCollection(wsId, MEMBER_PREFIX))).map(toMember);
}

export function listMembers(
  wsId: string,
  opts: { limit: number; cursor?: string; roleId?: string },
): Promise<Page<Member>> {
  const partition = { PK: wsPk(wsId), SK: { prefix: MEMBER_PREFIX } };
  if (opts.roleId === undefined) return queryCollectionPage(wsCollection(wsId, MEMBER_PREFIX), opts, toMember);
  const q = byRole(wsId, opts.roleId);
  return queryPage(
    q,
    opts,
    { ...partition, GSI1PK: q.ExpressionAttributeValues[':pk'], GSI1SK: { prefix: MEMBER_PREFIX } },
    toMember,
  );
}

/** A time-bound role: held until `until`, then `previousRoleId` again (the grant sweep moves it back). */
export interface RoleTerm {
  until: string;
  previousRoleId: string;
}

/**
 * Every role change sets or clears the time-bound part in the same update: a permanent change (a PATCH
 * without `until`, a downgrade move, ownership) ends any earlier term.
 */
function termUpdate(term: RoleTerm | undefined) {
  return term
    ? {
        set: ', roleUntil = :until, previousRoleId = :prev',
        values: { ':until': term.until, ':prev': term.previousRoleId },
      }
    : { set: ' REMOVE roleUntil, previousRoleId', values: {} };
}

/**
 * Holder counters of a role change. A member holds its role and, during a term, the role it goes back to (so
 * that role cannot be deleted under a running term): from → to moves, the old term's previous role lets go,
 * the new term's previous role is held.
 */
function holderDeltas(wsId: string, member: Member, fromRoleId: string, toRoleId: string, term?: RoleTerm) {
  const delta = new Map<string, number>();
  const add = (roleId: string, d: number) => delta.set(roleId, (delta.get(roleId) ?? 0) + d);
  if (fromRoleId !== toRoleId) {
    add(fromRoleId, -1);
    add(toRoleId, 1);
  }
  if (member.previousRoleId !== undefined && member.roleUntil !== undefined) add(member.previousRoleId, -1);
  if (term) add(term.previousRoleId, 1);
  return [...delta.entries()]
    .filter(([, d]) => d !== 0)
    .flatMap(([roleId, d]) => roleHolderUpdate(wsId, roleId, 'memberCount', d > 0 ? 1 : -1));
}

/**
 * The grant-expiry part of a member item's update, from the term and grants the item holds after it:
 * `grantsUntil` (the earliest stored grant end) and the sparse GSI2 entry (the nearest of that and the term's
 * end), set, moved or removed in the same update that changes the grants or the term (see keys.ts).
 */
function grantExpiryUpdate(
  wsId: string,
  memberId: string,
  roleUntil: string | undefined,
  grants: readonly ExtraGrant[],
) {
  const grantsUntil = earliestEnd(grants.map((g) => g.until));
  const nearest = earliestEnd([roleUntil, grantsUntil]);
  const idx = nearest === undefined ? undefined : memberGrantExpiryIndexKey(wsId, memberId, nearest);
  return {
    set: [...(grantsUntil ? ['grantsUntil = :gxu'] : []), ...(idx ? ['GSI2PK = :gxpk', 'GSI2SK = :gxsk'] : [])],
    remove: [...(grantsUntil ? [] : ['grantsUntil']), ...(idx ? [] : ['GSI2PK', 'GSI2SK'])],
    values: {
      ...(grantsUntil ? { ':gxu': grantsUntil } : {}),
      ...(idx ? { ':gxpk': idx.GSI2PK, ':gxsk': idx.GSI2SK } : {}),
    },
  };
}

/** `SET … ADD … REMOVE …` from its parts (empty clauses left out). */
const updateOf = (set: readonly string[], add: readonly string[], remove: readonly string[]) =>
  [
    set.length > 0 ? `SET ${set.join(', ')}` : '',
    add.length > 0 ? `ADD ${add.join(', ')}` : '',
    remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');

function roleChange(
  wsId: string,
  member: Member,
  fromRoleId: string,
  toRoleId: string,
  term?: RoleTerm,
  // An ownership transfer moves the built-in counters of both its changes at once (see builtinHolderMoves).
  counters = true,
) {
  const idx = memberRoleIndexKey(wsId, toRoleId, member.id);
  const t = termUpdate(term);
  // Everything this change writes follows from the member as read: the holder deltas (the term it ends or
  // keeps), the term's previous role and the grant-expiry key (the grants it keeps). So it lands only on that
  // version: two changes decided on the same state (say one for a period and one for good, to the same role)
  // cannot both commit and count the term's previous role once too often.
  const gx = grantExpiryUpdate(wsId, member.id, term?.until, member.grants ?? []);
  const read = memberVersionIs(member);
  return [
    // The new role must still exist (and stops being deletable); the old one loses a holder.
    ...holderDeltas(wsId, member, fromRoleId, toRoleId, term),
    ...(counters ? builtinHolderMove(wsId, fromRoleId, toRoleId) : []),
    {
      Update: {
        TableName: tableName,
        Key: memberKey(wsId, member.id),
        UpdateExpression: updateOf(
          [
            'roleId = :to',
            'GSI1PK = :gpk',
            'GSI1SK = :gsk',
            ...(term ? ['roleUntil = :until', 'previousRoleId = :prev'] : []),
            memberVersionBump.set,
            ...gx.set,
          ],
          [],
          [...(term ? [] : ['roleUntil', 'previousRoleId']), ...gx.remove],
        ),
        ConditionExpression: `${read.condition} AND roleId = :from`,
        ExpressionAttributeValues: {
          ':to': toRoleId,
          ':from': fromRoleId,
          ':gpk': idx.GSI1PK,
          ':gsk': idx.GSI1SK,
          ...t.values,
          ...read.values,
          ...memberVersionBump.values,
          ...gx.values,
        },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: membershipKey(member.userId, wsId),
        UpdateExpression: `SET roleId = :to${t.set}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':to': toRoleId, ...t.values },
      },
    },
  ];
}

/**
 * Moves a member from one role to another: the member item (and its role index keys) and the user's
 * membership pointer change together, and only if the member is unchanged since read (`version`) and holds
 * `fromRoleId`. A lost race is a Conflict: decide again on a fresh read.
 */
export function changeMemberRole(
  wsId: string,
  member: Member,
  fromRoleId: string,
  toRoleId: string,
  extra: Item[] = [],
  term?: RoleTerm,
  also: TransactItem[] = [],
) {
  return transact(
    [...roleChange(wsId, member, fromRoleId, toRoleId, term), ...extra.map(putNew), ...also],
    "The member's role changed meanwhile",
  );
}

/** Teams taken along in one transaction; a member of more teams leaves them in steps first. */
export const TEAMS_PER_TRANSACTION = 80;

/**
 * Removes every item of the member and them from their teams, if the member is unchanged since read
 * (its version moves with every role or team change, so a team that just took the member in is never
 * left pointing at nobody). A member of many teams leaves them in conditional steps, then goes.
 * The last transaction writes at most 89 items: the member's 3 items, 2 role counters, 80 teams, the seat counter,
 * the release marker, the seat history and the audit entry (`extra`).
 */
export async function deleteMember(
  wsId: string,
  member: Member,
  removedAt: string,
  extra: Item[] = [],
  /** Other writes of the same request (a SCIM user's document), in the last transaction: the member goes with them. */
  also: TransactItem[] = [],
): Promise<void> {
  let version = member.version ?? UNVERSIONED_MEMBER;
  let teamIds = [...member.teamIds];
  // The last transaction's teams leave room for `extra` and `also` (its own other items: at most 8, and one spare).
  const lastTeams = Math.min(TEAMS_PER_TRANSACTION, 100 - 9 - extra.length - also.length);
  while (teamIds.length > lastTeams) {
    const step = teamIds.slice(0, TEAMS_PER_TRANSACTION);
    const read = memberVersionIs({ version });
    await transact(
      [
        {
          Update: {
            TableName: tableName,
            Key: memberKey(wsId, member.id),
            UpdateExpression: `SET ${memberVersionBump.set} DELETE teamIds :teams`,
            ConditionExpression: read.condition,
            ExpressionAttributeValues: { ':teams': new Set(step), ...read.values, ...memberVersionBump.values },
          },
        },
        ...removeFromTeams(wsId, member.id, step),
      ],
      'The member changed meanwhile; reload and retry',
    );
    version += 1;
    teamIds = teamIds.slice(TEAMS_PER_TRANSACTION);
  }
  const [memberItemKey, ...rest] = memberItemKeys(wsId, member);
  const read = memberVersionIs({ version });
  // Where the member's seat interval began (a reactivation restarts it); the version condition below
  // makes sure it is this item's.
  const seatFrom = seatStartOf({
    joinedAt: member.joinedAt,
    ...(await getItem<Item>(memberKey(wsId, member.id), true)),
  });
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: memberItemKey,
          ConditionExpression: read.condition,
          ExpressionAttributeValues: read.values,
        },
      },
      ...rest.map((Key) => ({ Delete: { TableName: tableName, Key } })),
      ...roleHolderUpdate(wsId, member.roleId, 'memberCount', -1),
      ...builtinHolderUpdate(wsId, member.roleId, -1),
      // A running term's previous role lets go of the member too.
      ...(member.roleUntil !== undefined &&
      member.previousRoleId !== undefined &&
      member.previousRoleId !== member.roleId
        ? roleHolderUpdate(wsId, member.previousRoleId, 'memberCount', -1)
        : []),
      ...removeFromTeams(wsId, member.id, teamIds),
      // The seat is given back (a deactivated member gave it back already), and the member's seat history
      // stays for billing periods (seat-days; a deactivated member's seat ended at its deactivation).
      // A deactivated member's interval ended at its deactivation, which wrote it (written again here, the
      // same item, for one deactivated before deactivations wrote it).
      ...(member.status === 'deactivated'
        ? [
            {
              Put: {
                TableName: tableName,
                Item: seatDepartureItem(wsId, member, member.deactivatedAt ?? removedAt, seatFrom, 'deactivated'),
              },
            },
          ]
        : [seatRelease(wsId), putNew(seatDepartureItem(wsId, member, removedAt, seatFrom))]),
      // Its conversations go back to the unassigned queue after this commits; the marker (replacing a
      // deactivation's) has the grant sweep release what that pass cannot see yet (see the marker).
      { Put: { TableName: tableName, Item: releaseMarkerItem(wsId, member.id, 'removed', removedAt) } },
      ...extra.map(putNew),
      ...also,
    ],
    'The member changed meanwhile; reload and retry',
  );
}

/** The owner becomes `admin` and the target becomes `owner`, together: exactly one Owner before and after. */
export function transferOwnership(
  wsId: string,
  owner: Member,
  target: Member,
  extra: Item[] = [],
  also: TransactItem[] = [],
): Promise<void> {
  return transact(
    [
      ...roleChange(wsId, owner, 'owner', 'admin', undefined, false),
      ...roleChange(wsId, target, target.roleId, 'owner', undefined, false),
      ...builtinHolderMoves(wsId, [
        ['owner', 'admin'],
        [target.roleId, 'owner'],
      ]),
      ...extra.map(putNew),
      ...also,
    ],
    'Roles changed meanwhile; reload and retry',
  );
}

/** The member item's condition for status and grant changes: unchanged since read (`version`). */
const memberAt = (wsId: string, member: Member) => ({
  Key: memberKey(wsId, member.id),
  ...memberVersionIs(member),
});

/**
 * Deactivates a member, if unchanged since read and no key was created under it since its keys were read:
 * the member item and the membership pointer the authorizer reads are marked together, the seat is given
 * back, and the lookups of its API keys (`keyLookups`) are suspended, all in one transaction. The member
 * keeps its role (and the role's holder counter), its teams, inboxes and grants.
 */
export function deactivateMember(
  wsId: string,
  member: Member,
  keysCreated: number,
  keyLookups: readonly { PK: string; SK: string }[],
  at: string,
  extra: Item[],
  /** Where the seat interval that ends now began (`seatStartOf` the item read). */
  seatFrom: string = member.joinedAt,
  /** Other writes of the same request, all or none with the deactivation (a SCIM PUT's profile). */
  also: TransactItem[] = [],
): Promise<void> {
  const m = memberAt(wsId, member);
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: m.Key,
          UpdateExpression: `SET #st = :deactivated, deactivatedAt = :at, ${memberVersionBump.set}`,
          ConditionExpression: `${m.condition} AND roleId = :role AND (attribute_not_exists(#st) OR #st <> :deactivated) AND ${
            keysCreated === 0 ? 'attribute_not_exists(keysCreated)' : 'keysCreated = :keys'
          }`,
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':deactivated': 'deactivated',
            ':at': at,
            ...m.values,
            ...memberVersionBump.values,
            ':role': member.roleId,
            ...(keysCreated === 0 ? {} : { ':keys': keysCreated }),
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: membershipKey(member.userId, wsId),
          UpdateExpression: 'SET #st = :deactivated',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':deactivated': 'deactivated' },
        },
      },
      seatRelease(wsId),
      // The seat interval ends like a removal's: billing periods keep the seat-days it held.
      putNew(seatDepartureItem(wsId, member, at, seatFrom, 'deactivated')),
      // Has the grant sweep release the member's conversations again once GSI1 has caught up (see the marker).
      { Put: { TableName: tableName, Item: releaseMarkerItem(wsId, member.id, 'deactivated', at) } },
      // Each key's lookup (what the authorizer reads) and its record (what lists show) are suspended.
      ...keyLookups.map(
        (Key): TransactItem => ({
          Update: {
            TableName: tableName,
            Key,
            UpdateExpression: 'SET suspended = :t',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':t': true },
          },
        }),
      ),
      ...extra.map(putNew),
      ...also,
    ],
    'The member or its API keys changed meanwhile; reload and retry',
  );
}

/**
 * Deletes a release marker once the sweep is done with it, if it is still the one read (a later deactivation, or
 * the removal, wrote a newer one, which stays). `false`: it was gone or newer.
 */
export async function deleteReleaseMarker(
  wsId: string,
  memberId: string,
  departure: Departure,
  at: string,
): Promise<boolean> {
  try {
    await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: releaseMarkerKey(wsId, memberId),
        ConditionExpression: '#at = :at',
        ExpressionAttributeNames: { '#at': releaseMarkerAttribute[departure] },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string } | null)?.name === 'ConditionalCheckFailedException') return false;
    return mapDbError(err);
  }
}

/** Deletes a change's reach release marker once the sweep is done with it (each change has its own). */
export async function deleteReachMarker(wsId: string, markerId: string): Promise<void> {
  try {
    await db.send(new DeleteCommand({ TableName: tableName, Key: reachMarkerKey(wsId, markerId) }));
  } catch (err) {
    mapDbError(err);
  }
}

/**
 * Reactivates a deactivated member with the same id and role: a seat is taken within the plan's maximum
 * (`seatMax`, null: unlimited); the role still exists (its holder counter never let go of the member). Its
 * suspended API keys stay suspended: whoever reactivates may not be able to grant their roles.
 */
export function reactivateMember(
  wsId: string,
  member: Member,
  seatMax: number | null,
  at: string,
  extra: Item[],
  /** Other writes of the same request, all or none with the reactivation (a SCIM PUT's profile). */
  also: TransactItem[] = [],
): Promise<void> {
  const m = memberAt(wsId, member);
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: m.Key,
          // A new seat interval begins (the time deactivated is not billed).
          UpdateExpression: `SET ${memberVersionBump.set}, seatSince = :at REMOVE #st, deactivatedAt`,
          ConditionExpression: `${m.condition} AND #st = :deactivated AND roleId = :role`,
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':at': at,
            ':deactivated': 'deactivated',
            ...m.values,
            ...memberVersionBump.values,
            ':role': member.roleId,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: membershipKey(member.userId, wsId),
          UpdateExpression: 'REMOVE #st',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#st': 'status' },
        },
      },
      seatTake(wsId, seatMax),
      // An active member's conversations are its own again: nothing is left to release.
      { Delete: { TableName: tableName, Key: releaseMarkerKey(wsId, member.id) } },
      ...extra.map(putNew),
      ...also,
    ],
    'The member changed meanwhile, the role is gone, or no seat is left',
  );
}

/**
 * Replaces a member's extra grants (member item and membership pointer together), if the member is
 * unchanged since read and still active. `grants` is the whole list after the change.
 */
export function writeGrants(
  wsId: string,
  member: Member,
  grants: readonly ExtraGrant[],
  extra: TransactItem[],
): Promise<void> {
  const m = memberAt(wsId, member);
  const pointerGrants = grants.map((g) => ({ id: g.id, permissions: g.permissions, until: g.until }));
  // The term is the one read: the version condition holds it still.
  const gx = grantExpiryUpdate(wsId, member.id, member.roleUntil, grants);
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: m.Key,
          UpdateExpression: updateOf(['grants = :g', memberVersionBump.set, ...gx.set], [], gx.remove),
          ConditionExpression: `${m.condition} AND (attribute_not_exists(#st) OR #st <> :deactivated)`,
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':g': grants,
            ...m.values,
            ...memberVersionBump.values,
            ':deactivated': 'deactivated',
            ...gx.values,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: membershipKey(member.userId, wsId),
          UpdateExpression: 'SET grants = :g',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':g': pointerGrants },
        },
      },
      ...extra,
    ],
    'The member changed meanwhile; reload and retry',
  );
}

/**
 * The grant sweep's change: drops expired extra grants (keeping `grants`) and, when the role's term is over,
 * moves the member back to `revertTo`, on the member item and the membership pointer, if the member is
 * unchanged since read. `extra`: one `grant.expired` audit entry per grant ended.
 */
export function expireMemberGrants(
  wsId: string,
  member: Member,
  grants: readonly ExtraGrant[],
  revertTo: string | undefined,
  extra: Item[],
): Promise<void> {
  const pointerGrants = grants.map((g) => ({ id: g.id, permissions: g.permissions, until: g.until }));
  const items: TransactItem[] = [];
  // The grant-expiry key follows what is left: the grants kept and, unless it is over, the term.
  const gxReverted = grantExpiryUpdate(wsId, member.id, undefined, grants);
  const gxKept = grantExpiryUpdate(wsId, member.id, member.roleUntil, grants);
  const read = memberVersionIs(member);
  if (revertTo !== undefined) {
    const idx = memberRoleIndexKey(wsId, revertTo, member.id);
    items.push(
      // The previous role was held all along (see holderDeltas): only the term's role lets go.
      ...holderDeltas(wsId, member, member.roleId, revertTo),
      ...builtinHolderMove(wsId, member.roleId, revertTo),
      {
        Update: {
          TableName: tableName,
          Key: memberKey(wsId, member.id),
          UpdateExpression: updateOf(
            ['roleId = :to', 'GSI1PK = :gpk', 'GSI1SK = :gsk', 'grants = :g', memberVersionBump.set, ...gxReverted.set],
            [],
            ['roleUntil', 'previousRoleId', ...gxReverted.remove],
          ),
          ConditionExpression: `${read.condition} AND roleId = :from`,
          ExpressionAttributeValues: {
            ':to': revertTo,
            ':from': member.roleId,
            ':gpk': idx.GSI1PK,
            ':gsk': idx.GSI1SK,
            ':g': grants,
            ...read.values,
            ...memberVersionBump.values,
            ...gxReverted.values,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: membershipKey(member.userId, wsId),
          UpdateExpression: 'SET roleId = :to, grants = :g REMOVE roleUntil, previousRoleId',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':to': revertTo, ':g': pointerGrants },
        },
      },
    );
  } else {
    items.push(
      {
        Update: {
          TableName: tableName,
          Key: memberKey(wsId, member.id),
          UpdateExpression: updateOf(['grants = :g', memberVersionBump.set, ...gxKept.set], [], gxKept.remove),
          ConditionExpression: read.condition,
          ExpressionAttributeValues: { ':g': grants, ...read.values, ...memberVersionBump.values, ...gxKept.values },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: membershipKey(member.userId, wsId),
          UpdateExpression: 'SET grants = :g',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':g': pointerGrants },
        },
      },
    );
  }
  return transact([...items, ...extra.map(putNew)], 'The member changed meanwhile; the next sweep retries');
}
