import { getAnalytics } from '../../shared/analytics/service';
import { analytics } from '../../shared/api/areas/analytics';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('analytics', analytics, {
  getAnalytics: async ({ access, query }) => ok(await getAnalytics(await access(), query)),
});
