// Billing items, all in the workspace's partition:
// - `SEATS`: the seat counter (members + pending invitations that hold a seat), moved in the same
//   transaction as every change of either, and `seatsVersion`, bumped by each of those transactions;
// - `BILLING`: the billed quantity the reconciliation last wrote, and the sequence of its ledger;
// - `LEDGER#<seq>`: one entry per billed change (append-only, keyed by its sequence number);
// - `SEATLEFT#<leftAt>#<memberId>`: a removed member's seat history (joinedAt, leftAt, role), written in
//   the removal's transaction, so a billing period can count seat-days after the member is gone.
import { wsPk } from '../workspaces/keys';

export const seatCounterKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'SEATS' });
export const billingKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'BILLING' });
export const LEDGER_PREFIX = 'LEDGER#';
export const ledgerKey = (wsId: string, seq: number) => ({
  PK: wsPk(wsId),
  SK: `${LEDGER_PREFIX}${String(seq).padStart(10, '0')}`,
});
export const SEAT_LEFT_PREFIX = 'SEATLEFT#';
export const seatLeftKey = (wsId: string, leftAt: string, memberId: string) => ({
  PK: wsPk(wsId),
  SK: `${SEAT_LEFT_PREFIX}${leftAt}#${memberId}`,
});
