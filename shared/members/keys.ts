// A member is two items written together: the member itself in the workspace partition (lists, role
// filter through GSI1) and the user's membership pointer that the authorizer reads by (user, workspace).
export const memberKey = (wsId: string, memberId: string) => ({ PK: `WS#${wsId}`, SK: `MEMBER#${memberId}` });
export const memberRoleIndexKey = (wsId: string, roleId: string, memberId: string) => ({
  GSI1PK: `WS#${wsId}#ROLE#${roleId}`,
  GSI1SK: `MEMBER#${memberId}`,
});
export const membershipKey = (userId: string, wsId: string) => ({ PK: `USER#${userId}`, SK: `WS#${wsId}` });
export const memberEmailKey = (wsId: string, emailKey: string) => ({ PK: `WS#${wsId}`, SK: `MEMBEREMAIL#${emailKey}` });
export const MEMBER_PREFIX = 'MEMBER#';
