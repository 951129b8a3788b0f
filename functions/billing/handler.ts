import { billing } from '../../shared/api/areas/billing';
import { getPeriod, getSeats, listLedgerPage } from '../../shared/billing/service';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('billing', billing, {
  getBillingSeats: async ({ access }) => ok(await getSeats(await access())),
  getBillingPeriod: async ({ access, params }) => ok(await getPeriod(await access(), params.period)),
  listBillingLedger: async ({ access, query }) => ok(await listLedgerPage(await access(), query)),
});
