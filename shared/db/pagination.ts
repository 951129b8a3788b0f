// Cursor pagination over DynamoDB Query: the cursor is the LastEvaluatedKey, base64url JSON. A cursor is
// only accepted for the partition (and item kind) it came from, so a forged one cannot reach another
// workspace's items; anything else is a 400.
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

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * @param expect attribute → required value (exact) or prefix (`{ prefix }`) the cursor's key must have.
 */
export function decodeCursor(
  cursor: string | undefined,
  expect: Record<string, string | { prefix: string }>,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const bad = () =>
    new InvalidRequest('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  // A key attribute is never empty in DynamoDB: an empty value would reach the Query as a ValidationException (500).
  const key = z.record(z.string(), z.string().min(1).max(1024)).safeParse(parsed);
  if (!key.success) throw bad();
  const allowed = new Set(Object.keys(expect));
  for (const [attr, rule] of Object.entries(expect)) {
    const v = key.data[attr];
    if (v === undefined) throw bad();
    if (typeof rule === 'string' ? v !== rule : !v.startsWith(rule.prefix)) throw bad();
  }
  for (const attr of Object.keys(key.data)) if (!allowed.has(attr)) throw bad();
  return key.data;
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
    let last: string;
    try {
      last = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')).after;
    } catch {
      throw new InvalidRequest('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);
    }
    const at = items.findIndex((t) => idOf(t) === last);
    if (typeof last !== 'string' || at < 0) {
      throw new InvalidRequest('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);
    }
    start = at + 1;
  }
  const slice = items.slice(start, start + page.limit);
  const more = start + page.limit < items.length;
  const lastItem = slice[slice.length - 1];
  return {
    items: slice,
    nextCursor: more && lastItem ? Buffer.from(JSON.stringify({ after: idOf(lastItem) })).toString('base64url') : null,
  };
}
