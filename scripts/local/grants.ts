// Local grant sweep: POST /dev/sweep-grants `{workspaceIds?}` runs the scheduled sweep's handler now and answers
// its report (like /dev/reconcile).
import { z } from 'zod';
import type { LocalRoute } from './gateway';

const SweepBody = z
  .strictObject({ workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() })
  .optional();

export function sweepGrantsRoute(): LocalRoute {
  return {
    method: 'POST',
    path: '/dev/sweep-grants',
    async handle({ body }) {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = null;
      }
      const parsed = SweepBody.safeParse(json);
      if (!parsed.success) {
        return {
          statusCode: 400,
          body: { error: { code: 'invalid_request', message: 'Send nothing, or {"workspaceIds": [...]}' } },
        };
      }
      const { handler, SweepIncomplete } = await import('../../functions/grant-sweep/handler');
      try {
        return { statusCode: 200, body: await handler(parsed.data ?? {}, localContext()) };
      } catch (err) {
        if (err instanceof SweepIncomplete) return { statusCode: 200, body: err.report };
        throw err;
      }
    },
  };
}

const localContext = () =>
  ({
    functionName: 'grant-sweep-local',
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => 15 * 60_000,
  }) as never;
