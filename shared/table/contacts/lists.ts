// A workspace's contact lists as stored (attributes, opt-outs, restricted words) and their bounds. Below the
// contacts domain so a send's checks (shared/conversations/send-rules.ts) load these, not the lists API's request
// schemas (shared/contacts/list-schema.ts re-exports them).
import * as z from 'zod';

/** Bounds that keep each list one item (≤ 400 KB, with room for its audit entry's before/after). */
export const MAX_ATTRIBUTES = 100;
export const MAX_OPT_OUTS = 1000;
export const MAX_RESTRICTED_WORDS = 500;
/**
 * Contacts one opt-out PUT may add or remove: each changes its marker item in the list's transaction, beside the
 * list and its audit entry (≤ 100 items). Beyond, the PUT is refused rather than split into steps, so a change
 * is all or nothing and the list never disagrees with the markers sends are checked against.
 */
export const MAX_OPT_OUT_CHANGES = 98;

export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** The stored items (parsed at the repository boundary); a list never written is empty at version 0. */
export const ListValues = {
  attributes: z.array(z.object({ key: z.string(), label: z.string(), type: z.enum(ATTRIBUTE_TYPES) })),
  optOuts: z.array(z.string()),
  restrictedWords: z.array(z.string()),
} as const;
export type ListValue<N extends keyof typeof ListValues> = z.infer<(typeof ListValues)[N]>;
