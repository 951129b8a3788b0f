import { z } from 'zod';
import { DisplayName } from '../workspaces/schema';

export const CreateOrganizationBody = z.strictObject({ name: DisplayName });
export const OrgParams = z.object({ orgId: z.string().min(1).max(64) });
export const OrgAdminParams = z.object({ orgId: z.string().min(1).max(64), userId: z.string().min(1).max(256) });
export const OrgWorkspaceParams = z.object({ orgId: z.string().min(1).max(64), ws: z.string().min(1).max(64) });
export const AddCompanyAdminBody = z.strictObject({
  userId: z.string().min(1).max(256),
  email: z.email().max(254).optional(),
});

export const Organization = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    admins: z.array(z.object({ userId: z.string(), email: z.string(), addedAt: z.string() })),
    workspaceIds: z.array(z.string()),
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof Organization>;
