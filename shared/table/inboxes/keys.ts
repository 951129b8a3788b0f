export const inboxKey = (wsId: string, inboxId: string) => ({ PK: `WS#${wsId}`, SK: `INBOX#${inboxId}` });
export const INBOX_PREFIX = 'INBOX#';
