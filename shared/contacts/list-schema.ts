import * as z from 'zod';
import {
  ATTRIBUTE_TYPES,
  type AttributeType,
  type ListValue,
  ListValues,
  MAX_ATTRIBUTES,
  MAX_OPT_OUT_CHANGES,
  MAX_OPT_OUTS,
  MAX_RESTRICTED_WORDS,
} from '../table/contacts/lists';
import { DisplayName } from '../text/display-name';

export {
  ATTRIBUTE_TYPES,
  type AttributeType,
  type ListValue,
  ListValues,
  MAX_ATTRIBUTES,
  MAX_OPT_OUT_CHANGES,
  MAX_OPT_OUTS,
  MAX_RESTRICTED_WORDS,
};

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
