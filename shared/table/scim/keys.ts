// Keys of SCIM's items (PRODUCT.md §12). A token is two items, like an API key: the workspace's record (list,
// revoke) and the lookup the SCIM handler reads by the token's SHA-256. A provisioned user is a member (the
// member's own items) plus a SCIM user item and its index items in the workspace partition, each a key a filter
// compiles to: one Query on the partition, never a Scan.
import { wsPk } from '../workspaces/keys';

export const SCIM_TOKEN_PREFIX = 'SCIMTOKEN#';
export const scimTokenRecordKey = (wsId: string, tokenId: string) => ({
  PK: wsPk(wsId),
  SK: `${SCIM_TOKEN_PREFIX}${tokenId}`,
});
export const scimTokenLookupKey = (tokenHash: string) => ({ PK: `${SCIM_TOKEN_PREFIX}${tokenHash}`, SK: 'SCIMTOKEN' });

/** The SCIM view of a member (userName, externalId, name, emails): `SCIMUSER#<memberId>`. */
export const SCIM_USER_PREFIX = 'SCIMUSER#';
export const scimUserKey = (wsId: string, memberId: string) => ({
  PK: wsPk(wsId),
  SK: `${SCIM_USER_PREFIX}${memberId}`,
});

/**
 * Index items: `<prefix><value key>#<id>`. userName and a group's externalId are unique (the item without the id
 * suffix is the lock: `SCIMUN#<lower userName>`); the others may repeat and carry the id in the key.
 */
export const SCIM_INDEX = {
  userName: 'SCIMUN#',
  userExternalId: 'SCIMUX#',
  userDisplayName: 'SCIMUD#',
  userEmail: 'SCIMUE#',
  groupExternalId: 'SCIMGX#',
  groupDisplayName: 'SCIMGD#',
} as const;
export type ScimIndex = keyof typeof SCIM_INDEX;

/** userName and group displayName keys: unique in the workspace, case-insensitive (RFC 7643 §4.1.1 caseExact false). */
export const scimLockKey = (wsId: string, index: 'userName' | 'groupDisplayName', value: string) => ({
  PK: wsPk(wsId),
  SK: `${SCIM_INDEX[index]}${lowerKey(value)}`,
});
export const scimIndexKey = (wsId: string, index: ScimIndex, value: string, id: string) => ({
  PK: wsPk(wsId),
  SK: `${SCIM_INDEX[index]}${lowerKey(value)}#${id}`,
});

/** Case-insensitive keys: ASCII letters lowered (as emails are compared), `#` escaped so a value never ends a key. */
export const lowerKey = (value: string) => value.replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(/#/g, '%23');

/** Group membership, one item per member (no list rewritten): `SCIMGM#<teamId>#<memberId>`. */
export const SCIM_GROUP_MEMBER_PREFIX = 'SCIMGM#';
export const scimGroupMemberKey = (wsId: string, teamId: string, memberId: string) => ({
  PK: wsPk(wsId),
  SK: `${SCIM_GROUP_MEMBER_PREFIX}${teamId}#${memberId}`,
});

/**
 * A provisioned member not yet signed in: its membership pointer is keyed by this placeholder user id until the
 * first sign-in with its verified email binds it (a JWT subject with this prefix is refused, so none can claim it).
 */
export const UNBOUND_USER_PREFIX = 'scim:';
export const unboundUserId = (memberId: string) => `${UNBOUND_USER_PREFIX}${memberId}`;
/** Where a sign-in finds the members waiting for its verified email: `SCIMBIND#<email key>` / `WS#<ws>#<memberId>`. */
export const scimBindKey = (emailKey: string, wsId: string, memberId: string) => ({
  PK: `SCIMBIND#${emailKey}`,
  SK: `WS#${wsId}#${memberId}`,
});
