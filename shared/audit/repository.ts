import type { z } from 'zod';
import { itemParser } from '../db/items';
import { queryCollectionPage } from '../db/ops';
import type { Page } from '../db/pagination';
import { wsCollection } from '../workspaces/keys';
import { AUDIT_PREFIX } from './keys';
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
