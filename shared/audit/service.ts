import type { Access } from '../access';
import { toCsv } from '../text/csv';
import { type AuditRecord, listAudit } from './repository';

export function auditPage(access: Access, q: { limit: number; cursor?: string }) {
  return listAudit(access.workspace.id, q);
}

const EXPORT_MAX = 50_000;

/** The whole log, newest first, as JSON lines or CSV. */
export async function exportAudit(
  access: Access,
  format: 'jsonl' | 'csv',
): Promise<{ body: string; contentType: string }> {
  const rows: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAudit(access.workspace.id, { limit: 100, ...(cursor ? { cursor } : {}) });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_MAX);
  if (format === 'jsonl') {
    return {
      body: rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''),
      contentType: 'application/x-ndjson',
    };
  }
  // Formula-safe, quoted cells (shared/text/csv.ts): a cell starting with = + - @ TAB or CR gets a leading '.
  const header = [
    'id',
    'at',
    'action',
    'actorMemberId',
    'actorUserId',
    'source',
    'targetType',
    'targetId',
    'before',
    'after',
  ];
  const lines = rows.map((r) => [
    r.id,
    r.at,
    r.action,
    r.actor.memberId,
    r.actor.userId,
    r.actor.source,
    r.target.type,
    r.target.id,
    r.before,
    r.after,
  ]);
  return { body: toCsv(header, lines), contentType: 'text/csv; charset=utf-8' };
}
