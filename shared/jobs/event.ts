import * as z from 'zod/mini';

/**
 * What EventBridge Scheduler sends a scheduled job (`{source: 'schedule'}`), or a manual run scoped to some
 * workspaces. Loose: the scheduler's envelope may carry more; nothing else is read. `zod/mini`, like the runtime
 * configuration: a grant sweep or a delivery with nothing due then loads no more of zod at its cold start (issue 19).
 */
export const ScheduledJobEvent = z.nullish(
  z.looseObject({
    workspaceIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(1000))),
  }),
);
