import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { permissionInput, ScopeSchema } from '../permissions/schema';
import { Grant, Member } from '../table/members/member';

export { Grant, Member };

export const MemberPage = z
  .object({ items: z.array(Member), nextCursor: z.string().nullable() })
  .meta({ id: 'MemberPage' });
export const ListMembersQuery = PageQuery.extend({ roleId: z.string().min(1).max(64).optional() }).strict();
export const MemberParams = z.object({ ws: z.string().min(1).max(64), memberId: z.string().min(1).max(64) });
export const UpdateMemberBody = z.strictObject({
  roleId: z.string().min(1).max(64),
  /** Hold the role until then (in the future), then go back to the role held before. */
  until: z.iso.datetime({ offset: true }).optional(),
});
/** Permissions to grant: catalog keys, `true` or a scope (scoped permissions only; `true` means `all`). */
export const GrantPermissionsInput = permissionInput(z.union([z.literal(true), ScopeSchema]), {
  noScope: 'use true',
  nonEmpty: 'Name at least one permission',
});
export const CreateGrantBody = z.strictObject({
  permissions: GrantPermissionsInput,
  until: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(500),
});
export const GrantParams = MemberParams.extend({ grantId: z.string().min(1).max(64) });
export const TransferOwnershipBody = z.strictObject({ memberId: z.string().min(1).max(64) });
