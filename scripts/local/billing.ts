// Local billing: the EventBridge stand-in and the dev-only routes POST /dev/reconcile (runs the real
// reconciliation handler now and answers its report) and GET /dev/events (what it emitted).
import { type EventsServer, startEventsServer } from './events-server';
import type { LocalRoute } from './gateway';
import { jobRoute } from './job-route';

export async function startLocalEvents(): Promise<EventsServer> {
  const server = await startEventsServer();
  process.env.EVENTS_ENDPOINT = server.url;
  return server;
}

/** POST /dev/reconcile `{workspaceIds?}`: the scheduled run, now (tests scope it to their workspaces). */
export function reconcileRoute(): LocalRoute {
  return jobRoute({
    path: '/dev/reconcile',
    functionName: 'reconcile-local',
    load: async () => {
      const { handler, ReconcileIncomplete } = await import('../../functions/reconcile/handler');
      return { handler, incomplete: ReconcileIncomplete };
    },
  });
}

/** GET /dev/events?workspaceId=: the events the EventBridge stand-in captured. */
export function eventsRoute(): LocalRoute {
  return {
    method: 'GET',
    path: '/dev/events',
    async handle({ query }) {
      const endpoint = process.env.EVENTS_ENDPOINT;
      if (!endpoint) return { statusCode: 200, body: { items: [] } };
      const res = await fetch(`${endpoint}/_events`);
      const { items } = (await res.json()) as { items: { detail: { workspaceId?: string } }[] };
      const ws = query.get('workspaceId');
      return { statusCode: 200, body: { items: ws ? items.filter((e) => e.detail?.workspaceId === ws) : items } };
    },
  };
}
