// Repositories call through `mapDbError` so that callers see typed errors, not SDK exceptions.
import { Conflict, Unavailable } from '../http/errors';

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

export function mapDbError(err: unknown, conflictMessage?: string): never {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') {
    throw new Conflict(conflictMessage);
  }
  if (RETRYABLE.has(name) || (err as { $retryable?: unknown } | null)?.$retryable) {
    throw new Unavailable('The data store is busy; retry shortly', 1, err);
  }
  throw err;
}
