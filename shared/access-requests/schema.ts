import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { GrantPermissionsInput } from '../members/schema';
import { AccessRequest, AccessRequestStatus } from '../table/access-requests/request';

export { AccessRequest, AccessRequestStatus };

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
