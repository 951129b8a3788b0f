// Publishing a ledger entry's `SeatsChanged` event once: through Powertools idempotency keyed by the change's
// deterministic idempotency key (its records in the table), then the entry marked published. The reconciliation
// loads this module only when it has an entry to publish (reconcile.ts), and with it the SDK's EventBridge client.

import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { TableIdempotencyStore } from '../db/idempotency-store';
import { type EventPort, eventBridgePort, type SeatsChangedDetail } from './events';
import { markPublished } from './repository';
import type { LedgerEntry } from './schema';

const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'idempotencyKey',
  // Long enough for any rerun to find the record; the ledger's publishedAt ends republishing anyway.
  expiresAfterSeconds: 7 * 86_400,
});

let publishOnce: ((detail: SeatsChangedDetail) => Promise<unknown>) | undefined;
let publishPort: EventPort | undefined;

function publisher(port: EventPort) {
  if (!publishOnce || publishPort !== port) {
    publishPort = port;
    publishOnce = makeIdempotent((detail: SeatsChangedDetail) => port.seatsChanged(detail), {
      persistenceStore: new TableIdempotencyStore('IDEMPOTENCY#seats-changed'),
      config: idempotency,
    });
  }
  return publishOnce;
}

const detailOf = (e: LedgerEntry): SeatsChangedDetail => ({
  workspaceId: e.workspaceId,
  period: e.period,
  before: e.before,
  after: e.after,
  reason: e.reason,
  idempotencyKey: e.idempotencyKey,
  ledgerId: e.id,
  seq: e.seq,
  at: e.at,
});

/**
 * Publishes the entry's event once through `port` (EventBridge when undefined); false when another run is publishing
 * it right now (it will mark it). With the invocation's context, an idempotency record left in progress expires with
 * the invocation.
 */
export async function publish(
  port: EventPort | undefined,
  entry: LedgerEntry,
  context: Context | undefined,
): Promise<boolean> {
  if (context) idempotency.registerLambdaContext(context);
  try {
    await publisher(port ?? eventBridgePort)(detailOf(entry));
  } catch (err) {
    if (err instanceof IdempotencyAlreadyInProgressError) return false;
    throw err;
  }
  await markPublished(entry.workspaceId, entry.seq, new Date().toISOString());
  return true;
}
