// A contact as stored. Below the contacts domain so what reads a contact to decide (a send's opt-out and
// restricted-word checks, in the conversations, tags and authzen functions) loads this, not the contacts API's
// request schemas (shared/contacts/schema.ts re-exports it).
import * as z from 'zod';

/** A value of a workspace attribute (PUT .../attributes defines the keys and types). */
export const AttributeValue = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

/** What the table holds (parsed at the repository boundary). */
export const ContactRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  blocked: z.boolean(),
  /** The member who created it (an API key acts as its member). */
  createdBy: z.string(),
  attributes: z.record(z.string(), AttributeValue),
  /** Inboxes the contact has had a conversation in (a string set in the table). */
  inboxIds: z.preprocess((v) => (v === undefined ? [] : v instanceof Set ? [...v].sort() : v), z.array(z.string())),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactRecord = z.infer<typeof ContactRecord>;
