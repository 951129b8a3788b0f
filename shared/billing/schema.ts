import * as z from 'zod';
import { PageQuery } from '../db/pagination';

/** The billed quantity and the sequence of the ledger (absent until the first reconciliation). */
export const BillingItem = z.object({
  billedSeats: z.coerce.number().int(),
  seq: z.coerce.number().int(),
  lastReconciledAt: z.string().nullable().default(null),
});
export type BillingRecord = z.infer<typeof BillingItem>;

export const LedgerEntry = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    workspaceId: z.string(),
    /** `yyyy-mm` (UTC) of the change: the billing period it belongs to. */
    period: z.string(),
    at: z.string(),
    before: z.number().int(),
    after: z.number().int(),
    reason: z.string(),
    explanation: z.string(),
    /** Deterministic: the same change always has the same key (the event carries it too). */
    idempotencyKey: z.string(),
    seats: z.number().int(),
    admins: z.number().int(),
    freeAdminMemberId: z.string().nullable(),
    publishedAt: z.string().nullable().default(null),
  })
  .meta({ id: 'SeatLedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** A seat interval that ended (removal or deactivation): held from `seatFrom` (absent: `joinedAt`) to `leftAt`. */
export const SeatDeparture = z.object({
  memberId: z.string(),
  roleId: z.string(),
  joinedAt: z.string(),
  seatFrom: z.string().optional(),
  leftAt: z.string(),
});
export type SeatDeparture = z.infer<typeof SeatDeparture>;

export const Seats = z
  .object({
    seats: z.number().int(),
    admins: z.number().int(),
    freeAdminSeats: z.number().int(),
    paidSeats: z.number().int(),
    freeAdminMemberId: z.string().nullable(),
    /** What the last reconciliation billed (0 before the first one). */
    billedSeats: z.number().int(),
    lastReconciledAt: z.string().nullable(),
    explanation: z.string(),
    /** The plan's seat limit: members plus pending invitations (`max` null: unlimited). */
    limit: z.object({ max: z.number().int().nullable(), used: z.number().int() }),
  })
  .meta({ id: 'Seats' });

export const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const BillingPeriodParams = z.object({
  ws: z.string().min(1).max(64),
  period: z.string().regex(PERIOD, 'A month as yyyy-mm'),
});

export const PeriodMemberRow = z.object({
  memberId: z.string(),
  roleId: z.string(),
  billing: z.enum(['paid', 'free']),
  joinedAt: z.string(),
  leftAt: z.string().nullable(),
  /** UTC days of the period on which the member held a seat at any moment. */
  seatDays: z.number().int(),
});

export const BillingPeriod = z
  .object({
    workspaceId: z.string(),
    period: z.string(),
    start: z.string(),
    end: z.string(),
    /** False while the period is running: counts and seat-days are up to now. */
    complete: z.boolean(),
    members: z.array(PeriodMemberRow),
    counts: z.object({ start: z.number().int(), peak: z.number().int(), end: z.number().int() }),
    seatDays: z.number().int(),
    freeAdminMemberId: z.string().nullable(),
    /** What was billed at the end of the period (or now): the last ledger entry's quantity up to then. */
    billedSeats: z.number().int(),
    ledger: z.array(LedgerEntry),
    /** sha256 of the canonical JSON of the inputs (member seat intervals and ledger entries). */
    digest: z.string(),
  })
  .meta({ id: 'BillingPeriod' });

export const LedgerPage = z
  .object({ items: z.array(LedgerEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'SeatLedgerPage' });
export const LedgerQuery = PageQuery.strict();
