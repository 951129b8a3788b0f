export const roleKey = (wsId: string, roleId: string) => ({ PK: `WS#${wsId}`, SK: `ROLE#${roleId}` });
/** Holds a custom role's normalised name so two roles cannot share one (written with the role). */
export const roleNameKey = (wsId: string, nameKey: string) => ({ PK: `WS#${wsId}`, SK: `ROLENAME#${nameKey}` });
export const ROLE_PREFIX = 'ROLE#';
/** A built-in role's member counter (see `builtinHolderUpdate`): not under ROLE_PREFIX, so never a custom role. */
export const roleHoldersKey = (wsId: string, roleId: string) => ({ PK: `WS#${wsId}`, SK: `ROLEHOLDERS#${roleId}` });
