// A member as stored and as the API shows it (one shape: the API's Member is the stored item minus its keys).
import * as z from 'zod';
import { PermissionMap } from '../../permissions/schema';

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
