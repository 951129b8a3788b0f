export const orgKey = (orgId: string) => ({ PK: `ORG#${orgId}`, SK: 'META' });
export const orgAdminKey = (orgId: string, userId: string) => ({ PK: `ORG#${orgId}`, SK: `ADMIN#${userId}` });
export const orgWorkspaceKey = (orgId: string, wsId: string) => ({ PK: `ORG#${orgId}`, SK: `WS#${wsId}` });
/**
 * Everyone who ever held grants of the organization (written with every admin add and remove, pruned
 * only by a repair that found none of their grants left): how a repair finds grants no admin explains.
 */
export const orgGrantHolderKey = (orgId: string, userId: string) => ({ PK: `ORG#${orgId}`, SK: `HOLDER#${userId}` });
/**
 * A company admin's standing in one workspace of the organization, beside (never instead of) a
 * membership: the authorizer reads it in the same batch. Written for every (admin, workspace) pair.
 */
export const companyAdminGrantKey = (userId: string, wsId: string) => ({ PK: `USER#${userId}`, SK: `ORGWS#${wsId}` });
export const GRANT_PREFIX = 'ORGWS#';
