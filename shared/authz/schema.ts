import * as z from 'zod';
import { PermissionMap } from '../permissions/schema';

export const AuthzCheckBody = z.strictObject({
  action: z.string().min(1).max(64),
  resource: z
    .strictObject({
      type: z.enum(['inbox', 'conversation', 'contact', 'member', 'role']),
      id: z.string().min(1).max(64),
    })
    .optional(),
  memberId: z.string().min(1).max(64).optional(),
});
export type AuthzCheckBody = z.infer<typeof AuthzCheckBody>;

export const AuthzCheckResponse = z
  .object({
    allowed: z.boolean(),
    reason: z.string(),
    permission: z.string().optional(),
    scope: z.string().optional(),
    feature: z.string().optional(),
    code: z.enum(['forbidden', 'plan_limit']).optional(),
    memberId: z.string(),
    roleId: z.string(),
    /** Time-bound grants of the subject in force now, and when each ends. */
    grants: z.array(z.object({ id: z.string(), permissions: PermissionMap, until: z.iso.datetime() })),
    roleGrant: z.object({ roleId: z.string(), until: z.iso.datetime(), previousRoleId: z.string() }).nullable(),
  })
  .meta({ id: 'AuthzDecision' });
