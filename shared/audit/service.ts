import type { Access } from '../auth/access';
import { type AuditView, listAudit } from './repository';

export function auditPage(access: Access, q: { limit: number; cursor?: string }) {
  return listAudit(access.workspace.id, q);
}

const EXPORT_MAX = 50_000;

/** The whole log, newest first, as JSON lines or CSV. */
export async function exportAudit(
  access: Access,
  format: 'jsonl' | 'csv',
): Promise<{ body: string; contentType: string }> {
  const rows: AuditView[] = [];
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
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    // Quote every cell; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return `"${safe.replace(/"/g, '""')}"`;
  };
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
  const lines = rows.map((r) =>
    [
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
    ]
      .map(cell)
      .join(','),
  );
  return { body: `${[header.join(','), ...lines].join('\n')}\n`, contentType: 'text/csv; charset=utf-8' };
}
