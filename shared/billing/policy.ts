// The Admin Seat Policy (PRODUCT.md §9, seed 000_*), as one pure function of the members:
// - seats = active members, every role included (deactivated members hold no seat);
// - with 5 or more seats and at least one Admin, one Admin seat is free;
// - with fewer than 5 seats every Admin is paid; further Admins are always paid;
// - the Owner is never the free Admin seat (only the built-in `admin` role is an Admin).
// Which Admin is the free one is deterministic: the longest-standing (earliest `joinedAt`, then id), so the
// same members always give the same answer and the free seat does not hop between Admins.

import { memberHoldsSeat } from '../seats/holders';

/** Seats from which one Admin seat is free. */
export const FREE_ADMIN_FROM_SEATS = 5;
export const ADMIN_ROLE_ID = 'admin';

export interface SeatHolder {
  id: string;
  roleId: string;
  joinedAt: string;
  /** A deactivated member holds no seat (absent: active). */
  active?: boolean;
  /** Its current seat interval began then (a reactivation; absent: `joinedAt`). */
  seatFrom?: string;
  /** When a deactivated member's seat ended. */
  deactivatedAt?: string;
}

export interface SeatCount {
  seats: number;
  admins: number;
  freeAdminSeats: 0 | 1;
  paidSeats: number;
  freeAdminMemberId: string | null;
  /** The rule that applied, in words. */
  explanation: string;
}

const byTenure = (a: SeatHolder, b: SeatHolder) =>
  a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function seatPolicy(members: readonly SeatHolder[]): SeatCount {
  const active = members.filter((m) => m.active !== false);
  const seats = active.length;
  const admins = active.filter((m) => m.roleId === ADMIN_ROLE_ID).sort(byTenure);
  const first = admins[0];
  const free = seats >= FREE_ADMIN_FROM_SEATS && first !== undefined;
  const freeAdminSeats = free ? 1 : 0;
  const paidSeats = seats - freeAdminSeats;
  let explanation: string;
  if (free) {
    explanation = `${seats} seats (${FREE_ADMIN_FROM_SEATS} or more) with ${admins.length} Admin(s): one Admin seat is free, ${paidSeats} paid${
      admins.length > 1 ? `; the other ${admins.length - 1} Admin(s) are paid` : ''
    }`;
  } else if (seats < FREE_ADMIN_FROM_SEATS) {
    explanation = `${seats} seat(s), fewer than ${FREE_ADMIN_FROM_SEATS}: every seat is paid, Admins included`;
  } else {
    explanation = `${seats} seats and no Admin: every seat is paid (the Owner is never the free Admin seat)`;
  }
  return {
    seats,
    admins: admins.length,
    freeAdminSeats,
    paidSeats,
    freeAdminMemberId: free ? first.id : null,
    explanation,
  };
}

/** A member item as the policy sees it; a deactivated member holds no seat (the seats' rule). */
export function seatHolderOf(item: Record<string, unknown>): SeatHolder {
  return {
    id: String(item.id),
    roleId: String(item.roleId),
    joinedAt: String(item.joinedAt),
    ...(memberHoldsSeat(item) ? {} : { active: false }),
    ...(typeof item.seatSince === 'string' ? { seatFrom: item.seatSince } : {}),
    ...(typeof item.deactivatedAt === 'string' ? { deactivatedAt: item.deactivatedAt } : {}),
  };
}
