import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { decodeCursor, encodeCursor, type Page } from '../db/pagination';

export interface AuditView {
  id: string;
  at: string;
  action: string;
  actor: { memberId: string | null; userId: string | null; source: string };
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
}

const toView = (i: Record<string, unknown>): AuditView => ({
  id: i.id as string,
  at: i.at as string,
  action: i.action as string,
  actor: i.actor as AuditView['actor'],
  target: i.target as AuditView['target'],
  before: i.before ?? null,
  after: i.after ?? null,
});

/** Newest first (ULIDs sort by time). */
export async function listAudit(wsId: string, opts: { limit: number; cursor?: string }): Promise<Page<AuditView>> {
  const start = decodeCursor(opts.cursor, { PK: `WS#${wsId}`, SK: { prefix: 'AUDIT#' } });
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (res.Items ?? []).map(toView), nextCursor: encodeCursor(res.LastEvaluatedKey) };
  } catch (err) {
    return mapDbError(err);
  }
}
