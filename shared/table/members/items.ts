// The items one member is made of, written and deleted together:
// - the member, in the workspace partition (lists; GSI1 for "members of a role");
// - the user's membership pointer, which the authorizer reads by (user, workspace);
// - an email lock, so an email belongs to at most one member of a workspace (and invitations can
//   tell "already a member" in one read).
import * as z from 'zod/mini';
import { SCOPES } from '../../permissions/catalog';
import {
  earliestEnd,
  memberEmailKey,
  memberGrantExpiryIndexKey,
  memberKey,
  memberRoleIndexKey,
  membershipKey,
} from './keys';
import type { Member } from './member';

/** Held permissions as stored: a permission key → `true`, or the scope of a scoped permission. */
const StoredPermissions = z.partialRecord(z.string(), z.union([z.literal(true), z.enum(SCOPES)]));

/**
 * The membership pointer as stored: what the authorizer reads by (user, workspace), so the schema is
 * `zod/mini` (the authorizer bundle stays small).
 */
export const MembershipRecord = z.object({
  userId: z.string(),
  workspaceId: z.string(),
  memberId: z.string(),
  roleId: z.string(),
  email: z.string(),
  /** `deactivated`: the authorizer refuses the user here (absent: active). Written with the member item. */
  status: z.optional(z.enum(['active', 'deactivated'])),
  /** Time-bound grants, copied from the member item in the same transactions (what the authorizer reads). */
  roleUntil: z.optional(z.string()),
  previousRoleId: z.optional(z.string()),
  grants: z.optional(z.array(z.object({ id: z.string(), permissions: StoredPermissions, until: z.string() }))),
});
export type MembershipRecord = z.output<typeof MembershipRecord>;

/**
 * The key emails are compared by ("one member per email", matching an invitation on accept, pending
 * invitation dedupe): surrounding ASCII white space dropped and ASCII letters lowercased, nothing else.
 * `toLowerCase()` would fold some non-ASCII letters into ASCII ones (the Kelvin sign U+212A into `k`,
 * so `\u212Aate@x.test` would be `kate@x.test`); a key never does. Invitations only take ASCII addresses
 * (see `Email`); a token's email may be anything, and then matches only itself.
 */
export const emailKeyOf = (email: string) =>
  email.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '').replace(/[A-Z]+/g, (s) => s.toLowerCase());

export function memberItems(wsId: string, member: Member): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [
    {
      ...memberKey(wsId, member.id),
      ...memberRoleIndexKey(wsId, member.roleId, member.id),
      entity: 'Member',
      workspaceId: wsId,
      version: 1,
      ...member,
      // Stored as a string set so teams can ADD/DELETE themselves without a read; absent when empty.
      teamIds: member.teamIds.length > 0 ? new Set(member.teamIds) : undefined,
      ...grantExpiryAttributes(wsId, member),
    },
    {
      ...membershipKey(member.userId, wsId),
      entity: 'Membership',
      userId: member.userId,
      workspaceId: wsId,
      memberId: member.id,
      roleId: member.roleId,
      email: member.email,
    } satisfies MembershipRecord & Record<string, unknown>,
  ];
  if (member.email) {
    items.push({ ...memberEmailKey(wsId, emailKeyOf(member.email)), entity: 'MemberEmail', memberId: member.id });
  }
  return items;
}

/** A member written whole with a term or grants (seeds, fixtures) is in the grant-expiry index from the start. */
function grantExpiryAttributes(wsId: string, member: Member): Record<string, string> {
  const grantsUntil = earliestEnd((member.grants ?? []).map((g) => g.until));
  const nearest = earliestEnd([member.roleUntil, grantsUntil]);
  return {
    ...(grantsUntil ? { grantsUntil } : {}),
    ...(nearest ? memberGrantExpiryIndexKey(wsId, member.id, nearest) : {}),
  };
}

/** Keys of every item `memberItems` wrote, to delete a member whole. */
export function memberItemKeys(wsId: string, member: Member) {
  return [
    memberKey(wsId, member.id),
    membershipKey(member.userId, wsId),
    ...(member.email ? [memberEmailKey(wsId, emailKeyOf(member.email))] : []),
  ];
}
