// ULIDs sort by time, so a Query with ScanIndexForward=false pages the log newest first.
export const auditKey = (wsId: string, entryId: string) => ({ PK: `WS#${wsId}`, SK: `AUDIT#${entryId}` });
