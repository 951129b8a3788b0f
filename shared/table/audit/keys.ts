import { wsPk } from '../workspaces/keys';

// ULIDs sort by time, so a Query with ScanIndexForward=false pages the log newest first.
export const AUDIT_PREFIX = 'AUDIT#';
export const auditKey = (wsId: string, entryId: string) => ({ PK: wsPk(wsId), SK: `${AUDIT_PREFIX}${entryId}` });
/**
 * GSI1 of an audit entry: its target's history, newest last (`AUDIT#<ulid>`), so "the last change of this
 * member / key / role / team" is one Query with Limit 1 (the access review reads it per row).
 */
export const auditTargetIndexKey = (wsId: string, target: { type: string; id: string }, entryId: string) => ({
  GSI1PK: `${wsPk(wsId)}#AUDITTARGET#${target.type}#${target.id}`,
  GSI1SK: `${AUDIT_PREFIX}${entryId}`,
});
