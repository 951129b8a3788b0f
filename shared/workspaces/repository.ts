import { newSeatCounterItem } from '../billing/seats';
import { tableName } from '../db/client';
import { parseItem } from '../db/items';
import { getItem, putNew, type TransactItem, transact } from '../db/ops';
import { memberItems } from '../members/items';
import type { Member } from '../members/schema';
import { workspaceDirectoryKey, workspaceKey } from './keys';
import { WorkspaceRecord } from './record';

export { WorkspaceRecord } from './record';

type Item = Record<string, unknown>;

export async function getWorkspace(wsId: string, consistent = false): Promise<WorkspaceRecord | undefined> {
  const item = await getItem<Item>(workspaceKey(wsId), consistent);
  return item ? parseItem(WorkspaceRecord, item, 'Workspace') : undefined;
}

/** Creates the workspace, its owner's items, its seat counter (the owner) and `extra` (the audit entry), all or nothing. */
export function createWorkspace(ws: WorkspaceRecord, owner: Member, extra: Item[] = []): Promise<void> {
  return transact(
    [
      { ...workspaceKey(ws.id), ...workspaceDirectoryKey(ws.id), entity: 'Workspace', ...ws },
      ...memberItems(ws.id, owner),
      newSeatCounterItem(ws.id, 1),
      ...extra,
    ].map(putNew),
    'The workspace already exists',
  );
}

/**
 * A versioned update of the workspace item, with `extra` items created in the same transaction. With
 * `rolesVersion` (the roles as read), it is also conditioned on the workspace's roles being unchanged and moves
 * `rolesVersion` on, as a role write does: a role deletion decided on an earlier read then fails, and so does
 * this update if a role was deleted since (`requireApprovalFor` naming custom roles).
 */
function versionedUpdate(
  wsId: string,
  expectedVersion: number,
  set: Record<string, unknown>,
  extra: Item[],
  rolesVersion?: number,
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':next': expectedVersion + 1 };
  const parts = Object.entries(set).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} = :a${i}`;
  });
  let condition = 'version = :expected';
  if (rolesVersion !== undefined) {
    // A workspace item from before roles were counted has no rolesVersion: it reads as 0.
    values[':rolesExpected'] = rolesVersion;
    values[':zero'] = 0;
    values[':one'] = 1;
    condition +=
      rolesVersion === 0
        ? ' AND (attribute_not_exists(rolesVersion) OR rolesVersion = :rolesExpected)'
        : ' AND rolesVersion = :rolesExpected';
    parts.push('rolesVersion = if_not_exists(rolesVersion, :zero) + :one');
  }
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: workspaceKey(wsId),
          UpdateExpression: `SET ${[...parts, 'version = :next'].join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...extra.map(putNew),
    ],
    'The workspace was changed by someone else; reload and retry',
  );
}

/**
 * Writes new name/settings if the workspace is still at `expectedVersion` (and, given `rolesVersion`, its roles
 * are still as read: see versionedUpdate).
 */
export function updateWorkspace(
  next: WorkspaceRecord,
  expectedVersion: number,
  extra: Item[] = [],
  rolesVersion?: number,
): Promise<void> {
  return versionedUpdate(
    next.id,
    expectedVersion,
    { name: next.name, settings: next.settings, updatedAt: next.updatedAt },
    extra,
    rolesVersion,
  );
}

/**
 * Moves the workspace to a plan if it is still at `expectedVersion` and holds no more custom roles than
 * the plan allows (`maxCustomRoles`, null for unlimited): a role created concurrently makes this a 409.
 */
export function setWorkspacePlan(
  wsId: string,
  planId: string,
  expectedVersion: number,
  maxCustomRoles: number | null,
  now: string,
  extra: Item[] = [],
  /** Extra condition items (the seat counter within the new plan's seats). */
  conditions: TransactItem[] = [],
) {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: workspaceKey(wsId),
          UpdateExpression: 'SET planId = :plan, updatedAt = :now, version = :next',
          ConditionExpression:
            maxCustomRoles === null
              ? 'version = :expected'
              : 'version = :expected AND (attribute_not_exists(customRoleCount) OR customRoleCount <= :max)',
          ExpressionAttributeValues: {
            ':plan': planId,
            ':now': now,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
            ...(maxCustomRoles === null ? {} : { ':max': maxCustomRoles }),
          },
        },
      },
      ...conditions,
      ...extra.map(putNew),
    ],
    'The workspace or its roles changed meanwhile; reload and retry',
  );
}
