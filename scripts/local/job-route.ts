// A dev-only POST that runs a scheduled job's real Lambda handler now, as EventBridge Scheduler would, and
// answers its report: `{workspaceIds?}` scopes the run (tests confine it to their own workspaces).
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { LocalRoute } from './gateway';

const JobBody = z
  .strictObject({ workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() })
  .optional();

export interface ScheduledJob {
  handler: (event: { workspaceIds?: string[] }, context: Context) => Promise<unknown>;
  /** What the handler throws when some of the run failed, so the scheduler retries it; locally its report is the answer. */
  incomplete: abstract new (
    ...args: never[]
  ) => { readonly report: unknown };
}

export function jobRoute(job: {
  path: string;
  functionName: string;
  /** Imported on the first call: the handler reads its configuration from the environment the local API sets. */
  load: () => Promise<ScheduledJob>;
}): LocalRoute {
  return {
    method: 'POST',
    path: job.path,
    async handle({ body }) {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = null;
      }
      const parsed = JobBody.safeParse(json);
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
      const { handler, incomplete } = await job.load();
      try {
        return { statusCode: 200, body: await handler(parsed.data ?? {}, lambdaContext(job.functionName)) };
      } catch (err) {
        if (err instanceof incomplete) return { statusCode: 200, body: err.report };
        throw err;
      }
    },
  };
}

const lambdaContext = (functionName: string): Context =>
  ({
    functionName,
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => 15 * 60_000,
  }) as unknown as Context;
