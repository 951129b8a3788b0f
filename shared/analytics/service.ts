// GET .../analytics: counts read from the table, never estimated.
// - conversations per inbox and messages per member: counter items the conversations service moves in the
//   same transaction as each create / archive / reopen / move / delete / send (analytics/repository.ts);
// - members per role: counted from the member items themselves (a Query of the workspace's members).
import type { Access } from '../access';
import { InvalidRequest } from '../errors';
import { listAllMembers } from '../members/repository';
import { memberHoldsSeat } from '../seats/holders';
import { countWindow } from './repository';
import { type Analytics, MAX_WINDOW_DAYS } from './schema';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The window: `to` defaults to today (UTC), `from` to 29 days before `to`; at most MAX_WINDOW_DAYS days. */
function windowOf(q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = q.to ?? (q.from ? isoDay(Math.max(Date.parse(q.from), Date.now())) : isoDay(Date.now()));
  const from = q.from ?? isoDay(Date.parse(to) - 29 * DAY_MS);
  if (from > to) {
    throw new InvalidRequest('The window is empty', [{ path: 'query.from', message: '`from` must not be after `to`' }]);
  }
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_WINDOW_DAYS) {
    throw new InvalidRequest('The window is too long', [
      { path: 'query.from', message: `A window holds at most ${MAX_WINDOW_DAYS} days` },
    ]);
  }
  return { from, to };
}

export async function getAnalytics(
  access: Access,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<Analytics> {
  const { from, to } = windowOf(q);
  const wsId = access.workspace.id;
  const [counts, members] = await Promise.all([countWindow(wsId, from, to), listAllMembers(wsId)]);
  const roles = new Map<string, number>();
  // Active members only: a deactivated one holds no seat and no access (the seats' rule).
  for (const m of members) if (memberHoldsSeat(m)) roles.set(m.roleId, (roles.get(m.roleId) ?? 0) + 1);
  const byKey = <T>(a: [string, T][]) => a.sort(([x], [y]) => x.localeCompare(y));
  return {
    from,
    to,
    conversationsByInbox: byKey([...counts.byInbox])
      .filter(([, c]) => c.open !== 0 || c.archived !== 0)
      .map(([inboxId, c]) => ({ inboxId, open: c.open, archived: c.archived })),
    messagesSentByMember: byKey([...counts.byMember])
      .filter(([, sent]) => sent !== 0)
      .map(([memberId, sent]) => ({ memberId, sent })),
    membersByRole: byKey([...roles]).map(([roleId, n]) => ({ roleId, members: n })),
  };
}
