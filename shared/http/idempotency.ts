// `Idempotency-Key` on writes (API.md): a retry with the same key and body returns the first answer
// and changes nothing; the same key with another body is a 409. Keys are scoped to the caller and the
// route, so one caller's key can never replay another's answer. Records live in the table (Powertools
// idempotency) for 24 hours; a failed first attempt leaves no record, so its retry runs again, and one that never
// finished (its function timed out) holds the key only for the time its invocation had left: the record says until
// when, from the Lambda context each request registers (without it the key answered 409 for the whole 24 hours).
// The query string is compared like the body (`DELETE …?reassignTo=` is another request). A route's
// secret fields (an API key, shown once) are never stored: the first caller gets them, a replay answers
// the same status without them and names them in `secretsWithheld`.
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { TableIdempotencyStore } from '../db/idempotency-store';
import { Conflict, InvalidRequest } from '../errors';
import type { Result } from './responses';

const KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

interface IdempotentCall {
  key: string;
  principal: string;
  route: string;
  params: unknown;
  query: unknown;
  body: unknown;
}

const persistenceStore = new TableIdempotencyStore('IDEMPOTENCY#api');

const config = new IdempotencyConfig({
  eventKeyJmesPath: '[key, principal, route, params]',
  payloadValidationJmesPath: '[body, query]',
  expiresAfterSeconds: 86_400,
});

// The work itself travels beside the hashed call (not hashed, not stored).
const runOnce = makeIdempotent(async (_call: IdempotentCall, run: () => Promise<Result>) => run(), {
  persistenceStore,
  config,
  dataIndexArgument: 0,
});

/** The answer without its secret top-level fields: what is stored, and what a replay shows. */
export function withoutSecrets(result: Result, secretFields: readonly string[] = []): Result {
  const body = result.body;
  if (secretFields.length === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return result;
  const withheld = secretFields.filter((field) => Object.hasOwn(body, field));
  if (withheld.length === 0) return result;
  const kept = Object.fromEntries(Object.entries(body).filter(([field]) => !withheld.includes(field)));
  return { ...result, body: { ...kept, secretsWithheld: withheld } };
}

export async function withIdempotencyKey(
  key: string | undefined,
  call: Omit<IdempotentCall, 'key'>,
  run: () => Promise<Result>,
  context: Context,
  secretFields: readonly string[] = [],
): Promise<Result> {
  if (key === undefined) return run();
  if (!KEY.test(key)) {
    throw new InvalidRequest('Invalid Idempotency-Key', [
      { path: 'headers.idempotency-key', message: '1–128 characters: letters, digits, _ . : -' },
    ]);
  }
  config.registerLambdaContext(context);
  // The first caller's full answer stays in this closure; only the redacted one reaches the record.
  let firstAnswer: Result | undefined;
  const runAndRedact = async () => {
    firstAnswer = await run();
    return withoutSecrets(firstAnswer, secretFields);
  };
  try {
    const stored = (await runOnce({ key, ...call }, runAndRedact)) as Result;
    return firstAnswer ?? stored;
  } catch (err) {
    if (err instanceof IdempotencyValidationError) {
      throw new Conflict('This Idempotency-Key was used with a different request (body or query string)');
    }
    if (err instanceof IdempotencyAlreadyInProgressError) {
      throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly');
    }
    throw err;
  }
}
