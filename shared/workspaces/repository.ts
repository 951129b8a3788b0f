import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { memberItems } from '../members/items';
import type { Member } from '../members/schema';
import type { PermissionSet } from '../permissions/catalog';
import { workspaceKey } from './keys';
import type { WorkspaceSettings } from './schema';

/** The workspace item. It also carries what the authorizer needs in one read (plan id, settings, custom roles). */
export interface WorkspaceRecord {
  id: string;
  name: string;
  planId: string;
  settings: WorkspaceSettings;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Bumped by every custom-role write; role writes and the plan's role limit serialize on it. */
  rolesVersion: number;
  /** The organization the workspace belongs to, if any. */
  orgId?: string;
  /** Custom roles' permission sets, kept in step with the role items in the same transactions. */
  customRoles: Record<string, PermissionSet>;
}

export function workspaceItem(ws: WorkspaceRecord) {
  return { ...workspaceKey(ws.id), entity: 'Workspace', ...ws };
}

export async function getWorkspace(wsId: string, consistent = false): Promise<WorkspaceRecord | undefined> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: workspaceKey(wsId), ConsistentRead: consistent }),
    );
    return res.Item as WorkspaceRecord | undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

/** Creates the workspace, its owner member and the owner's membership, all or nothing. */
export async function createWorkspace(
  ws: WorkspaceRecord,
  owner: Member,
  extra: Record<string, unknown>[] = [],
): Promise<void> {
  const cond = 'attribute_not_exists(PK)';
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: workspaceItem(ws), ConditionExpression: cond } },
          ...[...memberItems(ws.id, owner), ...extra].map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: cond },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The workspace already exists');
  }
}

/** Writes new name/settings if the workspace is still at `expectedVersion`. */
export async function updateWorkspace(
  next: WorkspaceRecord,
  expectedVersion: number,
  extra: Record<string, unknown>[] = [],
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: workspaceKey(next.id),
              UpdateExpression: 'SET #name = :name, settings = :settings, updatedAt = :now, version = :next',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: {
                ':name': next.name,
                ':settings': next.settings,
                ':now': next.updatedAt,
                ':next': next.version,
                ':expected': expectedVersion,
              },
            },
          },
          ...extra.map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The workspace was changed by someone else; reload and retry');
  }
}

export async function setWorkspacePlan(
  wsId: string,
  planId: string,
  expectedVersion: number,
  now: string,
  extra: Record<string, unknown>[] = [],
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: workspaceKey(wsId),
              UpdateExpression: 'SET planId = :plan, updatedAt = :now, version = :next',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: {
                ':plan': planId,
                ':now': now,
                ':next': expectedVersion + 1,
                ':expected': expectedVersion,
              },
            },
          },
          ...extra.map((Item) => ({
            Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The workspace was changed by someone else; reload and retry');
  }
}
