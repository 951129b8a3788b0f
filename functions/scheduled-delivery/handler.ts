// EventBridge Scheduler → the scheduled-message delivery (every minute by default, `scheduledDeliverySchedule`):
// sends each message whose sendAt has come as its author, decided again now, or marks it failed (audited, the
// author emailed by the mailer). A run in which some message was left scheduled (a race on every attempt, an
// error) fails after handling the others, so it is retried; a retry never sends a message twice.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { type DeliveryReport, deliverDue } from '../../shared/conversations/scheduled-delivery';
import { ScheduledJobEvent } from '../../shared/jobs/event';
import { logger, metrics } from '../../shared/logging';

export class DeliveryIncomplete extends Error {
  constructor(readonly report: DeliveryReport) {
    super(`Scheduled delivery: ${report.retry} messages left for the next run`);
    this.name = 'DeliveryIncomplete';
  }
}

async function run(event: unknown): Promise<DeliveryReport> {
  const input = ScheduledJobEvent.parse(event) ?? {};
  const report = await deliverDue(input.workspaceIds ? { workspaceIds: input.workspaceIds } : {});
  metrics.addMetric('ScheduledSent', MetricUnit.Count, report.sent);
  metrics.addMetric('ScheduledFailed', MetricUnit.Count, report.failed);
  metrics.addMetric('ScheduledRetry', MetricUnit.Count, report.retry);
  logger.info('scheduled delivery', {
    ...report,
    failures: report.failures.slice(0, 50),
    errors: report.errors.slice(0, 50),
  });
  if (report.retry > 0) throw new DeliveryIncomplete(report);
  return report;
}

export const handler = middy(run)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
