// The change requireApprovalFor turns into a pending request (an access request of kind `change`): its shape sits
// below the services that return it (roles, workspaces, plans, API keys, SCIM tokens) and the access requests
// that store and approve it, so none of them imports another's folder for it.
import * as z from 'zod';

/** A change that grants, asked by its path (kind `change`): which change, and its input as sent. */
export const ChangeRequest = z
  .object({
    action: z.enum([
      'role.update',
      'role.delete',
      'workspace.update',
      'apiKey.create',
      'scimToken.create',
      'plan.change',
    ]),
    /** The role edited or deleted. */
    roleId: z.string().optional(),
    /** role.delete: where its holders move. */
    reassignTo: z.string().optional(),
    /** The body of the change as sent (role.update, workspace.update, apiKey.create, scimToken.create, plan.change). */
    body: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ChangeRequest' });
export type ChangeRequest = z.infer<typeof ChangeRequest>;
