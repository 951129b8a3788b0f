import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { decodeCursor, encodeCursor, type Page } from '../db/pagination';
import { memberItems } from '../members/items';
import { memberEmailKey } from '../members/keys';
import type { Member } from '../members/schema';
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
const put = (Item: Item, ConditionExpression = 'attribute_not_exists(PK)') => ({
  Put: { TableName: tableName, Item, ConditionExpression },
});
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

export async function getInvitation(wsId: string, id: string): Promise<InvitationRecord | undefined> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: invitationKey(wsId, id), ConsistentRead: true }),
    );
    return res.Item as InvitationRecord | undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

/** The pending invitation of an email in a workspace, and whether the email already belongs to a member. */
export async function lookupEmail(
  wsId: string,
  emailKey: string,
): Promise<{ pendingId: string | undefined; isMember: boolean }> {
  try {
    const [pending, member] = await Promise.all([
      db.send(new GetCommand({ TableName: tableName, Key: pendingEmailKey(wsId, emailKey), ConsistentRead: true })),
      db.send(new GetCommand({ TableName: tableName, Key: memberEmailKey(wsId, emailKey), ConsistentRead: true })),
    ]);
    return { pendingId: pending.Item?.invitationId as string | undefined, isMember: member.Item !== undefined };
  } catch (err) {
    return mapDbError(err);
  }
}

export async function findByToken(
  tokenHash: string,
): Promise<{ workspaceId: string; invitationId: string } | undefined> {
  try {
    const res = await db.send(new GetCommand({ TableName: tableName, Key: tokenKey(tokenHash), ConsistentRead: true }));
    return res.Item
      ? { workspaceId: res.Item.workspaceId as string, invitationId: res.Item.invitationId as string }
      : undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

export async function listInvitations(
  wsId: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<InvitationRecord>> {
  const start = decodeCursor(opts.cursor, { PK: `WS#${wsId}`, SK: { prefix: INVITE_PREFIX } });
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': INVITE_PREFIX },
        ScanIndexForward: false,
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (res.Items ?? []) as InvitationRecord[], nextCursor: encodeCursor(res.LastEvaluatedKey) };
  } catch (err) {
    return mapDbError(err);
  }
}

/** Pending invitations hold seats (PRODUCT.md §8); expired ones do not. */
export async function countPendingInvitations(wsId: string, now: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          FilterExpression: '#s = :pending AND expiresAt > :now',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':pk': `WS#${wsId}`,
            ':prefix': INVITE_PREFIX,
            ':pending': 'pending',
            ':now': now,
          },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    return mapDbError(err);
  }
  return count;
}

export async function createInvitation(r: InvitationRecord, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          put(invitationItem(r)),
          put({ ...pendingEmailKey(r.workspaceId, r.emailKey), entity: 'PendingInvitation', invitationId: r.id }),
          put(tokenItem(r)),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'An invitation for this email was just created; reload and retry');
  }
}

/** New nonce, token and expiry for a still-pending invitation; the old token stops working. */
export async function refreshInvitation(before: InvitationRecord, after: InvitationRecord, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: invitationItem(after),
              ConditionExpression: '#s = :pending AND nonce = :nonce',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':pending': 'pending', ':nonce': before.nonce },
            },
          },
          { Delete: { TableName: tableName, Key: tokenKey(before.tokenHash) } },
          put(tokenItem(after)),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The invitation changed meanwhile; reload and retry');
  }
}

/** Leaves `pending` for a final status: the token and the email's pending slot go with it. */
export async function closeInvitation(
  r: InvitationRecord,
  status: 'revoked' | 'bounced',
  now: string,
  audit: Item,
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: invitationKey(r.workspaceId, r.id),
              UpdateExpression: 'SET #s = :status, updatedAt = :now',
              ConditionExpression: '#s = :pending AND nonce = :nonce',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':status': status, ':now': now, ':pending': 'pending', ':nonce': r.nonce },
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
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The invitation is no longer pending');
  }
}

/**
 * Accepting: the member's items are created and the invitation consumed in ONE transaction, conditioned
 * on the invitation still being pending with this token. Two concurrent accepts: exactly one member.
 */
export async function acceptInvitation(r: InvitationRecord, member: Member, now: string, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: invitationKey(r.workspaceId, r.id),
              UpdateExpression: 'SET #s = :accepted, updatedAt = :now, acceptedBy = :member',
              ConditionExpression: '#s = :pending AND tokenHash = :hash',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':accepted': 'accepted',
                ':now': now,
                ':member': member.id,
                ':pending': 'pending',
                ':hash': r.tokenHash,
              },
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: tokenKey(r.tokenHash),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          { Delete: { TableName: tableName, Key: pendingEmailKey(r.workspaceId, r.emailKey) } },
          ...memberItems(r.workspaceId, member).map((i) => put(i)),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The invitation was already used, or you are already a member');
  }
}
