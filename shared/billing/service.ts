// Billing views (PRODUCT.md §9): the seat count explained, a billing period's snapshot, the ledger.
//
// Period snapshot: each member who held a seat during the month (members now, and removed members from
// their seat history items) with their role, paid or free, and seat-days; the seat count at the start,
// peak and end; the billed quantity at the end; the period's ledger entries; and a digest of the inputs.
// Choices where the spec is silent:
// - a seat-day is a UTC day of the period on which the member held a seat at any moment (whole days, as
//   billing systems prorate); a running period counts up to now (`complete: false`);
// - roles are each member's role now (or when removed): role changes are not kept as history, so the
//   free Admin seat is the policy applied to those holding a seat at the period's end (or now);
// - the digest is sha256 of canonical JSON (keys sorted) of the inputs: the period, every seat interval
//   (member, role, joinedAt, leftAt) and the ledger entries up to the end; the same inputs always give the
//   same digest (it does not depend on when it is computed).
import { createHash } from 'node:crypto';
import type { Access } from '../access';
import { now } from '../clock';
import { InvalidRequest } from '../errors';
import { getSeatCounter } from '../seats/counter';
import { type SeatHolder, seatPolicy } from './policy';
import { departuresSince, getBilling, ledgerUntil, listLedger, seatHolders } from './repository';
import { PERIOD } from './schema';

export async function getSeats(access: Access) {
  const wsId = access.workspace.id;
  const [members, billing, counter] = await Promise.all([seatHolders(wsId), getBilling(wsId), getSeatCounter(wsId)]);
  const count = seatPolicy(members);
  return {
    seats: count.seats,
    admins: count.admins,
    freeAdminSeats: count.freeAdminSeats,
    paidSeats: count.paidSeats,
    freeAdminMemberId: count.freeAdminMemberId,
    billedSeats: billing?.billedSeats ?? 0,
    lastReconciledAt: billing?.lastReconciledAt ?? null,
    explanation: count.explanation,
    limit: { max: access.plan.limits.seats, used: counter?.seatsUsed ?? count.seats },
  };
}

export function listLedgerPage(access: Access, q: { limit: number; cursor?: string }) {
  return listLedger(access.workspace.id, q);
}

const DAY = 86_400_000;

/** Canonical JSON: object keys sorted at every level, so equal inputs serialize equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface Interval {
  memberId: string;
  roleId: string;
  /** The member's join (tenure: which Admin is the free one). */
  joinedAt: string;
  /** The seat interval began then (a reactivation); absent: at `joinedAt`. */
  seatFrom?: string;
  /** The interval ended then (removed or deactivated); null: holding the seat now. */
  leftAt: string | null;
  active: boolean;
}

const byMemberThenStart = (a: { memberId: string; from: number }, b: { memberId: string; from: number }): number =>
  a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : a.from - b.from;

/** The first instant of month `month0` (0-based; 12 is the next year's January) of `year`, any year from 0 on:
 * Date.UTC reads years 0-99 as 1900-1999, which made period 0042-03 answer for March 1942. */
function monthStart(year: number, month0: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month0, 1);
  return d.getTime();
}

/**
 * Pure: the snapshot of a period from the seat intervals and the ledger (exported for unit tests). A member
 * may hold several intervals (deactivated, then reactivated): one row each member, its seat-days the days
 * any of them touches; the gap between them is not billed.
 */
export function periodSnapshot(
  workspaceId: string,
  period: string,
  intervals: Interval[],
  ledger: { seq: number; before: number; after: number; at: string; period: string }[],
  now: Date,
) {
  const m = PERIOD.exec(period);
  if (!m) throw new InvalidRequest('Not a period', [{ path: 'params.period', message: 'A month as yyyy-mm' }]);
  const start = monthStart(Number(m[1]), Number(m[2]) - 1);
  const end = monthStart(Number(m[1]), Number(m[2]));
  if (start > now.getTime()) {
    throw new InvalidRequest('The period has not started', [
      { path: 'params.period', message: 'A past or current month' },
    ]);
  }
  const complete = end <= now.getTime();
  const until = Math.min(end, now.getTime());
  const inPeriod = intervals
    .filter((i) => i.active)
    .map((i) => ({
      ...i,
      from: Date.parse(i.seatFrom ?? i.joinedAt),
      to: i.leftAt === null ? Number.POSITIVE_INFINITY : Date.parse(i.leftAt),
    }))
    .filter((i) => i.from < until && i.to > start)
    .sort(byMemberThenStart);
  const holding = (t: number) => inPeriod.filter((i) => i.from <= t && i.to > t);
  const presentAt = (t: number) => new Set(holding(t).map((i) => i.memberId)).size;
  const endAt = until - 1;
  // Peak: the count just after each seat interval began within the period (and at its start).
  let peak = presentAt(start);
  for (const i of inPeriod) if (i.from >= start && i.from < until) peak = Math.max(peak, presentAt(i.from));
  const atEnd = holding(endAt);
  const policy = seatPolicy(atEnd.map((i): SeatHolder => ({ id: i.memberId, roleId: i.roleId, joinedAt: i.joinedAt })));
  const byMember = new Map<string, typeof inPeriod>();
  for (const i of inPeriod) byMember.set(i.memberId, [...(byMember.get(i.memberId) ?? []), i]);
  const seatDaysOf = (held: readonly { from: number; to: number }[]) => {
    let days = 0;
    for (let d = start; d < until; d += DAY) if (held.some((i) => i.from < d + DAY && i.to > d)) days += 1;
    return days;
  };
  const members = [...byMember].map(([memberId, held]) => {
    const last = held[held.length - 1] as (typeof held)[number];
    return {
      memberId,
      roleId: last.roleId,
      billing: memberId === policy.freeAdminMemberId ? ('free' as const) : ('paid' as const),
      joinedAt: last.joinedAt,
      leftAt: last.leftAt,
      seatDays: seatDaysOf(held),
    };
  });
  const endIso = new Date(end).toISOString();
  const upToEnd = ledger.filter((e) => e.at < endIso).sort((a, b) => a.seq - b.seq);
  // The inputs as they stood at the period's end: an interval that ended after it is, for this period, one
  // still held, so what happens later (a removal, a deactivation) never changes a closed period's digest.
  const inputs = {
    workspaceId,
    period,
    intervals: intervals
      .filter((i) => i.active)
      .map((i) => ({ ...i, from: Date.parse(i.seatFrom ?? i.joinedAt) }))
      .filter((i) => i.from < end && (i.leftAt === null || Date.parse(i.leftAt) > start))
      .sort(byMemberThenStart)
      .map((i) => ({
        memberId: i.memberId,
        roleId: i.roleId,
        joinedAt: i.joinedAt,
        seatFrom: i.seatFrom,
        leftAt: i.leftAt !== null && Date.parse(i.leftAt) < end ? i.leftAt : null,
        active: true,
      })),
    ledger: upToEnd.map((e) => ({ seq: e.seq, before: e.before, after: e.after, at: e.at })),
  };
  return {
    workspaceId,
    period,
    start: new Date(start).toISOString(),
    end: endIso,
    complete,
    members,
    counts: { start: presentAt(start), peak, end: new Set(atEnd.map((i) => i.memberId)).size },
    seatDays: members.reduce((n, r) => n + r.seatDays, 0),
    freeAdminMemberId: policy.freeAdminMemberId,
    billedSeats: upToEnd[upToEnd.length - 1]?.after ?? 0,
    ledgerSeqs: upToEnd.filter((e) => e.period === period).map((e) => e.seq),
    digest: createHash('sha256').update(canonicalJson(inputs)).digest('hex'),
  };
}

export async function getPeriod(access: Access, period: string) {
  const wsId = access.workspace.id;
  const m = PERIOD.exec(period);
  if (!m) throw new InvalidRequest('Not a period', [{ path: 'params.period', message: 'A month as yyyy-mm' }]);
  const startIso = new Date(monthStart(Number(m[1]), Number(m[2]) - 1)).toISOString();
  const endIso = new Date(monthStart(Number(m[1]), Number(m[2]))).toISOString();
  const [members, departed, ledger] = await Promise.all([
    seatHolders(wsId),
    departuresSince(wsId, startIso),
    ledgerUntil(wsId, endIso),
  ]);
  // Every seat interval: those that ended (removals, deactivations) from their items, and the one each
  // active member holds now. A deactivated member holds none now; one deactivated before deactivations wrote
  // their interval has it rebuilt from the member item (its seat ended at `deactivatedAt`).
  const ended = new Set(departed.map((d) => `${d.memberId}#${d.leftAt}`));
  const intervals: Interval[] = [
    ...members.flatMap((h): Interval[] => {
      if (h.active !== false)
        return [
          { memberId: h.id, roleId: h.roleId, joinedAt: h.joinedAt, seatFrom: h.seatFrom, leftAt: null, active: true },
        ];
      if (!h.deactivatedAt || h.deactivatedAt < startIso || ended.has(`${h.id}#${h.deactivatedAt}`)) return [];
      return [
        {
          memberId: h.id,
          roleId: h.roleId,
          joinedAt: h.joinedAt,
          seatFrom: h.seatFrom,
          leftAt: h.deactivatedAt,
          active: true,
        },
      ];
    }),
    ...departed.map((d) => ({
      memberId: d.memberId,
      roleId: d.roleId,
      joinedAt: d.joinedAt,
      seatFrom: d.seatFrom,
      leftAt: d.leftAt,
      active: true,
    })),
  ];
  const { ledgerSeqs, ...snapshot } = periodSnapshot(wsId, period, intervals, ledger, now());
  return { ...snapshot, ledger: ledger.filter((e) => ledgerSeqs.includes(e.seq)) };
}
