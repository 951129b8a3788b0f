// Billing's table access: the billed quantity with its ledger (one transaction per billed change), the
// members as the seat policy sees them, and the ended seat intervals (removals, deactivations).
import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser, parseItem } from '../db/items';
import { getItem, putNew, queryAll, queryCollection, queryCollectionPage, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import { Conflict } from '../errors';
import { auditItem } from '../table/audit/entry';
import { billingKey, LEDGER_PREFIX, ledgerKey } from '../table/billing/keys';
import { MEMBER_PREFIX } from '../table/members/keys';
import { SEAT_LEFT_PREFIX } from '../table/seats/keys';
import { wsCollection, wsPk } from '../table/workspaces/keys';
import { type SeatHolder, seatHolderOf } from './policy';
import {
  BillingItem,
  type BillingRecord,
  LedgerEntry,
  SeatDeparture,
  type SeatDeparture as SeatDepartureT,
} from './schema';

type Item = Record<string, unknown>;

const toLedgerEntry = itemParser(LedgerEntry, 'Ledger entry');
const toSeatDeparture = itemParser(SeatDeparture, 'Seat departure');

/** Every member of a workspace as the seat policy sees them (strongly consistent, raw items). */
export async function seatHolders(wsId: string): Promise<SeatHolder[]> {
  return (await queryCollection(wsCollection(wsId, MEMBER_PREFIX))).map(seatHolderOf);
}

export async function getBilling(wsId: string): Promise<BillingRecord | undefined> {
  const item = await getItem<Item>(billingKey(wsId), true);
  return item ? parseItem(BillingItem, item, 'Billing') : undefined;
}

/**
 * A billed change: the billed quantity moves from `before` to `entry.after` on the condition that the
 * ledger is still at `expectedSeq` (two overlapping runs: one writes, the other's condition fails), the
 * ledger entry is created (its key is the sequence: never twice) and the audit log records it.
 */
export function recordSeatChange(entry: LedgerEntry, expectedSeq: number): Promise<void> {
  const ws = entry.workspaceId;
  return transact(
    [
      expectedSeq === 0
        ? putNew({
            ...billingKey(ws),
            entity: 'SeatBilling',
            workspaceId: ws,
            billedSeats: entry.after,
            seq: entry.seq,
            lastReconciledAt: entry.at,
          })
        : {
            Update: {
              TableName: tableName,
              Key: billingKey(ws),
              UpdateExpression: 'SET billedSeats = :after, seq = :next, lastReconciledAt = :at',
              ConditionExpression: 'seq = :expected',
              ExpressionAttributeValues: {
                ':after': entry.after,
                ':next': entry.seq,
                ':at': entry.at,
                ':expected': expectedSeq,
              },
            },
          },
      putNew({ ...ledgerKey(ws, entry.seq), entity: 'SeatLedger', ...entry, publishedAt: undefined }),
      putNew(
        auditItem(
          {
            workspaceId: ws,
            actor: { memberId: null, userId: null, source: 'app' },
            action: 'billing.seats.change',
            target: { type: 'workspace', id: ws },
            before: { billedSeats: entry.before },
            after: {
              billedSeats: entry.after,
              ledgerId: entry.id,
              reason: entry.reason,
              explanation: entry.explanation,
              idempotencyKey: entry.idempotencyKey,
            },
          },
          new Date(entry.at),
        ),
      ),
    ],
    'The billed quantity changed meanwhile',
  );
}

/** Unchanged quantity: only the time of the last reconciliation moves (no ledger entry, no event). */
export async function touchBilling(wsId: string, seq: number, at: string): Promise<void> {
  if (seq === 0) return;
  await transact([
    {
      Update: {
        TableName: tableName,
        Key: billingKey(wsId),
        UpdateExpression: 'SET lastReconciledAt = :at',
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':at': at, ':seq': seq },
      },
    },
  ]).catch((err) => {
    if (!(err instanceof Conflict)) throw err;
  });
}

export async function getLedgerEntry(wsId: string, seq: number): Promise<LedgerEntry | undefined> {
  const item = await getItem<Item>(ledgerKey(wsId, seq), true);
  return item ? toLedgerEntry(item) : undefined;
}

export async function markPublished(wsId: string, seq: number, at: string): Promise<void> {
  await transact([
    {
      Update: {
        TableName: tableName,
        Key: ledgerKey(wsId, seq),
        UpdateExpression: 'SET publishedAt = :at',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(publishedAt)',
        ExpressionAttributeValues: { ':at': at },
      },
    },
  ]).catch((err) => {
    if (!(err instanceof Conflict)) throw err;
  });
}

/** One page of the ledger, newest first. */
export function listLedger(wsId: string, page: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>> {
  return queryCollectionPage(wsCollection(wsId, LEDGER_PREFIX), page, toLedgerEntry, {
    ScanIndexForward: false,
  });
}

/** Ledger entries up to a time (`at < before`), oldest first: what a billing period needs. */
export async function ledgerUntil(wsId: string, before: string): Promise<LedgerEntry[]> {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    FilterExpression: '#at < :before',
    ExpressionAttributeNames: { '#at': 'at' },
    ExpressionAttributeValues: { ':pk': wsPk(wsId), ':prefix': LEDGER_PREFIX, ':before': before },
    ConsistentRead: true,
  });
  return items.map(toLedgerEntry);
}

/** Members who left at or after `since` (the departures a period starting then must count). */
export async function departuresSince(wsId: string, since: string): Promise<SeatDepartureT[]> {
  const out: SeatDepartureT[] = [];
  let start: Item | undefined;
  try {
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': wsPk(wsId),
            ':from': `${SEAT_LEFT_PREFIX}${since}`,
            ':to': `${SEAT_LEFT_PREFIX}\uffff`,
          },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map(toSeatDeparture));
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    if (err instanceof Error && err.name === 'ZodError') throw err;
    return mapDbError(err);
  }
  return out;
}
