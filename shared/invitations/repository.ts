import * as z from 'zod';
import { tableName } from '../db/client';
import { itemParser, parseItem } from '../db/items';
import { getItem, putNew, queryCollection, queryCollectionPage, type TransactItem, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import type { Member } from '../members/schema';
import { isBuiltinRoleId } from '../permissions/roles';
import { invitationHoldsSeat } from '../seats/holders';
import { seatHandOver, seatRelease, seatTake } from '../seats/items';
import { inboxStillExists } from '../table/inboxes/items';
import { INVITE_PREFIX, invitationKey, pendingEmailKey, tokenKey } from '../table/invitations/keys';
import { InvitationRecord } from '../table/invitations/record';
import { memberItems } from '../table/members/items';
import { memberEmailKey } from '../table/members/keys';
import { builtinHolderUpdate, roleHolderMove, roleHolderUpdate } from '../table/roles/holders';
import { roleKey } from '../table/roles/keys';
import { wsCollection } from '../table/workspaces/keys';

/** The token's item: which invitation a token hash opens. */
const TokenRecord = z.object({ workspaceId: z.string(), invitationId: z.string() });
/** The email's pending slot: at most one pending invitation per email and workspace. */
const PendingRecord = z.object({ invitationId: z.string() });

const fromItem = itemParser(InvitationRecord, 'Invitation');

type Item = Record<string, unknown>;

const invitationItem = (r: InvitationRecord): Item => ({
  ...invitationKey(r.workspaceId, r.id),
  entity: 'Invitation',
  ...r,
});
const tokenItem = (r: InvitationRecord): Item => ({
  ...tokenKey(r.tokenHash),
  entity: 'InvitationToken',
  workspaceId: r.workspaceId,
  invitationId: r.id,
  // DynamoDB TTL removes tokens some time after they expire; the expiry check never relies on it.
  ttl: Math.floor(Date.parse(r.expiresAt) / 1000) + 86_400,
});
// Pending, at the nonce read, and still carrying the role read (its holder counter moves with it).
const STILL_PENDING = {
  ConditionExpression: '#s = :pending AND nonce = :nonce AND roleId = :role',
  ExpressionAttributeNames: { '#s': 'status' },
};
/** The seat state read is still the invitation's (an expiry release and this write cannot both count). */
const seatStateIs = (r: InvitationRecord) =>
  r.seatReleased ? ' AND seatReleased = :true' : ' AND attribute_not_exists(seatReleased)';
const seatStateValues = (r: InvitationRecord) => (r.seatReleased ? { ':true': true } : {});
/** Whether the invitation holds a seat (pending and not released at expiry): the seats' rule. */
export const holdsSeat = (r: Pick<InvitationRecord, 'status' | 'seatReleased'>) => invitationHoldsSeat(r);

export async function getInvitation(wsId: string, id: string): Promise<InvitationRecord | undefined> {
  const item = await getItem<Item>(invitationKey(wsId, id));
  return item ? fromItem(item) : undefined;
}

/** The pending invitation of an email in a workspace, and whether the email already belongs to a member. */
export async function lookupEmail(
  wsId: string,
  emailKey: string,
): Promise<{ pendingId: string | undefined; isMember: boolean }> {
  const [pending, member] = await Promise.all([
    getItem<Item>(pendingEmailKey(wsId, emailKey)),
    getItem<Item>(memberEmailKey(wsId, emailKey)),
  ]);
  return {
    pendingId: pending ? parseItem(PendingRecord, pending, 'Pending invitation').invitationId : undefined,
    isMember: member !== undefined,
  };
}

export async function findByToken(tokenHash: string): Promise<z.output<typeof TokenRecord> | undefined> {
  const item = await getItem<Item>(tokenKey(tokenHash));
  return item ? parseItem(TokenRecord, item, 'Invitation token') : undefined;
}

export function listInvitations(
  wsId: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<InvitationRecord>> {
  return queryCollectionPage(wsCollection(wsId, INVITE_PREFIX), opts, fromItem, {
    ScanIndexForward: false,
  });
}

/**
 * A new invitation takes a seat: `seatsMax` is the plan's maximum (null: unlimited), checked on the seat
 * counter in the same transaction, so concurrent invitations for the last seats never overshoot.
 */
export function createInvitation(
  r: InvitationRecord,
  audit: Item,
  seatsMax: number | null,
  also: TransactItem[] = [],
): Promise<void> {
  return transact(
    [
      ...also,
      putNew(invitationItem(r)),
      putNew({ ...pendingEmailKey(r.workspaceId, r.emailKey), entity: 'PendingInvitation', invitationId: r.id }),
      putNew(tokenItem(r)),
      ...r.inboxIds.map((id) => inboxStillExists(r.workspaceId, id)),
      ...roleHolderUpdate(r.workspaceId, r.roleId, 'inviteCount', 1),
      seatTake(r.workspaceId, seatsMax),
      putNew(audit),
    ],
    'An invitation for this email was just created, or its role was removed; reload and retry',
  );
}

/**
 * New nonce, token and expiry for a still-pending invitation; the old token stops working. One that had
 * given its seat back at expiry takes a seat again (`seatsMax`, as for a new invitation); `after` holds
 * a seat.
 */
export function refreshInvitation(
  before: InvitationRecord,
  after: InvitationRecord,
  audit: Item,
  seatsMax: number | null,
  also: TransactItem[] = [],
): Promise<void> {
  const { seatReleased: _released, ...held } = after;
  return transact(
    [
      ...also,
      {
        Put: {
          TableName: tableName,
          Item: invitationItem(held),
          ...STILL_PENDING,
          ConditionExpression: `${STILL_PENDING.ConditionExpression}${seatStateIs(before)}`,
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':nonce': before.nonce,
            ':role': before.roleId,
            ...seatStateValues(before),
          },
        },
      },
      ...(before.seatReleased ? [seatTake(before.workspaceId, seatsMax)] : []),
      { Delete: { TableName: tableName, Key: tokenKey(before.tokenHash) } },
      putNew(tokenItem(after)),
      ...roleHolderMove(after.workspaceId, before.roleId, after.roleId, 'inviteCount'),
      putNew(audit),
    ],
    'The invitation changed meanwhile; reload and retry',
  );
}

/** Leaves `pending` for a final status: the token and the email's pending slot go with it. */
export function closeInvitation(
  r: InvitationRecord,
  status: 'revoked' | 'bounced',
  now: string,
  audit: Item,
): Promise<void> {
  return transact(
    [
      ...closeInvitationItems(r, status, now),
      ...roleHolderUpdate(r.workspaceId, r.roleId, 'inviteCount', -1),
      // A seat it still holds is given back (one released at expiry already was).
      ...(r.seatReleased ? [] : [seatRelease(r.workspaceId)]),
      putNew(audit),
    ],
    'The invitation is no longer pending',
  );
}

/**
 * The invitation's own items of a close (its status, token and pending slot), conditioned on it being as read; the
 * caller adds its role's holder counter and its seat (a SCIM provisioning of the same email takes both over).
 */
export function closeInvitationItems(r: InvitationRecord, status: 'revoked' | 'bounced', now: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: invitationKey(r.workspaceId, r.id),
        UpdateExpression: 'SET #s = :status, updatedAt = :now',
        ...STILL_PENDING,
        ConditionExpression: `${STILL_PENDING.ConditionExpression}${seatStateIs(r)}`,
        ExpressionAttributeValues: {
          ':status': status,
          ':now': now,
          ':pending': 'pending',
          ':nonce': r.nonce,
          ':role': r.roleId,
          ...seatStateValues(r),
        },
      },
    },
    { Delete: { TableName: tableName, Key: tokenKey(r.tokenHash) } },
    {
      Delete: {
        TableName: tableName,
        Key: pendingEmailKey(r.workspaceId, r.emailKey),
        ConditionExpression: 'invitationId = :id',
        ExpressionAttributeValues: { ':id': r.id },
      },
    },
  ];
}

function inviteeJoins(wsId: string, roleId: string): TransactItem[] {
  if (isBuiltinRoleId(roleId)) return [];
  return [
    {
      Update: {
        TableName: tableName,
        Key: roleKey(wsId, roleId),
        UpdateExpression:
          'SET inviteCount = inviteCount - :one, memberCount = if_not_exists(memberCount, :zero) + :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      },
    },
  ];
}

/**
 * Accepting: the member's items are created and the invitation consumed in ONE transaction, conditioned
 * on the invitation still being pending with this token. Two concurrent accepts: exactly one member.
 */
export function acceptInvitation(
  r: InvitationRecord,
  member: Member,
  now: string,
  audit: Item,
  seatsMax: number | null,
): Promise<void> {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: invitationKey(r.workspaceId, r.id),
          UpdateExpression: 'SET #s = :accepted, updatedAt = :now, acceptedBy = :member',
          // The role read is the role given: an invitation moved to another role meanwhile is accepted anew.
          ConditionExpression:
            '#s = :pending AND tokenHash = :hash AND roleId = :role AND attribute_not_exists(seatReleased)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':accepted': 'accepted',
            ':now': now,
            ':member': member.id,
            ':pending': 'pending',
            ':hash': r.tokenHash,
            ':role': r.roleId,
          },
        },
      },
      { Delete: { TableName: tableName, Key: tokenKey(r.tokenHash), ConditionExpression: 'attribute_exists(PK)' } },
      { Delete: { TableName: tableName, Key: pendingEmailKey(r.workspaceId, r.emailKey) } },
      ...memberItems(r.workspaceId, member).map(putNew),
      ...member.inboxIds.map((id) => inboxStillExists(r.workspaceId, id)),
      // The invitee stops being a pending holder of the role and becomes a member holding it; the role
      // must still exist (a role cannot be deleted while an invitation carries it).
      ...inviteeJoins(r.workspaceId, r.roleId),
      ...builtinHolderUpdate(r.workspaceId, r.roleId, 1),
      // The invitation's seat becomes the member's, within the plan the workspace is on now.
      seatHandOver(r.workspaceId, seatsMax),
      putNew(audit),
    ],
    'The invitation was already used, you are already a member, or its role is gone',
  );
}

/** Pending invitations carrying a role (a workspace's invitations are read whole: role deletion only). */
export async function pendingInvitationsWithRole(wsId: string, roleId: string): Promise<InvitationRecord[]> {
  const items = await queryCollection(wsCollection(wsId, INVITE_PREFIX), {
    FilterExpression: '#s = :pending AND roleId = :role',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':pending': 'pending', ':role': roleId },
  });
  return items.map(fromItem);
}

/** A pending invitation moves to another role (its role is being deleted or dropped by a plan change). */
export function changeInvitationRole(r: InvitationRecord, toRoleId: string, audit: Item): Promise<void> {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: invitationKey(r.workspaceId, r.id),
          UpdateExpression: 'SET roleId = :to',
          ConditionExpression: '#s = :pending AND roleId = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':to': toRoleId, ':from': r.roleId, ':pending': 'pending' },
        },
      },
      ...roleHolderMove(r.workspaceId, r.roleId, toRoleId, 'inviteCount'),
      putNew(audit),
    ],
    'The invitation changed meanwhile; reload and retry',
  );
}
