// An API key is two items: the lookup the authorizer reads by the key's SHA-256, and the workspace's
// record of it (listing, revoking). The key itself is never stored.

import { apiKeyItemKey } from '../auth/api-keys';
import { tableName } from '../db/client';
import { getItem, inPartition, putNew, queryAll, transact } from '../db/ops';
import { roleHolderMove, roleHolderUpdate } from '../roles/repository';
import { wsPk } from '../workspaces/keys';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  roleId: string;
  prefix: string;
  keyHash: string;
  createdAt: string;
  createdBy: string;
}

type Item = Record<string, unknown>;
export const APIKEY_PREFIX = 'APIKEY#';
/** The workspace's record of a key (what lists and revokes it; AuthZEN reads it for `api_key` subjects). */
export const apiKeyRecordKey = (wsId: string, keyId: string) => ({ PK: wsPk(wsId), SK: `${APIKEY_PREFIX}${keyId}` });
const recordKey = apiKeyRecordKey;

export function createApiKey(k: ApiKeyRecord, audit: Item): Promise<void> {
  return transact(
    [
      putNew({ ...recordKey(k.workspaceId, k.id), entity: 'ApiKey', ...k }),
      putNew({
        ...apiKeyItemKey(k.keyHash),
        entity: 'ApiKeyLookup',
        workspaceId: k.workspaceId,
        keyId: k.id,
        roleId: k.roleId,
        memberId: `apikey_${k.id}`,
      }),
      // A key's role must exist, and cannot be deleted while the key acts with it.
      ...roleHolderUpdate(k.workspaceId, k.roleId, 'keyCount', 1),
      putNew(audit),
    ],
    'The role was removed meanwhile',
  );
}

export function getApiKey(wsId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
  return getItem<ApiKeyRecord>(recordKey(wsId, keyId));
}

export async function listApiKeys(wsId: string): Promise<ApiKeyRecord[]> {
  return (await queryAll({
    ...inPartition(wsPk(wsId), APIKEY_PREFIX),
    ConsistentRead: true,
  })) as unknown as ApiKeyRecord[];
}

export function deleteApiKey(k: ApiKeyRecord, audit: Item): Promise<void> {
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: recordKey(k.workspaceId, k.id),
          // Still holding the role read: its holder counter moves with it.
          ConditionExpression: 'roleId = :role',
          ExpressionAttributeValues: { ':role': k.roleId },
        },
      },
      { Delete: { TableName: tableName, Key: apiKeyItemKey(k.keyHash) } },
      ...roleHolderUpdate(k.workspaceId, k.roleId, 'keyCount', -1),
      putNew(audit),
    ],
    'The key was revoked meanwhile',
  );
}

export async function apiKeysWithRole(wsId: string, roleId: string): Promise<ApiKeyRecord[]> {
  return (await listApiKeys(wsId)).filter((k) => k.roleId === roleId);
}

/** A key moves to another role: its record and the lookup the authorizer reads change together. */
export function changeApiKeyRole(k: ApiKeyRecord, toRoleId: string, audit: Item): Promise<void> {
  return transact(
    [
      {
        Update: {
          TableName: tableName,
          Key: recordKey(k.workspaceId, k.id),
          UpdateExpression: 'SET roleId = :to',
          ConditionExpression: 'roleId = :from',
          ExpressionAttributeValues: { ':to': toRoleId, ':from': k.roleId },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: apiKeyItemKey(k.keyHash),
          UpdateExpression: 'SET roleId = :to',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':to': toRoleId },
        },
      },
      ...roleHolderMove(k.workspaceId, k.roleId, toRoleId, 'keyCount'),
      putNew(audit),
    ],
    'The key changed or was revoked meanwhile; reload and retry',
  );
}
