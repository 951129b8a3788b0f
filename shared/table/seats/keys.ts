// Seat items, in the workspace's partition:
// - `SEATS`: the seat counter (members + pending invitations that hold a seat), moved in the same transaction
//   as every change of either, and `seatsVersion`, bumped by each of those transactions;
// - `SEATLEFT#<leftAt>#<memberId>`: a seat interval that ended (a member removed or deactivated), written in
//   that change's transaction, so a billing period counts the seat-days it held after the member is gone.
import { wsPk } from '../workspaces/keys';

export const seatCounterKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'SEATS' });
export const SEAT_LEFT_PREFIX = 'SEATLEFT#';
export const seatLeftKey = (wsId: string, leftAt: string, memberId: string) => ({
  PK: wsPk(wsId),
  SK: `${SEAT_LEFT_PREFIX}${leftAt}#${memberId}`,
});
