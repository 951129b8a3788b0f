// Module-scope Powertools logger and metrics, one set per Lambda container. Without the tracer (http/observability.ts
// adds it): the scheduled jobs log and count but never capture a handler, and the X-Ray SDK the tracer loads (its
// async hooks run on every promise) was a third of a job's bundle, paid at each cold start (issue 19).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'inbox-access';

export const logger = new Logger({ serviceName });
// Metrics' own warnings (e.g. nothing to publish while metrics are disabled locally) go through the logger
// so they follow its level instead of printing on every request.
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'InboxAccess',
  logger,
});
