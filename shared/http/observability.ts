// Module-scope Powertools instances, one set per Lambda container: the logger and metrics (../logging.ts) and the
// tracer the API middleware captures each handler with.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceName } from '../logging';

export { logger, metrics } from '../logging';
export const tracer = new Tracer({ serviceName });
