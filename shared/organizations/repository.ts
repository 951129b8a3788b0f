// Organizations own workspaces and have company admins. A company admin's access is fanned out as one
// grant item per workspace, so deciding stays one read; adding or removing an admin or a workspace
// writes or deletes the grants with it.
import { tableName } from '../db/client';
import { putNew, queryAll, transact } from '../db/ops';
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
const grant = (orgId: string, userId: string, wsId: string) =>
  putNew({ ...companyAdminGrantKey(userId, wsId), entity: 'CompanyAdminGrant', orgId, userId, workspaceId: wsId });

/** A transaction holds at most 100 items: organizations are capped so every fan-out fits in one. */
export const MAX_ORG_FANOUT = 90;

export async function getOrg(
  orgId: string,
): Promise<{ org: OrgRecord; admins: OrgAdmin[]; workspaceIds: string[] } | undefined> {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': orgKey(orgId).PK },
    ConsistentRead: true,
  });
  const meta = items.find((i) => i.SK === 'META');
  if (!meta) return undefined;
  return {
    org: { id: meta.id, name: meta.name, createdAt: meta.createdAt } as OrgRecord,
    admins: items
      .filter((i) => String(i.SK).startsWith('ADMIN#'))
      .map((i) => ({ userId: i.userId, email: i.email, addedAt: i.addedAt }) as OrgAdmin),
    workspaceIds: items.filter((i) => String(i.SK).startsWith('WS#')).map((i) => i.workspaceId as string),
  };
}

const adminItem = (orgId: string, admin: OrgAdmin) =>
  putNew({ ...orgAdminKey(orgId, admin.userId), entity: 'CompanyAdmin', orgId, ...admin });

export function createOrg(org: OrgRecord, admin: OrgAdmin): Promise<void> {
  return transact([putNew({ ...orgKey(org.id), entity: 'Organization', ...org }), adminItem(org.id, admin)]);
}

export function addAdmin(orgId: string, admin: OrgAdmin, workspaceIds: string[]): Promise<void> {
  return transact(
    [adminItem(orgId, admin), ...workspaceIds.map((ws) => grant(orgId, admin.userId, ws))],
    'Already a company admin, or the organization changed meanwhile',
  );
}

export function removeAdmin(orgId: string, userId: string, workspaceIds: string[]): Promise<void> {
  return transact(
    [
      {
        Delete: { TableName: tableName, Key: orgAdminKey(orgId, userId), ConditionExpression: 'attribute_exists(PK)' },
      },
      ...workspaceIds.map((ws) => ({ Delete: { TableName: tableName, Key: companyAdminGrantKey(userId, ws) } })),
    ],
    'The organization changed meanwhile',
  );
}

/** The workspace joins the organization (once, and only one organization). */
export function attachWorkspace(orgId: string, wsId: string, adminUserIds: string[], audit: Item): Promise<void> {
  return transact(
    [
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
      ...adminUserIds.map((u) => grant(orgId, u, wsId)),
      putNew(audit),
    ],
    'The workspace already belongs to an organization',
  );
}
