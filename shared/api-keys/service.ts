import { randomBytes } from 'node:crypto';
import type { Access } from '../access';
import { API_KEY_PREFIX, hashApiKey } from '../auth/api-keys';
import type { ChangeRequest } from '../change-request';
import type { TransactItem } from '../db/ops';
import { batchGetAll } from '../db/ops';
import { pageInMemory } from '../db/pagination';
import { NotFound } from '../errors';
import { assertMayAssign, needsApproval } from '../grants/guard';
import { newId } from '../ids';
import { type ApiKeyRecord, COMPANY_ADMIN_OWNER_PREFIX } from '../table/api-keys/record';
import { actorOf, auditItem } from '../table/audit/entry';
import { companyAdminGrantKey } from '../table/organizations/keys';
import * as repo from './repository';
import type { ApiKey } from './schema';

const view = (k: ApiKeyRecord, ownerNotAdmin = false): ApiKey => ({
  id: k.id,
  name: k.name,
  roleId: k.roleId,
  prefix: k.prefix,
  createdAt: k.createdAt,
  createdBy: k.createdBy,
  ...(k.suspended ? { suspended: true, suspendedReason: 'member deactivated' as const } : {}),
  // Not stored: the authorizer decides it from the grant on each request, so the list reads the same grants.
  ...(ownerNotAdmin && !k.suspended
    ? { suspended: true, suspendedReason: 'owner no longer a company admin' as const }
    : {}),
});

/** The company admin (user id) a key answers to, if a company admin made it. */
const adminOwnerOf = (k: ApiKeyRecord): string | undefined =>
  k.ownerMemberId?.startsWith(COMPANY_ADMIN_OWNER_PREFIX)
    ? k.ownerMemberId.slice(COMPANY_ADMIN_OWNER_PREFIX.length)
    : undefined;

/**
 * Ids of company admins' keys the authorizer refuses: their owner no longer holds this workspace's grant of its
 * organization, or holds one of a later tenure (`adminSince`). One consistent batch of the owners' grants.
 */
async function keysOfFormerAdmins(access: Access, keys: readonly ApiKeyRecord[]): Promise<Set<string>> {
  const owners = [...new Set(keys.flatMap((k) => adminOwnerOf(k) ?? []))];
  if (owners.length === 0) return new Set();
  const grants = await batchGetAll(
    owners.map((u) => companyAdminGrantKey(u, access.workspace.id)),
    true,
  );
  const since = new Map(
    grants.filter((g) => g.orgId === access.workspace.orgId).map((g) => [g.userId as string, g.adminSince]),
  );
  return new Set(
    keys
      .filter((k) => {
        const owner = adminOwnerOf(k);
        return owner !== undefined && !(since.has(owner) && since.get(owner) === k.ownerAdminSince);
      })
      .map((k) => k.id),
  );
}

const audit = (access: Access, action: string, k: ApiKeyRecord, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'apiKey', id: k.id },
    before,
    after,
  });

export async function listApiKeys(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const keys = await repo.listApiKeys(access.workspace.id);
  const gone = await keysOfFormerAdmins(access, keys);
  const shown = keys.sort((a, b) => a.id.localeCompare(b.id)).map((k) => view(k, gone.has(k.id)));
  return pageInMemory(shown, page, (k) => k.id);
}

/** A key acts as a member with its role: creating one is granting that role (no escalation). */
export async function createApiKey(
  access: Access,
  input: { name: string; roleId: string },
  options: {
    /** requireApprovalFor: the checked key is handed to this (an access request) instead of being made. */
    toRequest?: (change: ChangeRequest) => Promise<unknown>;
    /** An approved, unused request for this role: the item that uses it (written in the key's transaction). */
    approval?: (roleId: string) => Promise<TransactItem | undefined>;
  } = {},
) {
  const role = await assertMayAssign(access, input.roleId, 'creating an API key with a role', 'body.roleId');
  // A key acts with its role: giving it a listed role or permission is a grant needing approval, unless an
  // approved request of this requester for this role is used by this key (once).
  let approved: TransactItem | undefined;
  if (options.toRequest && needsApproval(access, role.permissions, input.roleId)) {
    approved = await options.approval?.(input.roleId);
    if (!approved) return { pending: await options.toRequest({ action: 'apiKey.create', body: { ...input } }) };
  }
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id: newId('key'),
    workspaceId: access.workspace.id,
    name: input.name,
    roleId: input.roleId,
    prefix: key.slice(0, 10),
    keyHash: hashApiKey(key),
    createdAt: new Date().toISOString(),
    createdBy: access.memberId,
  };
  Object.assign(
    record,
    await repo.ownerOfCreator(
      access.workspace.id,
      access.memberId,
      access.companyAdmin && access.userId ? { userId: access.userId, since: access.companyAdminSince } : undefined,
    ),
  );
  await repo.createApiKey(
    record,
    audit(access, 'apiKey.create', record, null, view(record)),
    approved ? [approved] : [],
  );
  return { ...view(record), key };
}

export async function revokeApiKey(access: Access, keyId: string): Promise<void> {
  const record = await repo.getApiKey(access.workspace.id, keyId);
  if (!record) throw new NotFound('API key');
  await repo.deleteApiKey(record, audit(access, 'apiKey.revoke', record, view(record), null));
}
