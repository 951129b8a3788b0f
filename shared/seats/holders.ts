// What holds a seat (PRODUCT.md §8, §9), stated once: an active member, and a pending invitation that has not
// given its seat back at expiry. Pure; the same rules as DynamoDB filters for the counts that recount the
// counter, so the counter, the recount and the reconciliation cannot disagree about it.

/** A member holds a seat unless deactivated (absent status: active). */
export const memberHoldsSeat = (item: { status?: unknown }): boolean => item.status !== 'deactivated';

/** An invitation holds a seat while pending and not released at expiry (an expired one holds it until then). */
export const invitationHoldsSeat = (item: { status?: unknown; seatReleased?: unknown }): boolean =>
  item.status === 'pending' && item.seatReleased !== true;

/** `memberHoldsSeat` as a filter expression (uses `#st`, `:deactivated`). */
export const MEMBER_HOLDS_SEAT = {
  FilterExpression: 'attribute_not_exists(#st) OR #st <> :deactivated',
  ExpressionAttributeNames: { '#st': 'status' },
  ExpressionAttributeValues: { ':deactivated': 'deactivated' },
};

/** `invitationHoldsSeat` as a filter expression (uses `#st`, `:pending`). */
export const INVITATION_HOLDS_SEAT = {
  FilterExpression: '#st = :pending AND attribute_not_exists(seatReleased)',
  ExpressionAttributeNames: { '#st': 'status' },
  ExpressionAttributeValues: { ':pending': 'pending' },
};

/** When the member's current seat interval began: its last reactivation (`seatSince`), else its join. */
export const seatStartOf = (item: { joinedAt?: unknown; seatSince?: unknown }): string =>
  typeof item.seatSince === 'string' ? item.seatSince : String(item.joinedAt);
