// The one cursor codec of every list: a cursor (or an AuthZEN page token) is a small JSON state, base64url.
// `writeCursor` wraps a state, `readCursor` reads one back through a zod schema of the state that list writes,
// so a forged or foreign cursor is a 400, never a 5xx. On top of it, a Query cursor is the LastEvaluatedKey and is
// only accepted for the partition (and item kind) it came from, so a forged one cannot reach another
// workspace's items.
import * as z from 'zod';
import { InvalidRequest } from '../errors';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The 400 of a list's `cursor` query parameter that is not one of its cursors. */
export const invalidCursor = () =>
  new InvalidRequest('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);

/** A list's state as an opaque cursor. */
export function writeCursor(state: object): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** Reads a cursor made by `writeCursor`: its state as `shape` says, else `bad()` (by default the cursor's 400). */
export function readCursor<T>(cursor: string, shape: z.core.$ZodType<T>, bad: () => Error = invalidCursor): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const state = z.safeParse(shape, parsed);
  if (!state.success) throw bad();
  return state.data;
}

/** The cursor of a list in id order: the last id returned. */
const AfterCursor = z.object({ after: z.string().min(1).max(1024) });
export const writeAfterCursor = (after: string) => writeCursor({ after });
export const readAfterCursor = (cursor: string) => readCursor(cursor, AfterCursor).after;

// A key attribute is never empty in DynamoDB: an empty value would reach the Query as a ValidationException (500).
const KeyCursor = z.record(z.string(), z.string().min(1).max(1024));

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? writeCursor(key) : null;
}

/**
 * @param expect attribute → required value (exact) or prefix (`{ prefix }`) the cursor's key must have.
 */
export function decodeCursor(
  cursor: string | undefined,
  expect: Record<string, string | { prefix: string }>,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const key = readCursor(cursor, KeyCursor);
  const allowed = new Set(Object.keys(expect));
  for (const [attr, rule] of Object.entries(expect)) {
    const v = key[attr];
    if (v === undefined) throw invalidCursor();
    if (typeof rule === 'string' ? v !== rule : !v.startsWith(rule.prefix)) throw invalidCursor();
  }
  for (const attr of Object.keys(key)) if (!allowed.has(attr)) throw invalidCursor();
  return key;
}

/**
 * Pages a list already in memory (small, bounded lists whose order is computed: roles, inboxes, keys).
 * The cursor is the last id returned, so a page stays right when items are added before it.
 */
export function pageInMemory<T>(
  items: T[],
  page: { limit: number; cursor?: string | undefined },
  idOf: (t: T) => string,
): Page<T> {
  let start = 0;
  if (page.cursor !== undefined) {
    const last = readAfterCursor(page.cursor);
    const at = items.findIndex((t) => idOf(t) === last);
    if (at < 0) throw invalidCursor();
    start = at + 1;
  }
  const slice = items.slice(start, start + page.limit);
  const more = start + page.limit < items.length;
  const lastItem = slice[slice.length - 1];
  return {
    items: slice,
    nextCursor: more && lastItem ? writeAfterCursor(idOf(lastItem)) : null,
  };
}
