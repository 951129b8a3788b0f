// Organizations own workspaces and have company admins. A company admin's access is fanned out as one
// grant item per workspace, so deciding stays one read; adding or removing an admin or a workspace
// writes or deletes the grants with it, and an audit entry in every workspace it affects, in ONE
// transaction (the caps below keep every such transaction within DynamoDB's 100 items).
//
// Concurrency: the META item carries `version` and `adminCount`. Every change of the admin set or the
// workspace set bumps `version` in its transaction, on the condition that it is still the version the
// change was computed from; so a change computed from a list another one changed meanwhile fails
// (`OrgChanged`) instead of leaving a grant nobody is listed for, and the service retries it on fresh
// data. A removal also requires `adminCount > 1`: the organization always keeps an admin.
// Items written before versions existed have neither attribute: they count as version 0.
import { db, TransactWriteCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { getItem, inPartition, putNew, queryAll } from '../db/ops';
import { Conflict } from '../errors';
import {
  companyAdminGrantKey,
  GRANT_PREFIX,
  orgAdminKey,
  orgGrantHolderKey,
  orgKey,
  orgWorkspaceKey,
} from '../table/organizations/keys';
import { workspaceKey } from '../table/workspaces/keys';

export interface OrgRecord {
  id: string;
  name: string;
  createdAt: string;
}
export interface OrgAdmin {
  userId: string;
  email: string;
  addedAt: string;
}
export interface OrgState {
  org: OrgRecord;
  /** 0 for an organization written before versions existed. */
  version: number;
  /** As stored in META (absent before versions existed). */
  adminCount: number | undefined;
  admins: OrgAdmin[];
  workspaceIds: string[];
  /** Users recorded as having held the organization's grants (admins and former admins). */
  holders: string[];
}

type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const MAX_TRANSACT_ITEMS = 100;
/** Adding or removing an admin writes 3 items + (grant, audit entry) per workspace: 3 + 2 × 45 = 93 items. */
export const MAX_ORG_WORKSPACES = 45;
/** Attaching a workspace writes 4 items + one grant per admin: 4 + 90 = 94 items. */
export const MAX_ORG_ADMINS = 90;

/** A transaction lost to another change of the organization: recompute on fresh data. */
export class OrgChanged extends Conflict {
  constructor() {
    super('The organization changed meanwhile; retry');
  }
}

/**
 * Plain puts and deletes: a leftover grant must never make adding or repairing fail. `adminSince` (the admin
 * item's `addedAt`) tells one tenure from the next: the API keys an admin made work only under the grant of
 * the tenure they were made in, so removing and adding the admin again does not revive them.
 */
const grantPut = (orgId: string, admin: { userId: string; addedAt: string }, wsId: string): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...companyAdminGrantKey(admin.userId, wsId),
      entity: 'CompanyAdminGrant',
      orgId,
      userId: admin.userId,
      workspaceId: wsId,
      adminSince: admin.addedAt,
    },
  },
});
const grantDelete = (userId: string, wsId: string): TransactItem => ({
  Delete: { TableName: tableName, Key: companyAdminGrantKey(userId, wsId) },
});
const holderPut = (orgId: string, userId: string): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...orgGrantHolderKey(orgId, userId), entity: 'OrgGrantHolder', orgId, userId },
  },
});

/** Bumps the version from `state.version`, sets the admin count; `atLeastTwoAdmins` guards a removal. */
function bumpMeta(orgId: string, version: number, adminCount: number, atLeastTwoAdmins = false): TransactItem {
  const values: Record<string, unknown> = { ':next': version + 1, ':count': adminCount };
  let condition: string;
  if (version === 0) condition = 'attribute_exists(PK) AND attribute_not_exists(version)';
  else {
    condition = 'version = :v';
    values[':v'] = version;
    if (atLeastTwoAdmins) {
      condition += ' AND adminCount > :one';
      values[':one'] = 1;
    }
  }
  return {
    Update: {
      TableName: tableName,
      Key: orgKey(orgId),
      UpdateExpression: 'SET version = :next, adminCount = :count',
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    },
  };
}

const versionCheck = (orgId: string, version: number): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: orgKey(orgId),
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': version },
  },
});

/** One code per item, in order; from the SDK's parsed reasons, else from the message ("… [A, None]"). */
function cancellationCodes(err: unknown): string[] {
  const e = err as { message?: unknown; CancellationReasons?: { Code?: string }[] };
  if (e.CancellationReasons) return e.CancellationReasons.map((r) => r.Code ?? 'None');
  const listed = /\[([A-Za-z, ]*)\]\s*$/.exec(String(e.message ?? ''))?.[1];
  return listed ? listed.split(',').map((c) => c.trim()) : [];
}

/**
 * All or nothing. A failed condition of an item listed in `definite` is that Conflict; any other
 * failed condition or transaction conflict means the organization moved on: `OrgChanged`.
 */
async function commit(items: TransactItem[], definite: Record<number, string> = {}): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (name === 'TransactionCanceledException') {
      const codes = cancellationCodes(err);
      for (const [index, message] of Object.entries(definite)) {
        if (codes[Number(index)] === 'ConditionalCheckFailed') throw new Conflict(message);
      }
      if (codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded')) {
        mapDbError({ name: 'ThrottlingException' });
      }
      if (codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
        throw new OrgChanged();
      }
    }
    mapDbError(err, 'The organization changed meanwhile; retry');
  }
}

/**
 * The organization, its admins, workspaces and grant holders. `forChange` reads META first (a GetItem
 * is serializable with transactions): everything the query returns after it is at least that version,
 * so a change computed from it either sees every item of that version or fails its version condition.
 */
export async function getOrg(orgId: string, forChange = false): Promise<OrgState | undefined> {
  let meta: Item | undefined;
  if (forChange) {
    meta = await getItem<Item>(orgKey(orgId));
    if (!meta) return undefined;
  }
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': orgKey(orgId).PK },
    ConsistentRead: true,
  });
  meta ??= items.find((i) => i.SK === 'META');
  if (!meta) return undefined;
  const withPrefix = (prefix: string) => items.filter((i) => String(i.SK).startsWith(prefix));
  return {
    org: { id: meta.id, name: meta.name, createdAt: meta.createdAt } as OrgRecord,
    version: typeof meta.version === 'number' ? meta.version : 0,
    adminCount: typeof meta.adminCount === 'number' ? meta.adminCount : undefined,
    admins: withPrefix('ADMIN#').map((i) => ({ userId: i.userId, email: i.email, addedAt: i.addedAt }) as OrgAdmin),
    workspaceIds: withPrefix('WS#').map((i) => i.workspaceId as string),
    holders: withPrefix('HOLDER#').map((i) => i.userId as string),
  };
}

/** The workspaces `userId` holds a grant of this organization in (strongly consistent). */
export async function grantsOf(userId: string, orgId: string): Promise<string[]> {
  const items = await queryAll({ ...inPartition(`USER#${userId}`, GRANT_PREFIX), ConsistentRead: true });
  return items.filter((i) => i.orgId === orgId).map((i) => i.workspaceId as string);
}

const adminItem = (orgId: string, admin: OrgAdmin) =>
  putNew({ ...orgAdminKey(orgId, admin.userId), entity: 'CompanyAdmin', orgId, ...admin });

export function createOrg(org: OrgRecord, admin: OrgAdmin): Promise<void> {
  return commit([
    putNew({ ...orgKey(org.id), entity: 'Organization', ...org, version: 1, adminCount: 1 }),
    adminItem(org.id, admin),
    holderPut(org.id, admin.userId),
  ]);
}

/** The admin, a grant in every workspace and an audit entry in each (`audits[i]` for `workspaceIds[i]`). */
export function addAdmin(state: OrgState, admin: OrgAdmin, audits: Item[]): Promise<void> {
  const orgId = state.org.id;
  return commit([
    bumpMeta(orgId, state.version, state.admins.length + 1),
    adminItem(orgId, admin),
    holderPut(orgId, admin.userId),
    ...state.workspaceIds.flatMap((ws, i) => [grantPut(orgId, admin, ws), putNew(audits[i] as Item)]),
  ]);
}

/** Removes the admin and every grant of theirs; the holder marker stays for repairs to check. */
export function removeAdmin(state: OrgState, userId: string, audits: Item[]): Promise<void> {
  const orgId = state.org.id;
  return commit([
    bumpMeta(orgId, state.version, state.admins.length - 1, true),
    {
      Delete: { TableName: tableName, Key: orgAdminKey(orgId, userId), ConditionExpression: 'attribute_exists(PK)' },
    },
    holderPut(orgId, userId),
    ...state.workspaceIds.flatMap((ws, i) => [grantDelete(userId, ws), putNew(audits[i] as Item)]),
  ]);
}

/** The workspace joins the organization (once, and only one organization), with a grant per admin. */
export function attachWorkspace(state: OrgState, wsId: string, audit: Item): Promise<void> {
  const orgId = state.org.id;
  const already = 'The workspace already belongs to an organization';
  return commit(
    [
      bumpMeta(orgId, state.version, state.admins.length),
      {
        Update: {
          TableName: tableName,
          Key: workspaceKey(wsId),
          UpdateExpression: 'SET orgId = :org',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(orgId)',
          ExpressionAttributeValues: { ':org': orgId },
        },
      },
      putNew({ ...orgWorkspaceKey(orgId, wsId), entity: 'OrgWorkspace', orgId, workspaceId: wsId }),
      ...state.admins.map((a) => grantPut(orgId, a, wsId)),
      putNew(audit),
    ],
    { 1: already, 2: already },
  );
}

export type RepairChange =
  | { kind: 'writeGrant'; userId: string; addedAt: string; workspaceId: string; audit: Item }
  | { kind: 'deleteGrant'; userId: string; workspaceId: string; audit: Item | undefined }
  | { kind: 'writeHolder'; userId: string }
  | { kind: 'pruneHolder'; userId: string };

function repairItems(orgId: string, change: RepairChange): TransactItem[] {
  switch (change.kind) {
    case 'writeGrant':
      return [grantPut(orgId, change, change.workspaceId), putNew(change.audit)];
    case 'deleteGrant':
      return [grantDelete(change.userId, change.workspaceId), ...(change.audit ? [putNew(change.audit)] : [])];
    case 'writeHolder':
      return [holderPut(orgId, change.userId)];
    case 'pruneHolder':
      return [{ Delete: { TableName: tableName, Key: orgGrantHolderKey(orgId, change.userId) } }];
  }
}

/**
 * Applies a repair computed from `state`, in order, as few transactions as DynamoDB's 100 items allow.
 * The first bumps the version (and sets the true admin count); each later one requires that version
 * still, so a repair never interleaves with another change: the first change to land after it makes
 * the rest fail with `OrgChanged`, and the repair is recomputed from what is there. `committed` hears of
 * every transaction that landed. Holders are pruned last, once their grants are gone.
 */
export async function applyRepair(
  state: OrgState,
  changes: RepairChange[],
  committed: (changes: RepairChange[]) => void,
): Promise<void> {
  const orgId = state.org.id;
  const chunks: RepairChange[][] = [[]];
  let size = 1;
  for (const change of changes) {
    const n = repairItems(orgId, change).length;
    if (size + n > MAX_TRANSACT_ITEMS) {
      chunks.push([]);
      size = 1;
    }
    chunks[chunks.length - 1]?.push(change);
    size += n;
  }
  for (const [index, chunk] of chunks.entries()) {
    const head =
      index === 0 ? bumpMeta(orgId, state.version, state.admins.length) : versionCheck(orgId, state.version + 1);
    await commit([head, ...chunk.flatMap((c) => repairItems(orgId, c))]);
    committed(chunk);
  }
}
