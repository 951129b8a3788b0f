import * as z from 'zod';
import { DisplayName } from '../text/display-name';

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

const GrantRef = z.object({ userId: z.string(), workspaceId: z.string() });
export const OrganizationRepair = z
  .object({
    orgId: z.string(),
    /** Grants a listed admin lacked in a workspace of the organization. */
    grantsWritten: z.array(GrantRef),
    /** Grants of users who are not admins (or of workspaces outside the organization). */
    grantsDeleted: z.array(GrantRef),
    /** Former admins with no grant left, no longer tracked. */
    holdersPruned: z.array(z.string()),
    /** The stored admin count or version was missing or wrong, and was set. */
    countersFixed: z.boolean(),
  })
  .meta({ id: 'OrganizationRepair' });
export type OrganizationRepair = z.infer<typeof OrganizationRepair>;
