// An access request is one item in the workspace partition. Approving applies the grant (a role change or
// extra grants, on the member item and the pointer) in the same transaction that closes the request, on the
// condition it is still pending and not expired: of a concurrent approve and deny exactly one lands.
// Lists are DynamoDB Query pages: every request of the workspace by its key (newest first), or one status
// through GSI1 (`WS#<ws>#ACCESSREQ#<stored status>` / `<expiresAt>#<id>`), where `pending` and `expired` are the
// two sides of now in the pending partition (expiry is 7 days after creation: the same order).
import * as z from 'zod';
import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import { getItem, putNew, queryAll, queryFilteredPage, type TransactItem, transact } from '../db/ops';
import { decodeCursor, type Page } from '../db/pagination';
import { dueBefore } from '../db/time-keys';
import { AccessRequest } from '../table/access-requests/request';
import { wsPk } from '../table/workspaces/keys';

type Item = Record<string, unknown>;
export const ACCESSREQ_PREFIX = 'ACCESSREQ#';
export const accessRequestKey = (wsId: string, id: string) => ({ PK: wsPk(wsId), SK: `${ACCESSREQ_PREFIX}${id}` });
/** GSI1 keys of a request by its stored status; a decision moves it to its status's partition. */
export const accessRequestStatusKey = (
  wsId: string,
  r: { id: string; expiresAt: string },
  status: AccessRequestRecord['status'],
) => ({ GSI1PK: `${wsPk(wsId)}#ACCESSREQ#${status}`, GSI1SK: `${r.expiresAt}#${r.id}` });

/** Stored as `pending` until decided; `expired` is what a pending one past `expiresAt` reads as. */
export const AccessRequestRecord = AccessRequest.extend({
  workspaceId: z.string(),
  /**
   * The person who asked (`requestedBy` is the credential: a member's key names the key), so requester ≠ approver
   * holds whatever credential each used. Absent on requests made before it was recorded (found from `requestedBy`).
   */
  requester: z.object({ userId: z.string().nullable(), memberId: z.string().nullable() }).optional(),
  status: z.enum(['pending', 'approved', 'denied']),
  /** An approved `apiKey.create` change: when its requester created the key (an approval is used once). */
  consumedAt: z.string().optional(),
});
export type AccessRequestRecord = z.output<typeof AccessRequestRecord>;

const toRecord = itemParser(AccessRequestRecord, 'Access request');

export function createAccessRequest(r: AccessRequestRecord, audit: Item, also: TransactItem[] = []): Promise<void> {
  return transact(
    [
      putNew({
        ...accessRequestKey(r.workspaceId, r.id),
        ...accessRequestStatusKey(r.workspaceId, r, r.status),
        entity: 'AccessRequest',
        ...r,
      }),
      putNew(audit),
      ...also,
    ],
    'The request exists already',
  );
}

export async function getAccessRequest(wsId: string, id: string): Promise<AccessRequestRecord | undefined> {
  const item = await getItem<Item>(accessRequestKey(wsId, id), true);
  return item ? toRecord(item) : undefined;
}

export interface ListRequests {
  limit: number;
  cursor?: string | undefined;
  status?: AccessRequest['status'] | undefined;
  /** Only requests about this member or asked by it (a caller without `teammates.manage`). */
  concerning?: string | undefined;
  /** The instant `pending` and `expired` are told apart at (ISO). */
  nowIso: string;
}

/** One page of a workspace's requests, newest first: one Query (more only to fill a filtered page). */
export function listAccessRequests(wsId: string, q: ListRequests): Promise<Page<AccessRequestRecord>> {
  const filter = q.concerning
    ? {
        FilterExpression: 'memberId = :me OR requestedBy = :me',
        ExpressionAttributeValues: { ':me': q.concerning },
      }
    : { ExpressionAttributeValues: {} };
  const base = { PK: wsPk(wsId), SK: { prefix: ACCESSREQ_PREFIX } };
  if (q.status === undefined) {
    const input = {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ...filter,
      ExpressionAttributeValues: {
        ':pk': wsPk(wsId),
        ':prefix': ACCESSREQ_PREFIX,
        ...filter.ExpressionAttributeValues,
      },
      ConsistentRead: true,
      ScanIndexForward: false,
    };
    return queryFilteredPage(input, q, base, toRecord);
  }
  const stored = q.status === 'expired' ? 'pending' : q.status;
  const gsi1pk = accessRequestStatusKey(wsId, { id: '', expiresAt: '' }, stored).GSI1PK;
  const cursorShape = { ...base, GSI1PK: gsi1pk, GSI1SK: { prefix: '' } };
  // Pending and expired split the pending partition at now; a cursor from before now moved past it (its request
  // expired meanwhile, or the clock went back) has nothing left on this side: an empty last page.
  const side =
    q.status === 'pending'
      ? { op: '>', beyond: (k: string, b: string) => k <= b }
      : q.status === 'expired'
        ? { op: '<', beyond: (k: string, b: string) => k >= b }
        : undefined;
  const bound = dueBefore(q.nowIso);
  const start = decodeCursor(q.cursor, cursorShape);
  if (side && start?.GSI1SK !== undefined && side.beyond(start.GSI1SK, bound)) {
    return Promise.resolve({ items: [], nextCursor: null });
  }
  return queryFilteredPage(
    {
      IndexName: 'GSI1',
      KeyConditionExpression: side ? `GSI1PK = :gpk AND GSI1SK ${side.op} :bound` : 'GSI1PK = :gpk',
      ...filter,
      ExpressionAttributeValues: {
        ':gpk': gsi1pk,
        ...(side ? { ':bound': bound } : {}),
        ...filter.ExpressionAttributeValues,
      },
      ScanIndexForward: false,
    },
    q,
    cursorShape,
    toRecord,
  );
}

/** Closes a request still pending and not expired at `now` (the same transaction applies an approval). */
export function closeRequest(
  r: AccessRequestRecord,
  status: 'approved' | 'denied',
  decidedBy: string,
  now: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: accessRequestKey(r.workspaceId, r.id),
      UpdateExpression: 'SET #st = :status, decidedBy = :by, decidedAt = :now, GSI1PK = :gpk',
      ConditionExpression: '#st = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':status': status,
        ':by': decidedBy,
        ':now': now,
        ':pending': 'pending',
        ':gpk': accessRequestStatusKey(r.workspaceId, r, status).GSI1PK,
      },
    },
  };
}

export function denyRequest(r: AccessRequestRecord, decidedBy: string, now: string, audit: Item): Promise<void> {
  return transact(
    [closeRequest(r, 'denied', decidedBy, now), putNew(audit)],
    'The request was decided or expired meanwhile',
  );
}

/**
 * Approved `apiKey.create` changes asked by `requestedBy` for `roleId` and not used yet (the approved partition
 * of GSI1, filtered: approvals are few). The key's creation then uses one (`consumeApproval`).
 */
export async function unusedKeyApprovals(
  wsId: string,
  requestedBy: string,
  roleId: string,
  action: 'apiKey.create' | 'scimToken.create' = 'apiKey.create',
) {
  const items = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :gpk',
    FilterExpression:
      'requestedBy = :by AND #k = :change AND #ch.#ac = :action AND roleId = :role AND attribute_not_exists(consumedAt)',
    ExpressionAttributeNames: { '#k': 'kind', '#ch': 'change', '#ac': 'action' },
    ExpressionAttributeValues: {
      ':gpk': `${wsPk(wsId)}#ACCESSREQ#approved`,
      ':by': requestedBy,
      ':change': 'change',
      ':action': action,
      ':role': roleId,
    },
  });
  return items.map(toRecord);
}

/** Uses an approval once: in the transaction of what it approved, on the condition nobody used it yet. */
export function consumeApproval(r: AccessRequestRecord, at: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: accessRequestKey(r.workspaceId, r.id),
      UpdateExpression: 'SET consumedAt = :at',
      ConditionExpression: '#st = :approved AND attribute_not_exists(consumedAt)',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':at': at, ':approved': 'approved' },
    },
  };
}
