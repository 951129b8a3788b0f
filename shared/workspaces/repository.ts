import { db, QueryCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { parseItem } from '../db/items';
import { batchGetAll, putNew, type TransactItem, transact } from '../db/ops';
import { decodeCursor, encodeCursor } from '../db/pagination';
import { InvalidRequest } from '../errors';
import type { Member } from '../members/schema';
import { newSeatCounterItem } from '../seats/items';
import { MembershipRecord, memberItems } from '../table/members/items';
import { membershipKey } from '../table/members/keys';
import { companyAdminGrantKey, GRANT_PREFIX } from '../table/organizations/keys';
import { newBuiltinHolderItems } from '../table/roles/holders';
import { workspaceDirectoryKey, workspaceKey } from '../table/workspaces/keys';
import { WorkspaceRecord } from '../table/workspaces/record';

export { WorkspaceRecord } from '../table/workspaces/record';

type Item = Record<string, unknown>;

export { getWorkspace } from '../table/workspaces/read';

/** Creates the workspace, its owner's items, its seat counter (the owner) and `extra` (the audit entry), all or nothing. */
export function createWorkspace(ws: WorkspaceRecord, owner: Member, extra: Item[] = []): Promise<void> {
  return transact(
    [
      { ...workspaceKey(ws.id), ...workspaceDirectoryKey(ws.id), entity: 'Workspace', ...ws },
      ...memberItems(ws.id, owner),
      newSeatCounterItem(ws.id, 1),
      ...newBuiltinHolderItems(ws.id, owner.roleId),
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

/** A workspace the user belongs to, as their own list shows it. */
export interface OwnWorkspace {
  workspace: WorkspaceRecord;
  /** The user's membership; absent where they are there as company admin only (or their membership is deactivated). */
  membership?: MembershipRecord;
}

const MEMBERSHIP_PREFIX = 'WS#';

const isPointer = (sk: unknown) =>
  typeof sk === 'string' && (sk.startsWith(MEMBERSHIP_PREFIX) || sk.startsWith(GRANT_PREFIX));

/**
 * One page of the workspaces `userId` belongs to: the user's own partition (`USER#u`) holds both kinds of
 * pointer, organization grants (`ORGWS#ws`, first in key order) and memberships (`WS#ws`), so a Query of that
 * partition pages them, never a Scan. Each workspace is listed once: where a user holds both, an active
 * membership stands for it (the admin grant is skipped), a deactivated one is listed by the grant (the
 * authorizer lets the admin in as company admin). A grant counts only for the organization the workspace
 * belongs to now, as the authorizer decides. Per page: the Query, and one BatchGetItem of the workspaces and
 * each pointer's counterpart. Pages hold at most `limit` entries (fewer where pointers were skipped).
 */
export async function listOwnWorkspaces(
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: OwnWorkspace[]; nextCursor: string | null }> {
  const pk = `USER#${userId}`;
  const cursor = decodeCursor(page.cursor, { PK: pk, SK: { prefix: '' } });
  if (cursor && !isPointer(cursor.SK)) {
    throw new InvalidRequest('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);
  }
  const out: OwnWorkspace[] = [];
  let start: Record<string, unknown> | undefined = cursor;
  // Bounded: each round reads only what is still missing from the page; skipped pointers are rare.
  for (let round = 0; round < 5 && out.length < page.limit; round++) {
    let res: { Items?: Item[]; LastEvaluatedKey?: Item };
    try {
      res = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Limit: page.limit - out.length,
          ExclusiveStartKey: start,
        }),
      );
    } catch (err) {
      return mapDbError(err);
    }
    out.push(
      ...(await resolvePointers(
        userId,
        (res.Items ?? []).filter((i) => isPointer(i.SK)),
      )),
    );
    start = res.LastEvaluatedKey;
    if (!start) break;
  }
  return { items: out, nextCursor: encodeCursor(start) };
}

async function resolvePointers(userId: string, pointers: Item[]): Promise<OwnWorkspace[]> {
  if (pointers.length === 0) return [];
  const wsOf = (i: Item) => String(i.workspaceId);
  const keys = new Map<string, { PK: string; SK: string }>();
  const want = (k: { PK: string; SK: string }) => keys.set(`${k.PK}|${k.SK}`, k);
  for (const p of pointers) {
    want(workspaceKey(wsOf(p)));
    want(
      String(p.SK).startsWith(GRANT_PREFIX) ? membershipKey(userId, wsOf(p)) : companyAdminGrantKey(userId, wsOf(p)),
    );
  }
  const found = new Map((await batchGetAll([...keys.values()], false)).map((i) => [`${i.PK}|${i.SK}`, i]));
  const get = (k: { PK: string; SK: string }) => found.get(`${k.PK}|${k.SK}`);
  const out: OwnWorkspace[] = [];
  for (const p of pointers) {
    const wsItem = get(workspaceKey(wsOf(p)));
    if (!wsItem) continue;
    const workspace = parseItem(WorkspaceRecord, wsItem, 'Workspace');
    const validGrant = (g: Item | undefined) =>
      g !== undefined && workspace.orgId !== undefined && g.orgId === workspace.orgId;
    if (String(p.SK).startsWith(GRANT_PREFIX)) {
      if (!validGrant(p)) continue;
      const m = get(membershipKey(userId, workspace.id));
      const membership = m ? parseItem(MembershipRecord, m, 'Membership') : undefined;
      if (membership && membership.status !== 'deactivated') continue;
      out.push({ workspace });
    } else {
      const membership = parseItem(MembershipRecord, p, 'Membership');
      if (membership.status === 'deactivated' && validGrant(get(companyAdminGrantKey(userId, workspace.id)))) continue;
      out.push({ workspace, membership });
    }
  }
  return out;
}
