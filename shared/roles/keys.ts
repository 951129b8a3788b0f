export const roleKey = (wsId: string, roleId: string) => ({ PK: `WS#${wsId}`, SK: `ROLE#${roleId}` });
/** Holds a custom role's normalised name so two roles cannot share one (written with the role). */
export const roleNameKey = (wsId: string, nameKey: string) => ({ PK: `WS#${wsId}`, SK: `ROLENAME#${nameKey}` });
export const ROLE_PREFIX = 'ROLE#';
