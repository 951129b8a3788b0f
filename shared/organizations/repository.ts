// Organizations own workspaces and have company admins. A company admin's access is fanned out as one
// grant item per workspace, so deciding stays one read; adding or removing an admin or a workspace
// writes or deletes the grants with it.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { workspaceKey } from '../workspaces/keys';
import { companyAdminGrantKey, orgAdminKey, orgKey, orgWorkspaceKey } from './keys';

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

type Item = Record<string, unknown>;
const put = (Item: Item) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } });
const grant = (orgId: string, userId: string, wsId: string) =>
  put({ ...companyAdminGrantKey(userId, wsId), entity: 'CompanyAdminGrant', orgId, userId, workspaceId: wsId });

/** A transaction holds at most 100 items: organizations are capped so every fan-out fits in one. */
export const MAX_ORG_FANOUT = 90;

export async function getOrg(
  orgId: string,
): Promise<{ org: OrgRecord; admins: OrgAdmin[]; workspaceIds: string[] } | undefined> {
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': orgKey(orgId).PK },
        ConsistentRead: true,
      }),
    );
    const items = res.Items ?? [];
    const meta = items.find((i) => i.SK === 'META');
    if (!meta) return undefined;
    return {
      org: { id: meta.id, name: meta.name, createdAt: meta.createdAt } as OrgRecord,
      admins: items
        .filter((i) => String(i.SK).startsWith('ADMIN#'))
        .map((i) => ({ userId: i.userId, email: i.email, addedAt: i.addedAt }) as OrgAdmin),
      workspaceIds: items.filter((i) => String(i.SK).startsWith('WS#')).map((i) => i.workspaceId as string),
    };
  } catch (err) {
    return mapDbError(err);
  }
}

export async function isCompanyAdmin(orgId: string, userId: string): Promise<boolean> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: orgAdminKey(orgId, userId), ConsistentRead: true }),
    );
    return res.Item !== undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

export async function createOrg(org: OrgRecord, admin: OrgAdmin): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          put({ ...orgKey(org.id), entity: 'Organization', ...org }),
          put({ ...orgAdminKey(org.id, admin.userId), entity: 'CompanyAdmin', orgId: org.id, ...admin }),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err);
  }
}

export async function addAdmin(orgId: string, admin: OrgAdmin, workspaceIds: string[]): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          put({ ...orgAdminKey(orgId, admin.userId), entity: 'CompanyAdmin', orgId, ...admin }),
          ...workspaceIds.map((ws) => grant(orgId, admin.userId, ws)),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'Already a company admin, or the organization changed meanwhile');
  }
}

export async function removeAdmin(orgId: string, userId: string, workspaceIds: string[]): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: orgAdminKey(orgId, userId),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          ...workspaceIds.map((ws) => ({ Delete: { TableName: tableName, Key: companyAdminGrantKey(userId, ws) } })),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The organization changed meanwhile');
  }
}

/** The workspace joins the organization (once, and only one organization). */
export async function attachWorkspace(orgId: string, wsId: string, adminUserIds: string[], audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: workspaceKey(wsId),
              UpdateExpression: 'SET orgId = :org',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(orgId)',
              ExpressionAttributeValues: { ':org': orgId },
            },
          },
          put({ ...orgWorkspaceKey(orgId, wsId), entity: 'OrgWorkspace', orgId, workspaceId: wsId }),
          ...adminUserIds.map((u) => grant(orgId, u, wsId)),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The workspace already belongs to an organization');
  }
}
