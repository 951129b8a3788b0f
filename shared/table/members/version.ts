import { versionBump, versionIs } from '../../db/versions';

/** The version a member item written before member versions were kept reads as (it has none). */
export const UNVERSIONED_MEMBER = 1;

/** The condition that the member item is still at the version read (see versionIs). */
export const memberVersionIs = (member: { version?: number | undefined }) =>
  versionIs(member.version ?? UNVERSIONED_MEMBER, UNVERSIONED_MEMBER);

/** Every change of role, teams, status or grants moves the member's version with this SET clause. */
export const memberVersionBump = versionBump(UNVERSIONED_MEMBER);
