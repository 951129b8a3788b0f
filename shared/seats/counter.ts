// The seat counter's reads, expired-seat release and recount (the one home of seat accounting; the items
// that move the counter are in ./items.ts, what holds a seat in ./holders.ts, the plan's limit in ./limit.ts).
// It reads members and invitations from the table itself (their keys and records), not through their
// repositories: what holds a seat is counted here, by the rule in ./holders.ts.
import { tableName } from '../db/client';
import { itemParser, parseItem } from '../db/items';
import { countAll, getItem, inPartition, putNew, queryCollection, transact } from '../db/ops';
import { Conflict } from '../errors';
import { auditItem } from '../table/audit/entry';
import { INVITE_PREFIX, invitationKey } from '../table/invitations/keys';
import { InvitationRecord } from '../table/invitations/record';
import { MEMBER_PREFIX } from '../table/members/keys';
import { seatCounterKey } from '../table/seats/keys';
import { wsCollection, wsPk } from '../table/workspaces/keys';
import { INVITATION_HOLDS_SEAT, MEMBER_HOLDS_SEAT } from './holders';
import { newSeatCounterItem, SeatCounterItem, type SeatCounterRecord, seatRelease } from './items';

type Item = Record<string, unknown>;

const invitationFromItem = itemParser(InvitationRecord, 'Invitation');

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

/**
 * Pending invitations holding a seat (PRODUCT.md §8): what the seat counter counts besides members. One
 * past its expiry holds its seat until it is released (see `releaseExpiredSeat`).
 */
export function countSeatHoldingInvitations(wsId: string): Promise<number> {
  const q = inPartition(wsPk(wsId), INVITE_PREFIX);
  return countAll({
    ...q,
    FilterExpression: INVITATION_HOLDS_SEAT.FilterExpression,
    ExpressionAttributeNames: INVITATION_HOLDS_SEAT.ExpressionAttributeNames,
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ...INVITATION_HOLDS_SEAT.ExpressionAttributeValues },
    ConsistentRead: true,
  });
}

/** Pending invitations past their expiry that still hold a seat (strongly consistent). */
export async function expiredSeatHolders(wsId: string, now: string): Promise<InvitationRecord[]> {
  const items = await queryCollection(wsCollection(wsId, INVITE_PREFIX), {
    FilterExpression: '#s = :pending AND attribute_not_exists(seatReleased) AND expiresAt <= :now',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
  });
  return items.map(invitationFromItem);
}

/**
 * An expired invitation gives its seat back: marked released and the counter moved in one transaction,
 * only if it is still pending, expired, unreleased and at the nonce read (a refresh meanwhile wins).
 */
export function releaseExpiredSeat(r: InvitationRecord, now: string): Promise<void> {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: invitationKey(r.workspaceId, r.id),
          UpdateExpression: 'SET seatReleased = :true, updatedAt = :now',
          ConditionExpression:
            '#s = :pending AND nonce = :nonce AND expiresAt <= :now AND attribute_not_exists(seatReleased)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':true': true, ':now': now, ':pending': 'pending', ':nonce': r.nonce },
        },
      },
      seatRelease(r.workspaceId),
      putNew(
        auditItem({
          workspaceId: r.workspaceId,
          actor: { memberId: null, userId: null, source: 'app' },
          action: 'invitation.expire.seatReleased',
          target: { type: 'invitation', id: r.id },
          before: { status: 'pending', expiresAt: r.expiresAt, holdsSeat: true },
          after: { status: 'expired', holdsSeat: false },
        }),
      ),
    ],
    'The invitation changed meanwhile',
  );
}

/** Active members of a workspace (strongly consistent count; deactivated members hold no seat). */
export function countMembers(wsId: string): Promise<number> {
  const q = inPartition(wsPk(wsId), MEMBER_PREFIX);
  return countAll({
    ...q,
    ConsistentRead: true,
    FilterExpression: MEMBER_HOLDS_SEAT.FilterExpression,
    ExpressionAttributeNames: MEMBER_HOLDS_SEAT.ExpressionAttributeNames,
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ...MEMBER_HOLDS_SEAT.ExpressionAttributeValues },
  });
}
