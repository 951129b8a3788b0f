import { z } from 'zod';
import { nameKey } from '../text/skeleton';

/** A display name: trimmed, 1–100 characters, no control characters, not only blank look-alikes (`ㅤ`, `⠀`). */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters')
  .refine((name) => nameKey(name) !== '', 'must contain a visible character');

export const ContactsVisibility = z.enum(['team', 'private']);

export const WorkspaceSettings = z
  .object({
    agentsCanManageAttributes: z.boolean(),
    contactsVisibility: ContactsVisibility,
  })
  .meta({ id: 'WorkspaceSettings' });
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const DEFAULT_SETTINGS: WorkspaceSettings = { agentsCanManageAttributes: false, contactsVisibility: 'team' };

export const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    settings: WorkspaceSettings,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof Workspace>;

export const CreateWorkspaceBody = z.strictObject({
  name: DisplayName,
  plan: z.string().min(1).max(40).optional(),
});
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = z
  .strictObject({
    name: DisplayName.optional(),
    settings: z
      .strictObject({
        agentsCanManageAttributes: z.boolean().optional(),
        contactsVisibility: ContactsVisibility.optional(),
      })
      .optional(),
  })
  .refine((b) => b.name !== undefined || b.settings !== undefined, 'Give at least one of name or settings');
export type UpdateWorkspaceBody = z.infer<typeof UpdateWorkspaceBody>;

export const WorkspaceIdParams = z.object({ ws: z.string().min(1).max(64) });
