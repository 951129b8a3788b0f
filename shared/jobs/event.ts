import * as z from 'zod';

/**
 * What EventBridge Scheduler sends a scheduled job (`{source: 'schedule'}`), or a manual run scoped to some
 * workspaces. Loose: the scheduler's envelope may carry more; nothing else is read.
 */
export const ScheduledJobEvent = z
  .object({ workspaceIds: z.array(z.string().min(1).max(64)).max(1000).optional() })
  .loose()
  .nullish();
