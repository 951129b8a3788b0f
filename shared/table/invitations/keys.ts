export const invitationKey = (wsId: string, id: string) => ({ PK: `WS#${wsId}`, SK: `INVITE#${id}` });
/** At most one pending invitation per email in a workspace: this item points at it. */
export const pendingEmailKey = (wsId: string, emailKey: string) => ({
  PK: `WS#${wsId}`,
  SK: `INVITEEMAIL#${emailKey}`,
});
/** Accepting finds the invitation from the token's hash alone. */
export const tokenKey = (tokenHash: string) => ({ PK: `INVITETOKEN#${tokenHash}`, SK: 'TOKEN' });
export const INVITE_PREFIX = 'INVITE#';
