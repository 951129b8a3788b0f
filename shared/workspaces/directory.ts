// The workspace directory (sparse GSI2, see keys.ts): how jobs find every workspace without scanning the table.
import { db, QueryCommand, ScanCommand, tableName, UpdateCommand } from '../db/client';
import {
  WORKSPACE_DIRECTORY_SHARDS,
  workspaceDirectoryKey,
  workspaceDirectoryPk,
  workspaceKey,
} from '../table/workspaces/keys';

type Item = Record<string, unknown>;

/**
 * Every workspace id in the directory, each shard paged through at once. The index is eventually consistent:
 * a workspace created in the last instants is found by the next run.
 */
export async function listWorkspaceIds(): Promise<string[]> {
  const shards = await Promise.all(
    Array.from({ length: WORKSPACE_DIRECTORY_SHARDS }, async (_, shard) => {
      const ids: string[] = [];
      let start: Item | undefined;
      do {
        const res = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': workspaceDirectoryPk(shard) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of res.Items ?? []) ids.push(String(item.GSI2SK));
        start = res.LastEvaluatedKey;
      } while (start);
      return ids;
    }),
  );
  return shards.flat();
}

/**
 * One-off migration for tables written before the directory existed: gives every workspace item without an
 * entry its entry (a Scan, so it is a script, never a scheduled job). Idempotent: an item that gained its entry
 * meanwhile, or was deleted, is left alone by the condition. Returns the workspace ids it added.
 */
export async function backfillWorkspaceDirectory(): Promise<string[]> {
  const added: string[] = [];
  let start: Item | undefined;
  do {
    const res = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'SK = :meta AND entity = :ws AND attribute_not_exists(GSI2PK)',
        ExpressionAttributeValues: { ':meta': 'META', ':ws': 'Workspace' },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      const wsId = String(item.id);
      const entry = workspaceDirectoryKey(wsId);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: workspaceKey(wsId),
            UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI2PK)',
            ExpressionAttributeValues: { ':pk': entry.GSI2PK, ':sk': entry.GSI2SK },
          }),
        );
        added.push(wsId);
      } catch (err) {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      }
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return added;
}
