// Who a SCIM request acts as: the workspace's SCIM token (`Authorization: Bearer scim_…`), read by its SHA-256
// in one BatchGetItem with the workspace item and the plan catalog. The token is a credential of the workspace,
// not of its maker: it acts with its role ceiling's permissions (the guard bounds every role it gives by them),
// as `scimtoken_<id>`, audited with source `scim` and the token id. A token of another workspace, a revoked one,
// or none at all: the same 401.
import * as z from 'zod/mini';
import type { Access } from '../access';
import { parseItem } from '../db/items';
import { batchGetAll } from '../db/ops';
import { rolePermissions } from '../grants/guard';
import { type Plan, type PlanCatalog, planById } from '../permissions/plans';
import { planCatalogKey } from '../table/plans/keys';
import { scimTokenLookupKey } from '../table/scim/keys';
import { workspaceKey } from '../table/workspaces/keys';
import { WorkspaceRecord } from '../table/workspaces/record';
import { ScimError } from './errors';
import { hashScimToken, SCIM_TOKEN_PREFIX_TEXT, ScimTokenLookup } from './tokens';

const unauthorized = () =>
  new ScimError(401, 'Missing or invalid SCIM token', undefined, { 'WWW-Authenticate': 'Bearer realm="SCIM"' });

const BearerToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{10,200}$/));

export function bearerOf(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  let value: string | undefined;
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === 'authorization') value = v;
  const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return m?.[1];
}

export async function scimAccess(
  headers: Record<string, string | undefined> | null | undefined,
  wsId: string,
): Promise<Access> {
  const token = bearerOf(headers);
  if (!token || !token.startsWith(SCIM_TOKEN_PREFIX_TEXT) || !z.safeParse(BearerToken, token).success) {
    throw unauthorized();
  }
  const lookupKey = scimTokenLookupKey(hashScimToken(token));
  const items = await batchGetAll([lookupKey, workspaceKey(wsId), planCatalogKey()], true);
  const find = (k: { PK: string; SK: string }) => items.find((i) => i.PK === k.PK && i.SK === k.SK);
  const lookupItem = find(lookupKey);
  const wsItem = find(workspaceKey(wsId));
  if (!lookupItem || !wsItem) throw unauthorized();
  const lookup = parseItem(ScimTokenLookup, lookupItem, 'SCIM token lookup');
  if (lookup.workspaceId !== wsId) throw unauthorized();
  const workspace = parseItem(WorkspaceRecord, wsItem, 'Workspace');
  const plan: Plan = planById(find(planCatalogKey()) as PlanCatalog | undefined, workspace.planId) ?? {
    id: workspace.planId,
    name: workspace.planId,
    features: [],
    limits: { customRoles: 0, seats: 0 },
  };
  if (!plan.features.includes('scim')) {
    throw new ScimError(403, `The ${plan.id} plan does not include SCIM provisioning`);
  }
  return {
    workspace,
    memberId: `scimtoken_${lookup.tokenId}`,
    roleId: lookup.maxRoleId,
    userId: null,
    email: null,
    // The ceiling's permissions: a role the guard lets this access give is within the ceiling. A custom ceiling
    // deleted since gives nothing (fail closed).
    permissions: await rolePermissions(workspace, lookup.maxRoleId),
    plan,
    source: 'scim',
    scimTokenId: lookup.tokenId,
    // A credential of the workspace: no person behind it (never "oneself" for the guard).
    actor: { credential: 'scim', userId: null, memberId: null },
    companyAdmin: false,
  };
}
