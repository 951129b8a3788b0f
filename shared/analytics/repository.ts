// Analytics: counter items moved in the SAME transaction as the change they count (the conversations
// service adds these items to its writes), read back with one Query per window.
import { tableName } from '../db/client';
import { parseItem } from '../db/items';
import { queryAll, type TransactItem } from '../db/ops';
import { dayOf, inboxDayKey, memberDayKey, windowBounds } from '../table/analytics/keys';
import { wsPk } from '../table/workspaces/keys';
import { CounterRecord } from './schema';

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

export interface WindowCounts {
  byInbox: Map<string, { open: number; archived: number }>;
  byMember: Map<string, number>;
}

/** Sums the counters of the days `from..to` (both included): one Query, its size follows the window. */
export async function countWindow(wsId: string, from: string, to: string): Promise<WindowCounts> {
  const { start, end } = windowBounds(from, to);
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :start AND :end',
    ExpressionAttributeValues: { ':pk': wsPk(wsId), ':start': start, ':end': end },
  });
  const byInbox = new Map<string, { open: number; archived: number }>();
  const byMember = new Map<string, number>();
  for (const raw of items) {
    const c = parseItem(CounterRecord, raw, 'Analytics counter');
    const [, , kind, id] = c.SK.split('#');
    if (!id) continue;
    if (kind === 'INBOX') {
      const sum = byInbox.get(id) ?? { open: 0, archived: 0 };
      sum.open += c.open ?? 0;
      sum.archived += c.archived ?? 0;
      byInbox.set(id, sum);
    } else if (kind === 'MEMBER') byMember.set(id, (byMember.get(id) ?? 0) + (c.sent ?? 0));
  }
  return { byInbox, byMember };
}
