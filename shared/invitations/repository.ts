import { tableName } from '../db/client';
import { countAll, getItem, inPartition, putNew, queryCollection, queryCollectionPage, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import { inboxStillExists } from '../inboxes/repository';
import { memberItems } from '../members/items';
import { memberEmailKey } from '../members/keys';
import type { Member } from '../members/schema';
import { isBuiltinRoleId } from '../permissions/roles';
import { roleKey } from '../roles/keys';
import { roleHolderMove, roleHolderUpdate } from '../roles/repository';
import { wsCollection, wsPk } from '../workspaces/keys';
import { INVITE_PREFIX, invitationKey, pendingEmailKey, tokenKey } from './keys';

export interface InvitationRecord {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  emailKey: string;
  roleId: string;
  inboxIds: string[];
  status: 'pending' | 'accepted' | 'revoked' | 'bounced';
  /** Drawn anew on every send: the stream sends one email per nonce. */
  nonce: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  invitedBy: string;
  inviterEmail: string;
  sendCount: number;
}

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

export function getInvitation(wsId: string, id: string): Promise<InvitationRecord | undefined> {
  return getItem<InvitationRecord>(invitationKey(wsId, id));
}

/** The pending invitation of an email in a workspace, and whether the email already belongs to a member. */
export async function lookupEmail(
  wsId: string,
  emailKey: string,
): Promise<{ pendingId: string | undefined; isMember: boolean }> {
  const [pending, member] = await Promise.all([
    getItem<{ invitationId: string }>(pendingEmailKey(wsId, emailKey)),
    getItem<Item>(memberEmailKey(wsId, emailKey)),
  ]);
  return { pendingId: pending?.invitationId, isMember: member !== undefined };
}

export function findByToken(tokenHash: string): Promise<{ workspaceId: string; invitationId: string } | undefined> {
  return getItem<{ workspaceId: string; invitationId: string }>(tokenKey(tokenHash));
}

export function listInvitations(
  wsId: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<InvitationRecord>> {
  return queryCollectionPage(wsCollection(wsId, INVITE_PREFIX), opts, (i) => i as unknown as InvitationRecord, {
    ScanIndexForward: false,
  });
}

/** Pending invitations hold seats (PRODUCT.md §8); expired ones do not. */
export function countPendingInvitations(wsId: string, now: string): Promise<number> {
  const q = inPartition(wsPk(wsId), INVITE_PREFIX);
  return countAll({
    ...q,
    FilterExpression: '#s = :pending AND expiresAt > :now',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ':pending': 'pending', ':now': now },
    ConsistentRead: true,
  });
}

export function createInvitation(r: InvitationRecord, audit: Item): Promise<void> {
  return transact(
    [
      putNew(invitationItem(r)),
      putNew({ ...pendingEmailKey(r.workspaceId, r.emailKey), entity: 'PendingInvitation', invitationId: r.id }),
      putNew(tokenItem(r)),
      ...r.inboxIds.map((id) => inboxStillExists(r.workspaceId, id)),
      ...roleHolderUpdate(r.workspaceId, r.roleId, 'inviteCount', 1),
      putNew(audit),
    ],
    'An invitation for this email was just created, or its role was removed; reload and retry',
  );
}

/** New nonce, token and expiry for a still-pending invitation; the old token stops working. */
export function refreshInvitation(before: InvitationRecord, after: InvitationRecord, audit: Item): Promise<void> {
  return transact(
    [
      {
        Put: {
          TableName: tableName,
          Item: invitationItem(after),
          ...STILL_PENDING,
          ExpressionAttributeValues: { ':pending': 'pending', ':nonce': before.nonce, ':role': before.roleId },
        },
      },
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
      {
        Update: {
          TableName: tableName,
          Key: invitationKey(r.workspaceId, r.id),
          UpdateExpression: 'SET #s = :status, updatedAt = :now',
          ...STILL_PENDING,
          ExpressionAttributeValues: {
            ':status': status,
            ':now': now,
            ':pending': 'pending',
            ':nonce': r.nonce,
            ':role': r.roleId,
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
      ...roleHolderUpdate(r.workspaceId, r.roleId, 'inviteCount', -1),
      putNew(audit),
    ],
    'The invitation is no longer pending',
  );
}

function inviteeJoins(wsId: string, roleId: string) {
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
export function acceptInvitation(r: InvitationRecord, member: Member, now: string, audit: Item): Promise<void> {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: invitationKey(r.workspaceId, r.id),
          UpdateExpression: 'SET #s = :accepted, updatedAt = :now, acceptedBy = :member',
          // The role read is the role given: an invitation moved to another role meanwhile is accepted anew.
          ConditionExpression: '#s = :pending AND tokenHash = :hash AND roleId = :role',
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
  return items as unknown as InvitationRecord[];
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
