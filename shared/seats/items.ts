// The seat counter's transaction items: every write that adds or removes a seat (a member, or a pending
// invitation holding one) carries exactly one of these, so the counter moves with the change or not at
// all, and `seatsVersion` tells a recount whether anything moved while it was counting.
//
// Only taking a seat is limited (`seatsUsed < max`): two invitations racing for the last seat serialize
// on this item, one succeeds and the other's condition fails. Releasing never fails. Accepting an
// invitation moves its seat to the new member (count unchanged) and is checked against the plan again.
// Built from keys and the client only (no repository imports), so any repository can use it.
import * as z from 'zod';
import { tableName } from '../db/client';
import type { TransactItem } from '../db/ops';
import type { Member } from '../table/members/member';
import { seatCounterKey, seatLeftKey } from '../table/seats/keys';

/** The seat counter item, parsed wherever it is read (the counter, the reconciliation). */
export const SeatCounterItem = z.object({
  seatsUsed: z.coerce.number().int(),
  seatsVersion: z.coerce.number().int().default(0),
});
export type SeatCounterRecord = z.output<typeof SeatCounterItem>;

/** The counter of a new workspace: its Owner. */
export const newSeatCounterItem = (wsId: string, seatsUsed = 1) => ({
  ...seatCounterKey(wsId),
  entity: 'SeatCounter',
  workspaceId: wsId,
  seatsUsed,
  seatsVersion: 1,
});

/** One more seat taken; with a plan maximum, only while `seatsUsed < max`. */
export function seatTake(wsId: string, max: number | null): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: seatCounterKey(wsId),
      UpdateExpression: 'ADD seatsUsed :one, seatsVersion :one',
      ConditionExpression: max === null ? 'attribute_exists(seatsUsed)' : 'seatsUsed < :max',
      ExpressionAttributeValues: { ':one': 1, ...(max === null ? {} : { ':max': max }) },
    },
  };
}

/** A seat taken without the plan's limit: members written straight by the repository (seeds, fixtures). */
export function seatAdd(wsId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: seatCounterKey(wsId),
      // On a workspace whose counter predates counters, this creates one the reconciliation then repairs.
      UpdateExpression: 'SET entity = if_not_exists(entity, :entity) ADD seatsUsed :one, seatsVersion :one',
      ExpressionAttributeValues: { ':one': 1, ':entity': 'SeatCounter' },
    },
  };
}

/** One seat given back (member removed, held invitation revoked, bounced or expired). */
export function seatRelease(wsId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: seatCounterKey(wsId),
      UpdateExpression: 'SET entity = if_not_exists(entity, :entity) ADD seatsUsed :minus, seatsVersion :one',
      ExpressionAttributeValues: { ':minus': -1, ':one': 1, ':entity': 'SeatCounter' },
    },
  };
}

/**
 * The seat stays taken but changes hands (an invitation accepted: invitation → member), checked again
 * against the plan the workspace is on now; the version moves so a concurrent recount starts over.
 */
export function seatHandOver(wsId: string, max: number | null): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: seatCounterKey(wsId),
      UpdateExpression: 'ADD seatsVersion :one',
      ConditionExpression: max === null ? 'attribute_exists(seatsUsed)' : 'seatsUsed <= :max',
      ExpressionAttributeValues: { ':one': 1, ...(max === null ? {} : { ':max': max }) },
    },
  };
}

/** A plan change to `max` seats is written only if the workspace uses no more (null: unlimited, no check). */
export function seatsWithin(wsId: string, max: number | null): TransactItem[] {
  if (max === null) return [];
  return [
    {
      ConditionCheck: {
        TableName: tableName,
        Key: seatCounterKey(wsId),
        ConditionExpression: 'seatsUsed <= :max',
        ExpressionAttributeValues: { ':max': max },
      },
    },
  ];
}

/**
 * A seat interval that ended: the member was removed or deactivated at `leftAt`, having held the seat since
 * `seatFrom` (its join, or its last reactivation). Written in that change's transaction; billing periods read it.
 */
export function seatDepartureItem(
  wsId: string,
  member: Pick<Member, 'id' | 'roleId' | 'joinedAt'>,
  leftAt: string,
  seatFrom: string = member.joinedAt,
  reason: 'removed' | 'deactivated' = 'removed',
): Record<string, unknown> {
  return {
    ...seatLeftKey(wsId, leftAt, member.id),
    entity: 'SeatDeparture',
    memberId: member.id,
    roleId: member.roleId,
    joinedAt: member.joinedAt,
    ...(seatFrom !== member.joinedAt ? { seatFrom } : {}),
    leftAt,
    reason,
  } satisfies Record<string, unknown>;
}
