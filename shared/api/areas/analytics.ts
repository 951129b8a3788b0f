// The schemas of the analytics Lambda's routes (see shared/api/contract.ts).
import { Analytics, AnalyticsQuery } from '../../analytics/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const analytics = {
  getAnalytics: { params: WorkspaceIdParams, query: AnalyticsQuery, status: 200, response: Analytics },
} as const satisfies AreaContract<'analytics'>;
