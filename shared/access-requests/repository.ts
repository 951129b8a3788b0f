// An access request is one item in the workspace partition. Approving applies the grant (a role change or
// extra grants, on the member item and the pointer) in the same transaction that closes the request, on the
// condition it is still pending and not expired: of a concurrent approve and deny exactly one lands.
import { tableName } from '../db/client';
import { getItem, inPartition, putNew, queryAll, type TransactItem, transact } from '../db/ops';
import { wsPk } from '../workspaces/keys';
import type { AccessRequest } from './schema';

type Item = Record<string, unknown>;
export const ACCESSREQ_PREFIX = 'ACCESSREQ#';
export const accessRequestKey = (wsId: string, id: string) => ({ PK: wsPk(wsId), SK: `${ACCESSREQ_PREFIX}${id}` });

/** Stored as `pending` until decided; `expired` is what a pending one past `expiresAt` reads as. */
export type AccessRequestRecord = Omit<AccessRequest, 'status'> & {
  workspaceId: string;
  status: 'pending' | 'approved' | 'denied';
};

export function createAccessRequest(r: AccessRequestRecord, audit: Item): Promise<void> {
  return transact(
    [putNew({ ...accessRequestKey(r.workspaceId, r.id), entity: 'AccessRequest', ...r }), putNew(audit)],
    'The request exists already',
  );
}

export function getAccessRequest(wsId: string, id: string): Promise<AccessRequestRecord | undefined> {
  return getItem<AccessRequestRecord>(accessRequestKey(wsId, id), true);
}

/** Every request of a workspace, newest first (requests are few; a page is cut in memory). */
export async function listAccessRequests(wsId: string): Promise<AccessRequestRecord[]> {
  return (await queryAll({
    ...inPartition(wsPk(wsId), ACCESSREQ_PREFIX),
    ConsistentRead: true,
    ScanIndexForward: false,
  })) as unknown as AccessRequestRecord[];
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
      UpdateExpression: 'SET #st = :status, decidedBy = :by, decidedAt = :now',
      ConditionExpression: '#st = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':status': status, ':by': decidedBy, ':now': now, ':pending': 'pending' },
    },
  };
}

export function denyRequest(r: AccessRequestRecord, decidedBy: string, now: string, audit: Item): Promise<void> {
  return transact(
    [closeRequest(r, 'denied', decidedBy, now), putNew(audit)],
    'The request was decided or expired meanwhile',
  );
}
