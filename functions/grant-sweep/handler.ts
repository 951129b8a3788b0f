// EventBridge Scheduler → the grant sweep (every 5 minutes by default, `grantSweepSchedule`). Decisions never
// wait for it: it reverts roles whose term is over, drops expired extra grants and records `grant.expired`; it also
// runs the second release pass of deactivated members' conversations (their release markers).
// A run in which some member failed (a racing change) fails after sweeping the others, so it is retried.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { ScheduledJobEvent } from '../../shared/jobs/event';
import { type GrantSweepReport, sweepGrants } from '../../shared/jobs/grant-sweep';
import { logger, metrics } from '../../shared/logging';

export class SweepIncomplete extends Error {
  constructor(readonly report: GrantSweepReport) {
    super(`Grant sweep: ${report.failed} members failed`);
    this.name = 'SweepIncomplete';
  }
}

async function run(event: unknown): Promise<GrantSweepReport> {
  const input = ScheduledJobEvent.parse(event) ?? {};
  const report = await sweepGrants(input.workspaceIds ? { workspaceIds: input.workspaceIds } : {});
  metrics.addMetric('GrantsExpired', MetricUnit.Count, report.expired);
  metrics.addMetric('RolesReverted', MetricUnit.Count, report.rolesReverted);
  // Above zero: a deactivation's own release missed an assignment (GSI1 lag) and this pass caught it.
  metrics.addMetric('AssignmentsReleased', MetricUnit.Count, report.assignmentsReleased);
  metrics.addMetric('GrantSweepFailed', MetricUnit.Count, report.failed);
  logger.info('grant sweep', { ...report, failures: report.failures.slice(0, 50) });
  if (report.failed > 0) throw new SweepIncomplete(report);
  return report;
}

export const handler = middy(run)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
