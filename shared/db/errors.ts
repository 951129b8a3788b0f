// Repositories call through `mapDbError` so that callers see typed errors, not SDK exceptions.
import { Conflict, Unavailable } from '../errors';

/** Errors the client retries itself (the SDK's standard mode: throttling and transient faults). */
export const RETRIED_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/** Errors that mean "not now" once the client's own retries are spent: the caller may retry (503). */
const RETRYABLE = new Set([
  ...RETRIED_ERRORS,
  // A single-item write that met a transaction in progress on the same item.
  'TransactionConflictException',
]);

/** Cancellation reasons that say "not now" rather than "no": the same transaction may succeed on a retry. */
const TRANSIENT_CANCELLATIONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'TransactionConflict',
  'RequestLimitExceeded',
]);

/**
 * What a cancelled TransactWriteItems means, from its `CancellationReasons` (one per item, in order):
 * - `conflict`: a condition failed (whatever else happened): the change is refused, 409;
 * - `transient`: throttled or raced by another transaction, nothing refused: worth retrying, then 503;
 * - `bug`: anything else (`ValidationError`, …): our request was wrong, 500.
 * `undefined` when the error is not a cancelled transaction.
 */
export function transactionCancellation(err: unknown): 'conflict' | 'transient' | 'bug' | undefined {
  const e = err as { name?: unknown; message?: unknown; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  // The SDK parses the reasons; the message lists them too ("… reasons [ConditionalCheckFailed, None]").
  const codes =
    e.CancellationReasons?.map((r) => r.Code ?? 'None') ??
    (/\[([A-Za-z, ]*)\]\s*$/.exec(String(e.message ?? ''))?.[1] ?? '').split(',').map((c) => c.trim());
  if (codes.includes('ConditionalCheckFailed')) return 'conflict';
  if (codes.some((c) => TRANSIENT_CANCELLATIONS.has(c))) return 'transient';
  return 'bug';
}

export function mapDbError(err: unknown, conflictMessage?: string): never {
  const name = (err as { name?: string } | null)?.name ?? '';
  const cancelled = transactionCancellation(err);
  if (name === 'ConditionalCheckFailedException' || cancelled === 'conflict') throw new Conflict(conflictMessage);
  if (cancelled === 'bug') throw err;
  if (cancelled === 'transient' || RETRYABLE.has(name) || (err as { $retryable?: unknown } | null)?.$retryable) {
    throw new Unavailable('The data store is busy; retry shortly', 1, err);
  }
  throw err;
}
