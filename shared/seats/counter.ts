// The seat counter's reads, expired-seat release and recount (the one home of seat accounting; the items
// that move the counter are in ./items.ts, what holds a seat in ./holders.ts, the plan's limit in ./limit.ts).

import { tableName } from '../db/client';
import { parseItem } from '../db/items';
import { getItem, putNew, transact } from '../db/ops';
import { Conflict } from '../errors';
import { countSeatHoldingInvitations, expiredSeatHolders, releaseExpiredSeat } from '../invitations/repository';
import { countMembers } from '../members/repository';
import { auditItem } from '../table/audit/entry';
import { seatCounterKey } from '../table/seats/keys';
import { newSeatCounterItem, SeatCounterItem, type SeatCounterRecord } from './items';

type Item = Record<string, unknown>;

export async function getSeatCounter(wsId: string): Promise<SeatCounterRecord | undefined> {
  const item = await getItem<Item>(seatCounterKey(wsId), true);
  return item ? parseItem(SeatCounterItem, item, 'Seat counter') : undefined;
}

/**
 * Expired invitations give their seats back (each in its own conditional transaction: one refreshed or
 * closed meanwhile keeps its state). Returns how many were released.
 */
export async function releaseExpiredSeats(wsId: string, now: Date): Promise<number> {
  let released = 0;
  for (const r of await expiredSeatHolders(wsId, now.toISOString())) {
    try {
      await releaseExpiredSeat(r, now.toISOString());
      released += 1;
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
    }
  }
  return released;
}

export interface Recount {
  /** The counter before (null: there was none). */
  before: number | null;
  after: number;
  repaired: boolean;
  /** Expired invitations whose seat was given back. */
  released: number;
}

const RECOUNT_ATTEMPTS = 5;

/**
 * Gives back the seats of expired invitations, then checks the counter against the truth (members +
 * seat-holding invitations, strongly consistent) and repairs it. The count is trusted only if the
 * counter's version did not move while counting (every seat transaction bumps it), and the repair is
 * conditioned on that version: a seat change racing the recount makes it start over, never overwrite.
 */
export async function recountSeats(wsId: string, now = new Date()): Promise<Recount> {
  const released = await releaseExpiredSeats(wsId, now);
  for (let attempt = 0; attempt < RECOUNT_ATTEMPTS; attempt++) {
    const first = await getSeatCounter(wsId);
    const [members, invitations] = await Promise.all([countMembers(wsId), countSeatHoldingInvitations(wsId)]);
    const second = await getSeatCounter(wsId);
    if (first?.seatsVersion !== second?.seatsVersion) continue;
    const truth = members + invitations;
    if (second && second.seatsUsed === truth) return { before: truth, after: truth, repaired: false, released };
    try {
      await transact(
        [
          second
            ? {
                Update: {
                  TableName: tableName,
                  Key: seatCounterKey(wsId),
                  UpdateExpression: 'SET seatsUsed = :truth, entity = :entity, workspaceId = :ws ADD seatsVersion :one',
                  ConditionExpression: 'seatsVersion = :v',
                  ExpressionAttributeValues: {
                    ':truth': truth,
                    ':entity': 'SeatCounter',
                    ':ws': wsId,
                    ':one': 1,
                    ':v': second.seatsVersion,
                  },
                },
              }
            : putNew(newSeatCounterItem(wsId, truth)),
          putNew(
            auditItem({
              workspaceId: wsId,
              actor: { memberId: null, userId: null, source: 'app' },
              action: 'billing.seatCounter.repair',
              target: { type: 'workspace', id: wsId },
              before: { seatsUsed: second?.seatsUsed ?? null },
              after: { seatsUsed: truth, members, pendingInvitations: invitations },
            }),
          ),
        ],
        'The seat counter moved meanwhile',
      );
      return { before: second?.seatsUsed ?? null, after: truth, repaired: true, released };
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
    }
  }
  throw new Conflict('Seats keep changing; the recount will run again');
}
