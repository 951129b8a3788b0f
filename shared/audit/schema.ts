import * as z from 'zod';
import { PageQuery } from '../db/pagination';

export const AuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    action: z.string(),
    actor: z.object({
      memberId: z.string().nullable(),
      userId: z.string().nullable(),
      source: z.string(),
      tokenId: z.string().optional(),
    }),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPage = z
  .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export const AuditQuery = PageQuery.strict();
export const AuditExportQuery = z.strictObject({ format: z.enum(['jsonl', 'csv']).default('jsonl') });
