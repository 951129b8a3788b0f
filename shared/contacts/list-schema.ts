import * as z from 'zod';
import { DisplayName } from '../text/display-name';

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

/** Names JavaScript objects carry already (Object.prototype's, and `prototype`): never an attribute key. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const AttributeDef = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'a letter, then letters, digits or _ (at most 40)')
      // Keys become property names of every contact's values: a name each object already has (`constructor`,
      // `toString`, ...) would read as a value nobody stored.
      .refine((k) => !RESERVED_KEYS.has(k), 'a name every object has (constructor, toString, ...) is reserved'),
    label: DisplayName.max(60),
    type: z.enum(ATTRIBUTE_TYPES),
  })
  .meta({ id: 'AttributeDefinition' });
export type AttributeDef = z.infer<typeof AttributeDef>;

export const AttributesBody = z
  .strictObject({ attributes: z.array(AttributeDef).max(MAX_ATTRIBUTES) })
  .refine((b) => new Set(b.attributes.map((a) => a.key)).size === b.attributes.length, {
    message: 'Attribute keys must be unique',
    path: ['attributes'],
  })
  .meta({ id: 'Attributes' });
export const Attributes = z.object({ attributes: z.array(AttributeDef) }).meta({ id: 'AttributeList' });

export const OptOutsBody = z
  .strictObject({ contactIds: z.array(z.string().min(1).max(64)).max(MAX_OPT_OUTS) })
  .meta({ id: 'OptOuts' });
export const OptOuts = z.object({ contactIds: z.array(z.string()) }).meta({ id: 'OptOutList' });

/** A word or short phrase: trimmed, no control characters, at least one letter or digit. */
export const RestrictedWordText = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters')
  .regex(/[\p{L}\p{N}]/u, 'must contain a letter or a digit');
export const RestrictedWordsBody = z
  .strictObject({ words: z.array(RestrictedWordText).max(MAX_RESTRICTED_WORDS) })
  .meta({ id: 'RestrictedWords' });
export const RestrictedWords = z.object({ words: z.array(z.string()) }).meta({ id: 'RestrictedWordList' });

/** The stored items (parsed at the repository boundary); a list never written is empty at version 0. */
export const ListValues = {
  attributes: z.array(z.object({ key: z.string(), label: z.string(), type: z.enum(ATTRIBUTE_TYPES) })),
  optOuts: z.array(z.string()),
  restrictedWords: z.array(z.string()),
} as const;
export type ListValue<N extends keyof typeof ListValues> = z.infer<(typeof ListValues)[N]>;
