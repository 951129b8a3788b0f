import { queryCollectionPage } from '../db/ops';
import type { Page } from '../db/pagination';
import { wsCollection } from '../workspaces/keys';
import { AUDIT_PREFIX } from './keys';

export interface AuditView {
  id: string;
  at: string;
  action: string;
  actor: { memberId: string | null; userId: string | null; source: string };
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
}

const toView = (i: Record<string, unknown>): AuditView => ({
  id: i.id as string,
  at: i.at as string,
  action: i.action as string,
  actor: i.actor as AuditView['actor'],
  target: i.target as AuditView['target'],
  before: i.before ?? null,
  after: i.after ?? null,
});

/** Newest first (ULIDs sort by time). */
export function listAudit(wsId: string, opts: { limit: number; cursor?: string }): Promise<Page<AuditView>> {
  return queryCollectionPage(wsCollection(wsId, AUDIT_PREFIX), opts, toView, { ScanIndexForward: false });
}
