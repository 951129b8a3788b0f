// The schemas of the billing Lambda's routes (see shared/api/contract.ts).
import { BillingPeriod, BillingPeriodParams, LedgerPage, LedgerQuery, Seats } from '../../billing/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const billing = {
  getBillingSeats: { params: WorkspaceIdParams, status: 200, response: Seats },
  getBillingPeriod: { params: BillingPeriodParams, status: 200, response: BillingPeriod },
  listBillingLedger: { params: WorkspaceIdParams, query: LedgerQuery, status: 200, response: LedgerPage },
} as const satisfies AreaContract<'billing'>;
