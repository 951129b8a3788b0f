// What a decision needs about a caller in a workspace, read in ONE DynamoDB round trip (BatchGetItem):
// the workspace item (plan id, settings, custom roles), the caller's membership (or API key) and the
// plan catalog. Both the authorizer (cache miss) and handlers' write re-checks (consistent) use it.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import type { MembershipRecord } from '../members/items';
import { membershipKey } from '../members/keys';
import { companyAdminGrantKey } from '../organizations/keys';
import type { PermissionSet } from '../permissions/catalog';
import { builtinPermissions, isBuiltinRoleId } from '../permissions/roles';
import { planCatalogKey } from '../plans/keys';
import type { Plan, PlanCatalog } from '../plans/plans';
import { workspaceKey } from '../workspaces/keys';
import type { WorkspaceRecord } from '../workspaces/repository';
import { apiKeyItemKey } from './api-keys';

/** The role id a company admin without a membership acts under (not a role anyone can be given). */
export const COMPANY_ADMIN_ROLE = 'companyAdmin';

export type Principal = { type: 'user'; userId: string } | { type: 'apiKey'; keyHash: string };

export interface Access {
  workspace: WorkspaceRecord;
  memberId: string;
  roleId: string;
  userId: string | null;
  email: string | null;
  permissions: PermissionSet;
  plan: Plan;
  source: 'app' | 'apiKey';
  /** A company admin of the workspace's organization: full access, exempt from custom roles. */
  companyAdmin: boolean;
}

interface ApiKeyRecord {
  workspaceId: string;
  keyId: string;
  roleId: string;
  memberId: string;
  revoked?: boolean;
}

/** `undefined` when the caller has no standing in the workspace, or it does not exist: the two look alike. */
export async function loadAccess(wsId: string, principal: Principal, consistent = false): Promise<Access | undefined> {
  const wsKey = workspaceKey(wsId);
  const principalKey =
    principal.type === 'user' ? membershipKey(principal.userId, wsId) : apiKeyItemKey(principal.keyHash);
  const grantKey = principal.type === 'user' ? companyAdminGrantKey(principal.userId, wsId) : undefined;
  let items: Record<string, unknown>[];
  try {
    const res = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: [wsKey, principalKey, planCatalogKey(), ...(grantKey ? [grantKey] : [])],
            ConsistentRead: consistent,
          },
        },
      }),
    );
    if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) {
      // Partial answers happen under throttling: treat as unavailable rather than decide on half the facts.
      return mapDbError({ name: 'ThrottlingException' });
    }
    items = (res.Responses?.[tableName] ?? []) as Record<string, unknown>[];
  } catch (err) {
    return mapDbError(err);
  }
  const find = (k: { PK: string; SK: string }) => items.find((i) => i.PK === k.PK && i.SK === k.SK);
  const workspace = find(wsKey) as WorkspaceRecord | undefined;
  const who = find(principalKey);
  const catalog = find(planCatalogKey()) as PlanCatalog | undefined;
  const grant = grantKey ? find(grantKey) : undefined;
  // A grant counts only for the organization the workspace belongs to now.
  const companyAdmin = grant !== undefined && workspace !== undefined && grant.orgId === workspace.orgId;
  if (!workspace || (!who && !companyAdmin)) return undefined;

  let memberId: string;
  let roleId: string;
  let userId: string | null = null;
  let email: string | null = null;
  if (principal.type === 'user') {
    if (who) {
      const m = who as unknown as MembershipRecord;
      ({ memberId, roleId, userId, email } = m);
    } else {
      memberId = `cadmin_${principal.userId}`;
      roleId = COMPANY_ADMIN_ROLE;
      userId = principal.userId;
    }
  } else {
    const k = who as unknown as ApiKeyRecord;
    if (k.workspaceId !== wsId || k.revoked) return undefined;
    ({ memberId, roleId } = k);
  }
  const plan = catalog?.plans[workspace.planId];
  // Fail closed: a workspace whose plan cannot be found gets no features and no limits beyond zero.
  const effectivePlan: Plan = plan ?? {
    id: workspace.planId,
    name: workspace.planId,
    features: [],
    limits: { customRoles: 0, seats: 0 },
  };
  return {
    workspace,
    memberId,
    roleId,
    userId,
    email,
    permissions: companyAdmin ? builtinPermissions('owner', workspace.settings) : rolePermissions(roleId, workspace),
    plan: effectivePlan,
    source: principal.type === 'user' ? 'app' : 'apiKey',
    companyAdmin,
  };
}

/** A role's effective permissions in a workspace; an unknown role holds nothing (fail closed). */
export function rolePermissions(roleId: string, workspace: WorkspaceRecord): PermissionSet {
  if (isBuiltinRoleId(roleId)) return builtinPermissions(roleId, workspace.settings);
  return workspace.customRoles?.[roleId] ?? {};
}
