// The reconciliation's settings, from the environment, parsed with zod once (on first use, so a local
// runtime that sets the environment before calling in is read correctly).
import * as z from 'zod';

const Env = z.object({
  /** EventBridge bus SeatsChanged events go to. */
  BILLING_EVENT_BUS: z.string().min(1).default('default'),
  /** A local EventBridge stand-in (local runtime and tests); absent in AWS. */
  EVENTS_ENDPOINT: z.url().optional(),
  /** Workspaces reconciled at once. */
  RECONCILE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});
export type BillingConfig = z.infer<typeof Env>;

let parsed: BillingConfig | undefined;
export function billingConfig(): BillingConfig {
  parsed ??= Env.parse(process.env);
  return parsed;
}
