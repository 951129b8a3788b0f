// Local grant sweep: POST /dev/sweep-grants `{workspaceIds?}` runs the scheduled sweep's handler now and answers
// its report (like /dev/reconcile).
import type { LocalRoute } from './gateway';
import { jobRoute } from './job-route';

export function sweepGrantsRoute(): LocalRoute {
  return jobRoute({
    path: '/dev/sweep-grants',
    functionName: 'grant-sweep-local',
    load: async () => {
      const { handler, SweepIncomplete } = await import('../../functions/grant-sweep/handler');
      return { handler, incomplete: SweepIncomplete };
    },
  });
}
