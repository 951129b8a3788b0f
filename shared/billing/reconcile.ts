// The seat reconciliation (PRODUCT.md §9): walks every workspace, recomputes paid seats from the member
// items with the Admin Seat Policy, compares with the billed quantity, and for each difference writes ONE
// ledger entry and emits ONE `SeatsChanged` event. It also checks each seat counter against the truth and
// repairs drift, and gives back the seats of expired invitations.
//
// Walk: the workspace directory (a sparse index entry every workspace item carries, Queried shard by shard),
// then, with bounded concurrency, one Query of each workspace's partition filtered to what billing reads (the
// workspace, members, seat counter, billed quantity, pending invitations, unpublished ledger entries) and
// projected to the attributes used, reconciled at once. So a run reads what billing needs and nothing else
// of the table, its cost grows with the workspaces (a Scan's grows with the whole table: audit, conversations,
// ...), and it holds one workspace at a time per worker. A workspace that fails is reported and the others go on.
//
// Never twice: a billed change is a transaction conditioned on the ledger's sequence number read (the
// ledger entry's key is that number), so a rerun, a retried invocation or an overlapping run either finds
// the quantity already right or loses the condition and re-reads. The event is published through
// Powertools idempotency keyed by the change's deterministic idempotency key, then the entry is marked
// published; an entry left unpublished (a crash between the two) is published by the next run, and the
// idempotency record makes that a no-op if the first publish got through.
import type { Context } from 'aws-lambda';
import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { parseItem } from '../db/items';
import { Conflict } from '../errors';
import { type Recount, recountSeats } from '../seats/counter';
import { invitationHoldsSeat } from '../seats/holders';
import { SeatCounterItem } from '../seats/items';
import { LEDGER_PREFIX } from '../table/billing/keys';
import { MEMBER_PREFIX } from '../table/members/keys';
import { wsPk } from '../table/workspaces/keys';
import { listWorkspaceIds } from '../workspaces/directory';
import { billingConfig } from './config';
import type { EventPort } from './events';
import { type SeatHolder, seatHolderOf, seatPolicy } from './policy';
import { getBilling, getLedgerEntry, recordSeatChange, seatHolders } from './repository';
import { BillingItem, type BillingRecord, type LedgerEntry } from './schema';

type Item = Record<string, unknown>;

export interface ReconcileReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  checked: number;
  changed: number;
  failed: number;
  driftRepaired: number;
  expiredReleased: number;
  /** Events of earlier runs' entries published now (their first publish did not finish). */
  republished: number;
  changes: { workspaceId: string; before: number; after: number; idempotencyKey: string }[];
  drift: { workspaceId: string; before: number | null; after: number }[];
  failures: { workspaceId: string; error: string }[];
}

interface WorkspaceState {
  exists: boolean;
  members: SeatHolder[];
  /** Pending invitations holding a seat (expired ones included until released). */
  heldInvites: number;
  expiredHeld: number;
  counter: { seatsUsed: number; seatsVersion: number } | undefined;
  billing: BillingRecord | undefined;
  unpublished: number[];
}

const FILTER = {
  ExpressionAttributeNames: {
    '#s': 'status',
    '#pk': 'PK',
    '#sk': 'SK',
    '#id': 'id',
    '#r': 'roleId',
    '#j': 'joinedAt',
    '#e': 'expiresAt',
    '#sr': 'seatReleased',
    '#su': 'seatsUsed',
    '#sv': 'seatsVersion',
    '#b': 'billedSeats',
    '#q': 'seq',
    '#l': 'lastReconciledAt',
    '#d': 'deactivatedAt',
    '#a': 'active',
    '#en': 'entity',
  },
  ProjectionExpression: '#pk, #sk, #s, #id, #r, #j, #e, #sr, #su, #sv, #b, #q, #l, #d, #a, #en',
};
// Only what billing reads (by entity: a Query may not filter on key attributes).
const KEEP =
  '#en IN (:ws, :member, :seats, :billing)' +
  ' OR (#en = :invite AND #s = :pending)' +
  ' OR (#en = :ledger AND attribute_not_exists(publishedAt))';
const KEEP_VALUES = {
  ':ws': 'Workspace',
  ':member': 'Member',
  ':seats': 'SeatCounter',
  ':billing': 'SeatBilling',
  ':invite': 'Invitation',
  ':pending': 'pending',
  ':ledger': 'SeatLedger',
};

const emptyState = (): WorkspaceState => ({
  exists: false,
  members: [],
  heldInvites: 0,
  expiredHeld: 0,
  counter: undefined,
  billing: undefined,
  unpublished: [],
});

// Items are told apart by `entity` (what the filter keeps), each parsed with its record schema.
function take(s: WorkspaceState, items: Item[], now: string): void {
  for (const item of items) {
    switch (item.entity) {
      case 'Workspace':
        if (item.SK === 'META') s.exists = true;
        break;
      case 'Member':
        if (String(item.SK).startsWith(MEMBER_PREFIX)) s.members.push(seatHolderOf(item));
        break;
      case 'SeatCounter':
        s.counter = parseItem(SeatCounterItem, item, 'Seat counter');
        break;
      case 'SeatBilling':
        s.billing = parseItem(BillingItem, item, 'Billing');
        break;
      case 'Invitation':
        if (invitationHoldsSeat(item)) {
          s.heldInvites += 1;
          if (String(item.expiresAt) <= now) s.expiredHeld += 1;
        }
        break;
      case 'SeatLedger':
        s.unpublished.push(Number(String(item.SK).slice(LEDGER_PREFIX.length)));
        break;
    }
  }
}

/** What billing reads of one workspace: its partition, filtered and projected, strongly consistent. */
async function readWorkspace(wsId: string, now: string): Promise<WorkspaceState> {
  const s = emptyState();
  let start: Item | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: KEEP,
        ...FILTER,
        ExpressionAttributeValues: { ...KEEP_VALUES, ':pk': wsPk(wsId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    take(s, res.Items ?? [], now);
    start = res.LastEvaluatedKey;
  } while (start);
  return s;
}

/** Runs `fn` over `items`, at most `limit` at once. */
export async function boundedEach<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export const periodOf = (at: Date) => at.toISOString().slice(0, 7);

/** The same change of the same workspace always has this key: the ledger position and the quantities. */
export const changeKey = (wsId: string, seq: number, before: number, after: number) =>
  `${wsId}:seats:${seq}:${before}->${after}`;

let lambdaContext: Context | undefined;

/** The invocation's context (the handler, each invocation): an idempotency record left in progress expires with it. */
export function registerLambdaContext(context: Context): void {
  lambdaContext = context;
}

/**
 * Publishes the entry's event once (publish.ts); false when another run is publishing it right now. Loaded on the
 * first entry to publish, not at the module's top: most runs find every workspace billed right and publish nothing,
 * and what publishing brings (the SDK's EventBridge client, Powertools idempotency and its JMESPath) was most of
 * the job's cold start (issue 19).
 */
async function publish(port: EventPort | undefined, entry: LedgerEntry): Promise<boolean> {
  return (await import('./publish')).publish(port, entry, lambdaContext);
}

const CHANGE_ATTEMPTS = 4;

/**
 * Bills what the members say now: read fresh (strongly consistent), compared with the billed quantity,
 * written as one conditional change. Returns the entry written, or undefined if nothing was to change.
 */
async function billWorkspace(wsId: string, now: Date): Promise<LedgerEntry | undefined> {
  for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
    const [members, billing] = await Promise.all([seatHolders(wsId), getBilling(wsId)]);
    const count = seatPolicy(members);
    const before = billing?.billedSeats ?? 0;
    if (billing && before === count.paidSeats) return undefined;
    const seq = (billing?.seq ?? 0) + 1;
    const entry: LedgerEntry = {
      id: `${wsId}:${seq}`,
      seq,
      workspaceId: wsId,
      period: periodOf(now),
      at: now.toISOString(),
      before,
      after: count.paidSeats,
      reason: !billing ? 'initial' : count.paidSeats > before ? 'seats.increased' : 'seats.decreased',
      explanation: count.explanation,
      idempotencyKey: changeKey(wsId, seq, before, count.paidSeats),
      seats: count.seats,
      admins: count.admins,
      freeAdminMemberId: count.freeAdminMemberId,
      publishedAt: null,
    };
    try {
      await recordSeatChange(entry, billing?.seq ?? 0);
      return entry;
    } catch (err) {
      // Another run billed this workspace meanwhile: read again (most often there is nothing left to do).
      if (!(err instanceof Conflict)) throw err;
    }
  }
  throw new Conflict('The billed quantity keeps changing; the next run will bill it');
}

/** One workspace: expired invitations' seats, the counter against the truth, unpublished events, the bill. */
async function reconcileWorkspace(
  wsId: string,
  s: WorkspaceState,
  now: Date,
  port: EventPort | undefined,
  report: ReconcileReport,
): Promise<void> {
  // The seat counter against the truth (members + seat-holding invitations); expired ones released.
  // Deactivated members hold no seat (the counter gave theirs back at deactivation).
  const truth = s.members.filter((m) => m.active !== false).length + s.heldInvites;
  if (s.expiredHeld > 0 || !s.counter || s.counter.seatsUsed !== truth) {
    const r: Recount = await recountSeats(wsId, now);
    report.expiredReleased += r.released;
    if (r.repaired) {
      report.driftRepaired += 1;
      report.drift.push({ workspaceId: wsId, before: r.before, after: r.after });
    }
  }
  // Earlier entries whose event did not go out yet.
  for (const seq of s.unpublished) {
    const entry = await getLedgerEntry(wsId, seq);
    if (entry && entry.publishedAt === null && (await publish(port, entry))) report.republished += 1;
  }
  // Paid seats from the members read; a difference is confirmed on fresh reads before billing.
  const paid = seatPolicy(s.members).paidSeats;
  if (!s.billing || s.billing.billedSeats !== paid) {
    const entry = await billWorkspace(wsId, now);
    if (entry) {
      report.changed += 1;
      report.changes.push({
        workspaceId: wsId,
        before: entry.before,
        after: entry.after,
        idempotencyKey: entry.idempotencyKey,
      });
      await publish(port, entry);
    }
  }
}

export interface ReconcileOptions {
  /** Only these workspaces (local runs and tests); otherwise every workspace in the table. */
  workspaceIds?: readonly string[];
  now?: Date;
  events?: EventPort;
  runId?: string;
}

export async function reconcileSeats(options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const config = billingConfig();
  const now = options.now ?? new Date();
  // Undefined: EventBridge (publish.ts).
  const port = options.events;
  const report: ReconcileReport = {
    runId: options.runId ?? `run_${now.getTime().toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
    startedAt: now.toISOString(),
    finishedAt: '',
    checked: 0,
    changed: 0,
    failed: 0,
    driftRepaired: 0,
    expiredReleased: 0,
    republished: 0,
    changes: [],
    drift: [],
    failures: [],
  };

  let workspaceIds: readonly string[];
  try {
    workspaceIds = options.workspaceIds ?? (await listWorkspaceIds());
  } catch (err) {
    mapDbError(err);
  }

  const nowIso = now.toISOString();
  await boundedEach(workspaceIds, config.RECONCILE_CONCURRENCY, async (wsId) => {
    try {
      const s = await readWorkspace(wsId, nowIso);
      if (!s.exists) return;
      report.checked += 1;
      await reconcileWorkspace(wsId, s, now, port, report);
    } catch (err) {
      report.failed += 1;
      report.failures.push({ workspaceId: wsId, error: err instanceof Error ? err.message : String(err) });
    }
  });

  report.finishedAt = new Date().toISOString();
  return report;
}
