// Billing items, all in the workspace's partition:
// - `SEATS` and `SEATLEFT#...`: the seat counter and ended seat intervals (shared/table/seats/keys.ts);
// - `BILLING`: the billed quantity the reconciliation last wrote, and the sequence of its ledger;
// - `LEDGER#<seq>`: one entry per billed change (append-only, keyed by its sequence number);
import { wsPk } from '../workspaces/keys';

export const billingKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'BILLING' });
export const LEDGER_PREFIX = 'LEDGER#';
export const ledgerKey = (wsId: string, seq: number) => ({
  PK: wsPk(wsId),
  SK: `${LEDGER_PREFIX}${String(seq).padStart(10, '0')}`,
});
