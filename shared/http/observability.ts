// Module-scope Powertools instances, one set per Lambda container.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'inbox-access';

export const logger = new Logger({ serviceName });
// Metrics' own warnings (e.g. nothing to publish while metrics are disabled locally) go through the logger
// so they follow its level instead of printing on every request.
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'InboxAccess',
  logger,
});
export const tracer = new Tracer({ serviceName });
