// Local scheduled-message delivery: POST /dev/deliver-scheduled `{workspaceIds?}` runs the scheduled job's handler
// now (every message whose sendAt has passed) and answers its report (like /dev/sweep-grants).
import type { LocalRoute } from './gateway';
import { jobRoute } from './job-route';

export function deliverScheduledRoute(): LocalRoute {
  return jobRoute({
    path: '/dev/deliver-scheduled',
    functionName: 'scheduled-delivery-local',
    load: async () => {
      const { handler, DeliveryIncomplete } = await import('../../functions/scheduled-delivery/handler');
      return { handler, incomplete: DeliveryIncomplete };
    },
  });
}
