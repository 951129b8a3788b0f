export const orgKey = (orgId: string) => ({ PK: `ORG#${orgId}`, SK: 'META' });
export const orgAdminKey = (orgId: string, userId: string) => ({ PK: `ORG#${orgId}`, SK: `ADMIN#${userId}` });
export const orgWorkspaceKey = (orgId: string, wsId: string) => ({ PK: `ORG#${orgId}`, SK: `WS#${wsId}` });
/**
 * A company admin's standing in one workspace of the organization, beside (never instead of) a
 * membership: the authorizer reads it in the same batch. Written for every (admin, workspace) pair.
 */
export const companyAdminGrantKey = (userId: string, wsId: string) => ({ PK: `USER#${userId}`, SK: `ORGWS#${wsId}` });
