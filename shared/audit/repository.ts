import type * as z from 'zod';
import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser } from '../db/items';
import { queryCollectionPage } from '../db/ops';
import type { Page } from '../db/pagination';
import { AUDIT_PREFIX, auditTargetIndexKey } from '../table/audit/keys';
import { wsCollection } from '../table/workspaces/keys';
import { AuditEntry } from './schema';

/** An audit entry as stored (the API's `AuditEntry`); every audit item read is parsed with it. */
export const AuditRecord = AuditEntry.extend({
  // A side the change did not have (a creation's `before`) is null, or absent when it was given as undefined
  // (undefined attributes are not written): both read as null.
  before: AuditEntry.shape.before.default(null),
  after: AuditEntry.shape.after.default(null),
});
export type AuditRecord = z.output<typeof AuditRecord>;

const fromItem = itemParser(AuditRecord, 'Audit entry');

/** Newest first (ULIDs sort by time). */
export function listAudit(wsId: string, opts: { limit: number; cursor?: string }): Promise<Page<AuditRecord>> {
  return queryCollectionPage(wsCollection(wsId, AUDIT_PREFIX), opts, fromItem, { ScanIndexForward: false });
}

/** The newest audit entry about a target (GSI1 by target, newest first, Limit 1); null when there is none. */
export async function lastAuditEntry(wsId: string, target: { type: string; id: string }): Promise<AuditRecord | null> {
  const { GSI1PK } = auditTargetIndexKey(wsId, target, '');
  let item: Record<string, unknown> | undefined;
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': GSI1PK },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    item = res.Items?.[0];
  } catch (err) {
    return mapDbError(err);
  }
  return item ? fromItem(item) : null;
}
