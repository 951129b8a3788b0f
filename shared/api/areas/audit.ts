// The schemas of the audit Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { AuditExportQuery, AuditPage, AuditQuery } from '../../audit/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const audit = {
  listAuditLog: { params: WorkspaceIdParams, query: AuditQuery, status: 200, response: AuditPage },
  exportAuditLog: { params: WorkspaceIdParams, query: AuditExportQuery, status: 200, response: z.string() },
} as const satisfies AreaContract<'audit'>;
