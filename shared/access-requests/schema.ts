import * as z from 'zod';
import { ChangeRequest } from '../change-request';
import { PageQuery } from '../db/pagination';
import { GrantPermissionsInput } from '../members/schema';
import { PermissionMap } from '../permissions/schema';

export const AccessRequestStatus = z.enum(['pending', 'approved', 'denied', 'expired']);

export const AccessRequest = z
  .object({
    id: z.string(),
    /** The member who would get it (absent for an invitation). */
    memberId: z.string().optional(),
    /** Who asked: the member itself, or someone whose change `requireApprovalFor` turned into a request. */
    requestedBy: z.string(),
    kind: z.enum(['role', 'permissions', 'invitation', 'change']),
    /**
     * requireApprovalFor: a change that grants and waits for someone else's approval (kind `change`): approving
     * it makes the change as the approver, except an API key, which its requester may then create once.
     */
    change: ChangeRequest.optional(),
    roleId: z.string().optional(),
    /** An invitation waiting for approval (requireApprovalFor): who it would go to, with which inboxes. */
    email: z.string().optional(),
    inboxIds: z.array(z.string()).optional(),
    permissions: PermissionMap.optional(),
    /** The grant ends then (a role: back to the role held before). Absent: for good (roles only). */
    until: z.iso.datetime().optional(),
    reason: z.string(),
    status: AccessRequestStatus,
    createdAt: z.iso.datetime(),
    /** A pending request can be approved until then (7 days). */
    expiresAt: z.iso.datetime(),
    decidedBy: z.string().optional(),
    decidedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'AccessRequest' });
export type AccessRequest = z.infer<typeof AccessRequest>;

export const AccessRequestPage = z
  .object({ items: z.array(AccessRequest), nextCursor: z.string().nullable() })
  .meta({ id: 'AccessRequestPage' });

export const CreateAccessRequestBody = z
  .strictObject({
    roleId: z.string().min(1).max(64).optional(),
    permissions: GrantPermissionsInput.optional(),
    reason: z.string().trim().min(1).max(500),
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.roleId === undefined) !== (b.permissions === undefined), {
    message: 'Ask for either a roleId or permissions',
    path: ['roleId'],
  })
  .refine((b) => b.permissions === undefined || b.until !== undefined, {
    message: 'Extra permissions are granted for a period: give `until`',
    path: ['until'],
  });
export type CreateAccessRequestBody = z.infer<typeof CreateAccessRequestBody>;

export const ListAccessRequestsQuery = PageQuery.extend({ status: AccessRequestStatus.optional() }).strict();
export const AccessRequestParams = z.object({
  ws: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
});
