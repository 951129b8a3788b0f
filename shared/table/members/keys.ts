import { shardOf } from '../../db/shard';

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

/**
 * The grant-expiry entry of a member in the sparse GSI2: present only while the member item carries a role term
 * or extra grants, keyed by the nearest of their ends, so the grant sweep Queries what is due (`GSI2SK` before
 * now) instead of scanning the table. Members are spread over GRANT_EXPIRY_SHARDS partitions by a hash of their
 * id, so no single index partition takes every grant write.
 */
export const GRANT_EXPIRY_SHARDS = 8;
export const grantExpiryPk = (shard: number) => `GRANTEXP#${shard}`;

export const grantExpiryShard = (memberId: string): number => shardOf(memberId, GRANT_EXPIRY_SHARDS);

export const memberGrantExpiryIndexKey = (wsId: string, memberId: string, until: string) => ({
  GSI2PK: grantExpiryPk(grantExpiryShard(memberId)),
  GSI2SK: `${until}#${wsId}#${memberId}`,
});

/** The earliest end among stored grants (ended ones included: the sweep has yet to drop them). */
export const earliestEnd = (untils: readonly (string | undefined)[]): string | undefined =>
  untils.filter((u): u is string => u !== undefined).sort()[0];

/**
 * The "release due" marker of a member who left its conversations behind, written by the transaction that
 * deactivates or removes it: the release of its conversations finds them through GSI1 (the assignee index), which
 * DynamoDB updates eventually, so an assignment committed an instant before can be missing from that first pass.
 * The marker's entry in the sparse GSI2 (`RELEASE#<shard>` / `<at>#<ws>#<memberId>`) has the grant sweep run the
 * release again until a pass finds nothing, once the index has had time to catch up. It names its departure by
 * the attribute holding its instant (`deactivatedAt` or `removedAt`), so a deletion conditioned on one never takes
 * the other: a removal replaces a deactivation's marker. Reactivation deletes it.
 */
export type Departure = 'deactivated' | 'removed';
export const RELEASE_SHARDS = 8;
export const releaseDuePk = (shard: number) => `RELEASE#${shard}`;
export const releaseMarkerKey = (wsId: string, memberId: string) => ({ PK: `WS#${wsId}`, SK: `RELEASE#${memberId}` });
export const releaseMarkerAttribute = { deactivated: 'deactivatedAt', removed: 'removedAt' } as const;

export const releaseMarkerItem = (wsId: string, memberId: string, departure: Departure, at: string) => ({
  ...releaseMarkerKey(wsId, memberId),
  GSI2PK: releaseDuePk(shardOf(memberId, RELEASE_SHARDS)),
  GSI2SK: `${at}#${wsId}#${memberId}`,
  entity: 'ReleaseDue',
  workspaceId: wsId,
  memberId,
  [releaseMarkerAttribute[departure]]: at,
});

/**
 * The "reach release due" marker of a change that took members' reach of inboxes away (shared/conversations/
 * reach-release.ts), written by that change's transaction: its release finds the members' conversations through
 * GSI1 too, so an assignment committed an instant before can be missing from it. One marker per change (its id
 * names it), in the release markers' GSI2 family (`RELEASE#<shard>` / `<lostAt>#<ws>#<markerId>`), so the same
 * walk of the grant sweep runs the lost-reach check again for those members, with what is in force then, until a
 * pass finds nothing to release past the safety margin. `memberIds`: the members it took reach from, or `all` (a
 * change of too many to list: every member of the workspace is checked). `inboxIds`: the inboxes it took, or `all`
 * (a change of what they hold).
 */
export const REACH_MARKER_PREFIX = 'REACHLOSS#';
export const reachMarkerKey = (wsId: string, markerId: string) => ({
  PK: `WS#${wsId}`,
  SK: `${REACH_MARKER_PREFIX}${markerId}`,
});
export const reachMarkerItem = (
  wsId: string,
  markerId: string,
  lostAt: string,
  memberIds: readonly string[] | 'all',
  inboxIds: readonly string[] | 'all',
) => ({
  ...reachMarkerKey(wsId, markerId),
  GSI2PK: releaseDuePk(shardOf(markerId, RELEASE_SHARDS)),
  GSI2SK: `${lostAt}#${wsId}#${markerId}`,
  entity: 'ReachReleaseDue',
  workspaceId: wsId,
  markerId,
  lostAt,
  memberIds: memberIds === 'all' ? 'all' : [...memberIds],
  inboxIds: inboxIds === 'all' ? 'all' : [...inboxIds],
});
