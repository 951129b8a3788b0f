import { wsPk } from '../workspaces/keys';

// ULIDs sort by time, so a Query with ScanIndexForward=false pages the log newest first.
export const AUDIT_PREFIX = 'AUDIT#';
export const auditKey = (wsId: string, entryId: string) => ({ PK: wsPk(wsId), SK: `${AUDIT_PREFIX}${entryId}` });
