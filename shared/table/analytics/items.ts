// The analytics counters' transaction items: a conversation's and a sent message's writes carry them, so the
// counters move with the change (the analytics repository reads them).
import { tableName } from '../../db/client';
import type { TransactItem } from '../../db/ops';
import { dayOf, inboxDayKey, memberDayKey } from './keys';

/** What the counters need of a conversation. */
export interface CountedConversation {
  inboxId: string;
  status: 'open' | 'archived';
  createdAt: string;
}

const add = (Key: { PK: string; SK: string }, deltas: Record<string, number>): TransactItem => {
  const names = Object.keys(deltas);
  return {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: `ADD ${names.map((_n, i) => `#n${i} :v${i}`).join(', ')} SET entity = :e`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:v${i}`, deltas[n]])),
        ':e': 'StatCounter',
      },
    },
  };
};

/**
 * FOR CONVERSATIONS: the counter updates of a conversation going from `before` to `after` — put them in
 * the transaction that writes the change:
 * - create: `conversationCounterItems(ws, null, record)`;
 * - archive / reopen / move / assign: `conversationCounterItems(ws, before, after)` (none when nothing counted changes);
 * - delete: `conversationCounterItems(ws, record, null)`.
 * At most two items, never the same item twice.
 */
export function conversationCounterItems(
  wsId: string,
  before: CountedConversation | null,
  after: CountedConversation | null,
): TransactItem[] {
  const deltas = new Map<string, { key: { PK: string; SK: string }; d: Record<string, number> }>();
  const move = (c: CountedConversation, n: number) => {
    const key = inboxDayKey(wsId, dayOf(c.createdAt), c.inboxId);
    const entry = deltas.get(key.SK) ?? { key, d: {} };
    entry.d[c.status] = (entry.d[c.status] ?? 0) + n;
    deltas.set(key.SK, entry);
  };
  if (before) move(before, -1);
  if (after) move(after, 1);
  const out: TransactItem[] = [];
  for (const { key, d } of deltas.values()) {
    const changed = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== 0));
    if (Object.keys(changed).length > 0) out.push(add(key, changed));
  }
  return out;
}

/** FOR CONVERSATIONS: put this in the transaction that adds a sent message (not a comment). */
export function messageSentCounterItem(wsId: string, authorMemberId: string, createdAt: string): TransactItem {
  return add(memberDayKey(wsId, dayOf(createdAt), authorMemberId), { sent: 1 });
}
