// EventBridge Scheduler → the seat reconciliation (hourly by default). Reports checked / changed / failed /
// drift repaired as Powertools metrics and in its result. A run where some workspace failed still
// reconciles the others, then fails, so the scheduler's retry reruns it (idempotent) and a run that keeps
// failing lands in the dead-letter queue with its report.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type ReconcileReport, reconcileSeats, registerLambdaContext } from '../../shared/billing/reconcile';
import { ScheduledJobEvent } from '../../shared/jobs/event';
import { logger, metrics } from '../../shared/logging';

export class ReconcileIncomplete extends Error {
  constructor(readonly report: ReconcileReport) {
    super(`Seat reconciliation: ${report.failed} of ${report.checked} workspaces failed`);
    this.name = 'ReconcileIncomplete';
  }
}

async function run(event: unknown, context: Context): Promise<ReconcileReport> {
  registerLambdaContext(context);
  const input = ScheduledJobEvent.parse(event) ?? {};
  const report = await reconcileSeats(input.workspaceIds ? { workspaceIds: input.workspaceIds } : {});
  metrics.addMetric('WorkspacesChecked', MetricUnit.Count, report.checked);
  metrics.addMetric('SeatsChanged', MetricUnit.Count, report.changed);
  metrics.addMetric('WorkspacesFailed', MetricUnit.Count, report.failed);
  metrics.addMetric('SeatDriftRepaired', MetricUnit.Count, report.driftRepaired);
  logger.info('seat reconciliation', {
    runId: report.runId,
    checked: report.checked,
    changed: report.changed,
    failed: report.failed,
    driftRepaired: report.driftRepaired,
    expiredReleased: report.expiredReleased,
    republished: report.republished,
    failures: report.failures.slice(0, 50),
  });
  if (report.failed > 0) throw new ReconcileIncomplete(report);
  return report;
}

export const handler = middy(run)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
