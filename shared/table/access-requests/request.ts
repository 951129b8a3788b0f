// An access request as the API shows it (the stored record adds its storage fields: access-requests/repository.ts).
// Below the access-requests domain so what answers or stores a request (a change that became one, in the
// workspaces, members, roles... functions) loads this, not the access requests API's request schemas.
import * as z from 'zod';
import { ChangeRequest } from '../../change-request';
import { PermissionMap } from '../../permissions/schema';

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
