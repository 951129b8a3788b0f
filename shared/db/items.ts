// Stored items become records through their entity's zod schema, here, at the repository boundary. An item
// that does not parse is a bug or a missing migration: a 500 whose cause is logged (the error mapper logs
// every 5xx), never a record with holes. `zod/mini`'s parse takes classic and mini schemas alike, so the
// authorizer's access loader (mini schemas, small bundle) and the repositories (classic) share this.
import * as z from 'zod/mini';
import { InternalError } from '../errors';

/**
 * `item` as the record `schema` describes, or an `InternalError` naming `what` and the attributes that
 * failed (their paths and zod's messages, never their values: items hold emails and hashes).
 */
export function parseItem<S extends z.core.$ZodType>(
  schema: S,
  item: Record<string, unknown>,
  what: string,
): z.output<S> {
  const res = z.safeParse(schema, item);
  if (res.success) return res.data;
  const issues = res.error.issues.map((i) => `${i.path.map(String).join('.') || '(item)'}: ${i.message}`).join('; ');
  throw new InternalError(new Error(`${what} item does not parse: ${issues}`));
}

/** `parseItem` as a mapper for lists and pages (`items.map(parser(Schema, 'Thing'))`). */
export const itemParser =
  <S extends z.core.$ZodType>(schema: S, what: string) =>
  (item: Record<string, unknown>): z.output<S> =>
    parseItem(schema, item, what);
