// The workspace item as stored. The authorizer parses it on every decision it does not have cached, so the
// schema is `zod/mini` (the authorizer bundle stays small); the repository parses with the same schema.
import * as z from 'zod/mini';

/** The settings as stored: the API's `WorkspaceSettings` (schema.ts, classic zod for the document). */
export const StoredWorkspaceSettings = z.object({
  agentsCanManageAttributes: z.boolean(),
  contactsVisibility: z.enum(['team', 'private']),
  requireApprovalFor: z.optional(z.array(z.string())),
  inviteDomains: z.optional(z.array(z.string())),
  requireIdentityProvider: z.optional(z.array(z.string())),
  scim: z.optional(
    z.object({
      rolesFrom: z.enum(['idp', 'app']),
      groupRoles: z.array(z.object({ group: z.string(), roleId: z.string() })),
      defaultRoleId: z.string(),
    }),
  ),
});

/** The workspace item: small and bounded whatever the workspace holds (the authorizer reads it on every decision). */
export const WorkspaceRecord = z.object({
  id: z.string(),
  name: z.string(),
  planId: z.string(),
  settings: StoredWorkspaceSettings,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int(),
  /**
   * Bumped by every custom-role create/delete; role writes and the plan's role limit serialize on it.
   * Workspaces created before custom roles were counted have neither counter: both start at 0.
   */
  rolesVersion: z._default(z.int(), 0),
  /** How many custom roles the workspace holds (kept by the role transactions). */
  customRoleCount: z._default(z.int(), 0),
  /** The organization the workspace belongs to, if any. */
  orgId: z.optional(z.string()),
});
export type WorkspaceRecord = z.output<typeof WorkspaceRecord>;
