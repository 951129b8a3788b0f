/** A workspace's partition: every item of the workspace lives under it. */
export const wsPk = (wsId: string) => `WS#${wsId}`;
export const workspaceKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'META' });

/** One kind of item in a workspace's partition: what a list queries, and what its cursors must name. */
export const wsCollection = (wsId: string, prefix: string) => ({ pk: wsPk(wsId), prefix });
