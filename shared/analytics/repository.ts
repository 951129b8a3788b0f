import { parseItem } from '../db/items';
import { queryAll } from '../db/ops';
import { windowBounds } from '../table/analytics/keys';
import { wsPk } from '../table/workspaces/keys';
import { CounterRecord } from './schema';

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
