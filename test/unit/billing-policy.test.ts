// The Admin Seat Policy (seed 000_*, PRODUCT.md §9), sentence by sentence.
import { describe, expect, it } from 'vitest';
import { type SeatHolder, seatPolicy } from '../../shared/billing/policy';
import { canonicalJson, periodSnapshot } from '../../shared/billing/service';

let n = 0;
const m = (roleId: string, joinedAt = `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`): SeatHolder => ({
  id: `mem_${String(n++).padStart(4, '0')}`,
  roleId,
  joinedAt,
});
const team = (size: number, admins: number, withOwner = true): SeatHolder[] => [
  ...(withOwner ? [m('owner')] : []),
  ...Array.from({ length: admins }, () => m('admin')),
  ...Array.from({ length: size - admins - (withOwner ? 1 : 0) }, () => m('agent')),
];

describe('seat policy', () => {
  it('counts every active member as a seat, every role included', () => {
    const members = [m('owner'), m('admin'), m('manager'), m('agent'), m('member'), m('role_custom')];
    expect(seatPolicy(members).seats).toBe(6);
  });

  it('"For accounts with fewer than 5 seats, the admin counts as a paid seat" (1–4 seats)', () => {
    for (let size = 1; size <= 4; size++) {
      const admins = Math.min(size - 1, 1);
      const r = seatPolicy(team(size, admins));
      expect(r, `size ${size}`).toMatchObject({
        seats: size,
        paidSeats: size,
        freeAdminSeats: 0,
        freeAdminMemberId: null,
      });
      expect(r.admins).toBe(admins);
    }
    // Four seats, all Admins but the Owner: still all paid.
    expect(seatPolicy(team(4, 3)).paidSeats).toBe(4);
  });

  it('"For accounts with 5+ seats, 1 admin seat is free" (exactly 5)', () => {
    const members = team(5, 1);
    const admin = members.find((x) => x.roleId === 'admin')!;
    expect(seatPolicy(members)).toMatchObject({
      seats: 5,
      admins: 1,
      freeAdminSeats: 1,
      paidSeats: 4,
      freeAdminMemberId: admin.id,
    });
  });

  it('5 seats without an Admin: nothing is free', () => {
    expect(seatPolicy(team(5, 0))).toMatchObject({ seats: 5, admins: 0, freeAdminSeats: 0, paidSeats: 5 });
  });

  it('"Additional admins beyond that will require paid seats" (5 seats, two Admins)', () => {
    const r = seatPolicy(team(5, 2));
    expect(r).toMatchObject({ seats: 5, admins: 2, freeAdminSeats: 1, paidSeats: 4 });
  });

  it('100 seats with one Admin: 99 paid', () => {
    expect(seatPolicy(team(100, 1))).toMatchObject({ seats: 100, admins: 1, freeAdminSeats: 1, paidSeats: 99 });
  });

  it('"no unlimited free admins": 100 seats with 10 Admins, one free', () => {
    expect(seatPolicy(team(100, 10))).toMatchObject({ admins: 10, freeAdminSeats: 1, paidSeats: 99 });
  });

  it('never makes the Owner the free Admin seat', () => {
    const members = [m('owner'), m('agent'), m('agent'), m('agent'), m('member'), m('member')];
    expect(seatPolicy(members)).toMatchObject({ seats: 6, admins: 0, freeAdminSeats: 0, paidSeats: 6 });
    const withAdmin = [...members, m('admin')];
    const r = seatPolicy(withAdmin);
    expect(r.freeAdminMemberId).toBe(withAdmin.at(-1)!.id);
    expect(withAdmin.find((x) => x.id === r.freeAdminMemberId)?.roleId).toBe('admin');
  });

  it('picks the longest-standing Admin as the free one, whatever the order given', () => {
    const early = m('admin', '2024-01-01T00:00:00.000Z');
    const late = m('admin', '2025-06-01T00:00:00.000Z');
    const others = [m('owner'), m('agent'), m('agent')];
    expect(seatPolicy([late, ...others, early]).freeAdminMemberId).toBe(early.id);
    expect(seatPolicy([early, ...others, late]).freeAdminMemberId).toBe(early.id);
  });

  it('gives deactivated members no seat', () => {
    const members = [...team(5, 1), { ...m('agent'), active: false }];
    expect(seatPolicy(members).seats).toBe(5);
    const four = [...team(4, 1), { ...m('agent'), active: false }];
    expect(seatPolicy(four)).toMatchObject({ seats: 4, freeAdminSeats: 0, paidSeats: 4 });
  });

  it('explains the rule that applied', () => {
    expect(seatPolicy(team(3, 1)).explanation).toMatch(/fewer than 5/);
    expect(seatPolicy(team(6, 2)).explanation).toMatch(/one Admin seat is free/);
    expect(seatPolicy(team(6, 0)).explanation).toMatch(/no Admin/);
  });
});

describe('billing period snapshot', () => {
  const iv = (memberId: string, roleId: string, joinedAt: string, leftAt: string | null = null) => ({
    memberId,
    roleId,
    joinedAt,
    leftAt,
    active: true,
  });
  const intervals = [
    iv('mem_a', 'owner', '2024-01-01T00:00:00.000Z'),
    iv('mem_b', 'admin', '2024-01-01T00:00:00.000Z'),
    iv('mem_c', 'agent', '2025-03-10T12:00:00.000Z'),
    iv('mem_d', 'agent', '2025-02-01T00:00:00.000Z', '2025-03-05T08:00:00.000Z'),
    iv('mem_e', 'agent', '2025-03-20T00:00:00.000Z'),
    iv('mem_f', 'member', '2025-03-21T00:00:00.000Z'),
    iv('mem_old', 'agent', '2024-01-01T00:00:00.000Z', '2025-01-15T00:00:00.000Z'),
  ];
  const ledger = [
    { seq: 1, before: 0, after: 3, at: '2025-02-01T01:00:00.000Z', period: '2025-02' },
    { seq: 2, before: 3, after: 4, at: '2025-03-21T01:00:00.000Z', period: '2025-03' },
  ];
  const now = new Date('2025-05-01T00:00:00.000Z');

  it('counts seat-days, start / peak / end and the free Admin of a closed period', () => {
    const s = periodSnapshot('ws_1', '2025-03', intervals, ledger, now);
    expect(s.complete).toBe(true);
    const days = Object.fromEntries(s.members.map((r) => [r.memberId, r.seatDays]));
    expect(days).toEqual({ mem_a: 31, mem_b: 31, mem_c: 22, mem_d: 5, mem_e: 12, mem_f: 11 });
    expect(s.counts).toEqual({ start: 3, peak: 5, end: 5 });
    expect(s.freeAdminMemberId).toBe('mem_b');
    expect(s.members.find((r) => r.memberId === 'mem_b')?.billing).toBe('free');
    expect(s.members.filter((r) => r.billing === 'paid')).toHaveLength(5);
    expect(s.billedSeats).toBe(4);
    expect(s.ledgerSeqs).toEqual([2]);
  });

  it('gives the same digest for the same inputs, in any order and whenever computed, and another for other inputs', () => {
    const a = periodSnapshot('ws_1', '2025-03', intervals, ledger, now);
    const b = periodSnapshot(
      'ws_1',
      '2025-03',
      [...intervals].reverse(),
      [...ledger].reverse(),
      new Date('2026-01-01'),
    );
    expect(b.digest).toBe(a.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    const c = periodSnapshot(
      'ws_1',
      '2025-03',
      [...intervals, iv('mem_g', 'agent', '2025-03-30T00:00:00.000Z')],
      ledger,
      now,
    );
    expect(c.digest).not.toBe(a.digest);
  });

  it('a deactivation ends a seat interval like a removal: later it changes no closed period, and a reactivation bills no gap', () => {
    const before = periodSnapshot('ws_1', '2025-02', intervals, ledger, now);
    // mem_b (Admin since 2024) deactivated on 10 March, reactivated on 20 March.
    const deactivated = [
      ...intervals.filter((i) => i.memberId !== 'mem_b'),
      iv('mem_b', 'admin', '2024-01-01T00:00:00.000Z', '2025-03-10T12:00:00.000Z'),
      { ...iv('mem_b', 'admin', '2024-01-01T00:00:00.000Z'), seatFrom: '2025-03-20T09:00:00.000Z' },
    ];
    const after = periodSnapshot('ws_1', '2025-02', deactivated, ledger, now);
    expect(after.digest).toBe(before.digest);
    const rows = (x: typeof before) => x.members.map((r) => [r.memberId, r.billing, r.seatDays]);
    expect(rows(after)).toEqual(rows(before));
    expect(after.counts).toEqual(before.counts);

    const march = periodSnapshot('ws_1', '2025-03', deactivated, ledger, now);
    const b = march.members.filter((r) => r.memberId === 'mem_b');
    expect(b).toHaveLength(1);
    // 1-10 March and 20-31 March: the ten days in between are not billed.
    expect(b[0]?.seatDays).toBe(10 + 12);
    // Held at the start (so counted in the peak), held at the end, still the free Admin.
    expect(march.counts).toEqual({ start: 3, peak: 5, end: 5 });
    expect(march.freeAdminMemberId).toBe('mem_b');
    // Only deactivated: the days it held stay in the period, it is not at the end.
    const gone = periodSnapshot(
      'ws_1',
      '2025-03',
      [
        ...intervals.filter((i) => i.memberId !== 'mem_c'),
        iv('mem_c', 'agent', '2025-03-10T12:00:00.000Z', '2025-03-15T00:00:00.000Z'),
      ],
      ledger,
      now,
    );
    expect(gone.members.find((r) => r.memberId === 'mem_c')).toMatchObject({
      seatDays: 5,
      leftAt: '2025-03-15T00:00:00.000Z',
    });
    expect(gone.counts).toEqual({ start: 3, peak: 4, end: 4 });
  });

  it('refuses a period that has not started', () => {
    expect(() => periodSnapshot('ws_1', '2025-06', intervals, ledger, now)).toThrow(/not started/);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});
