import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { PermissionMap, permissionInput, ScopeSchema } from '../permissions/schema';

export const Grant = z
  .object({
    id: z.string(),
    permissions: PermissionMap,
    until: z.iso.datetime(),
    reason: z.string().optional(),
    grantedBy: z.string().optional(),
    grantedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Grant' });

export const Member = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    roleId: z.string(),
    inboxIds: z.array(z.string()),
    teamIds: z.array(z.string()),
    joinedAt: z.iso.datetime(),
    /** Moves with every change of the member's role, teams, status or grants. */
    version: z.number().int().optional(),
    /** `deactivated`: no access, no seat; id, history and authored work kept (absent: active). */
    status: z.enum(['active', 'deactivated']).optional(),
    deactivatedAt: z.iso.datetime().optional(),
    /** A time-bound role: `roleId` until `roleUntil`, then `previousRoleId` again. */
    roleUntil: z.iso.datetime().optional(),
    previousRoleId: z.string().optional(),
    /** Extra permission sets for a period (expired ones are not honoured, and removed by the sweep). */
    grants: z.array(z.lazy(() => Grant)).optional(),
    /** `scim`: provisioned by the identity provider (its role changes only through SCIM while rolesFrom is idp). */
    managedBy: z.literal('scim').optional(),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

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
