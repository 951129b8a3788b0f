export const workspaceKey = (wsId: string) => ({ PK: `WS#${wsId}`, SK: 'META' });
