import { randomBytes } from 'node:crypto';
import { actorOf, auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { API_KEY_PREFIX, hashApiKey } from '../auth/api-keys';
import { pageInMemory } from '../db/pagination';
import { NotFound } from '../errors';
import { assertMayAssign } from '../grants/guard';
import { newId } from '../ids';
import type { ApiKeyRecord } from './record';
import * as repo from './repository';
import type { ApiKey } from './schema';

const view = (k: ApiKeyRecord): ApiKey => ({
  id: k.id,
  name: k.name,
  roleId: k.roleId,
  prefix: k.prefix,
  createdAt: k.createdAt,
  createdBy: k.createdBy,
  ...(k.suspended ? { suspended: true } : {}),
});

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
  return pageInMemory(keys.sort((a, b) => a.id.localeCompare(b.id)).map(view), page, (k) => k.id);
}

/** A key acts as a member with its role: creating one is granting that role (no escalation). */
export async function createApiKey(access: Access, input: { name: string; roleId: string }) {
  await assertMayAssign(access, input.roleId, 'creating an API key with a role', 'body.roleId');
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
  const owner = await repo.ownerOfCreator(access.workspace.id, access.memberId, access.companyAdmin);
  if (owner) record.ownerMemberId = owner;
  await repo.createApiKey(record, audit(access, 'apiKey.create', record, null, view(record)));
  return { ...view(record), key };
}

export async function revokeApiKey(access: Access, keyId: string): Promise<void> {
  const record = await repo.getApiKey(access.workspace.id, keyId);
  if (!record) throw new NotFound('API key');
  await repo.deleteApiKey(record, audit(access, 'apiKey.revoke', record, view(record), null));
}
