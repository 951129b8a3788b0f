// Local billing: the EventBridge stand-in and the dev-only routes POST /dev/reconcile (runs the real
// reconciliation handler now and answers its report) and GET /dev/events (what it emitted).
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { type EventsServer, startEventsServer } from './events-server';
import type { LocalRoute } from './gateway';

export async function startLocalEvents(): Promise<EventsServer> {
  const server = await startEventsServer();
  process.env.EVENTS_ENDPOINT = server.url;
  return server;
}

const ReconcileBody = z
  .strictObject({ workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() })
  .optional();

const lambdaContext = (): Context =>
  ({
    functionName: 'reconcile-local',
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => 15 * 60_000,
  }) as unknown as Context;

/** POST /dev/reconcile `{workspaceIds?}`: the scheduled run, now (tests scope it to their workspaces). */
export function reconcileRoute(): LocalRoute {
  return {
    method: 'POST',
    path: '/dev/reconcile',
    async handle({ body }) {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = null;
      }
      const parsed = ReconcileBody.safeParse(json);
      if (!parsed.success) {
        return {
          statusCode: 400,
          body: {
            error: {
              code: 'invalid_request',
              message: 'Send nothing, or {"workspaceIds": [...]}',
              issues: parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
            },
          },
        };
      }
      const { handler, ReconcileIncomplete } = await import('../../functions/reconcile/handler');
      try {
        const report = await handler(parsed.data ?? {}, lambdaContext());
        return { statusCode: 200, body: report };
      } catch (err) {
        // The Lambda fails the run so the scheduler retries it; locally the report is the answer.
        if (err instanceof ReconcileIncomplete) return { statusCode: 200, body: err.report };
        throw err;
      }
    },
  };
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
