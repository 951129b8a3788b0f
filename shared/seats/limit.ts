// The plan's seat limit, one rule for every path that takes or keeps a seat: invite (new, refresh, resend),
// accept, reactivate, plan change (and SCIM provisioning next). The seat counter's condition is the limit;
// when a write is refused, the counter says why, the same way on every path: a workspace without a counter
// yet (written before counters existed) is recounted and the write tried again; a full one first gets back
// the seats of expired invitations and tries again; only then is it the plan's `plan_limit`. A refusal
// for another reason (the item changed meanwhile) stands as it was.
import { Conflict, PlanLimit, Unavailable } from '../errors';
import { countMembers, getSeatCounter, recountSeats, releaseExpiredSeats } from './counter';

/** The plan's maximum (null: unlimited) and how to name it in a refusal. */
export interface SeatPlan {
  planId: string;
  max: number | null;
}

const seatLimit = (plan: SeatPlan, message?: string) =>
  new PlanLimit(message ?? `The ${plan.planId} plan allows ${plan.max} seats (members and pending invitations)`, {
    limit: 'seats',
    max: plan.max,
  });

const pause = (attempt: number) => new Promise((r) => setTimeout(r, 20 + Math.random() * 40 * 2 ** attempt));
const SEAT_ATTEMPTS = 8;

/**
 * Runs a write that takes a seat (`take`: the counter must be below the maximum) or hands one over to a new
 * holder (`handOver`: an invitation accepted, the counter must not be above it) under the plan's maximum.
 * Writes racing for the same counter are retried (jittered) a few times.
 */
export async function withSeat(
  wsId: string,
  plan: SeatPlan,
  how: 'take' | 'handOver',
  write: () => Promise<void>,
  refusal?: string,
): Promise<void> {
  const max = plan.max;
  const full = (used: number) => max !== null && (how === 'take' ? used >= max : used > max);
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return;
    } catch (err) {
      if (err instanceof Unavailable && attempt < SEAT_ATTEMPTS) {
        await pause(attempt);
        continue;
      }
      if (!(err instanceof Conflict) || attempt >= SEAT_ATTEMPTS) throw err;
      const counter = await getSeatCounter(wsId);
      if (!counter) {
        await recountSeats(wsId);
        continue;
      }
      if (!full(counter.seatsUsed)) throw err;
      if ((await releaseExpiredSeats(wsId, new Date())) > 0) continue;
      throw seatLimit(plan, refusal);
    }
  }
}

/**
 * A plan change to `plan.max` seats: 409 (`limit: seats`) when members plus seat-holding invitations exceed it,
 * after the same recount of a missing counter and release of expired invitations' seats as `withSeat`.
 */
export async function assertSeatsFit(wsId: string, plan: SeatPlan): Promise<void> {
  const seats = plan.max;
  if (seats === null) return;
  let counter = await getSeatCounter(wsId);
  if (!counter) {
    await recountSeats(wsId);
    counter = await getSeatCounter(wsId);
  }
  // Expired invitations give their seats back before they could make the downgrade look too big.
  if ((counter?.seatsUsed ?? 0) > seats && (await releaseExpiredSeats(wsId, new Date())) > 0) {
    counter = await getSeatCounter(wsId);
  }
  const used = counter?.seatsUsed ?? 0;
  if (used > seats) {
    // The refusal says what holds the seats (counted only on this path).
    const members = await countMembers(wsId);
    const pending = Math.max(0, used - members);
    throw new Conflict(
      `The ${plan.planId} plan allows ${seats} seats and the workspace has ${members} members and ${pending} pending invitations; remove members or revoke invitations first`,
      { limit: 'seats', max: seats, current: members, pendingInvitations: pending, seatsUsed: used },
    );
  }
}
