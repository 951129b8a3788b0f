// An API key's two items (keys.ts, record.ts) are written, moved and deleted together here.

import { keyOwnerOf } from '../auth/key-standing';
import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import { getItem, inPartition, putNew, queryAll, type TransactItem, transact } from '../db/ops';
import { APIKEY_PREFIX, apiKeyItemKey, apiKeyRecordKey } from '../table/api-keys/keys';
import { type ApiKeyLookup, ApiKeyRecord, COMPANY_ADMIN_OWNER_PREFIX } from '../table/api-keys/record';
import { memberKey } from '../table/members/keys';
import { roleHolderMove, roleHolderUpdate } from '../table/roles/holders';
import { wsPk } from '../table/workspaces/keys';

const fromItem = itemParser(ApiKeyRecord, 'API key');

type Item = Record<string, unknown>;
export function createApiKey(k: ApiKeyRecord, audit: Item, also: TransactItem[] = []): Promise<void> {
  return transact(
    [
      ...also,
      putNew({ ...apiKeyRecordKey(k.workspaceId, k.id), entity: 'ApiKey', ...k }),
      putNew({
        ...apiKeyItemKey(k.keyHash),
        entity: 'ApiKeyLookup',
        workspaceId: k.workspaceId,
        keyId: k.id,
        roleId: k.roleId,
        memberId: `apikey_${k.id}`,
        ...(k.ownerMemberId ? { ownerMemberId: k.ownerMemberId } : {}),
        ...(k.ownerAdminSince ? { ownerAdminSince: k.ownerAdminSince } : {}),
      } satisfies ApiKeyLookup & Record<string, unknown>),
      // Its member must still be active, and a deactivation that read the member's keys before this one
      // landed fails on the counter moving (see members/repository deactivateMember).
      ...(k.ownerMemberId && !k.ownerMemberId.startsWith(COMPANY_ADMIN_OWNER_PREFIX)
        ? [
            {
              Update: {
                TableName: tableName,
                Key: memberKey(k.workspaceId, k.ownerMemberId),
                UpdateExpression: 'ADD keysCreated :one',
                ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#st) OR #st <> :deactivated)',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':deactivated': 'deactivated' },
              },
            },
          ]
        : []),
      // A key's role must exist, and cannot be deleted while the key acts with it.
      ...roleHolderUpdate(k.workspaceId, k.roleId, 'keyCount', 1),
      putNew(audit),
    ],
    'The role was removed meanwhile, the member the key answers to was deactivated, or its approval was used',
  );
}

export async function getApiKey(wsId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
  const item = await getItem<Item>(apiKeyRecordKey(wsId, keyId));
  return item ? fromItem(item) : undefined;
}

export async function listApiKeys(wsId: string): Promise<ApiKeyRecord[]> {
  const items = await queryAll({ ...inPartition(wsPk(wsId), APIKEY_PREFIX), ConsistentRead: true });
  return items.map(fromItem);
}

export function deleteApiKey(k: ApiKeyRecord, audit: Item): Promise<void> {
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: apiKeyRecordKey(k.workspaceId, k.id),
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
          Key: apiKeyRecordKey(k.workspaceId, k.id),
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

/**
 * The member a new key answers to, from who creates it (a member, one of their keys, or a company admin). A
 * company admin's keys answer to `cadmin_<userId>` (even one who is also a member: the key's role was granted
 * by the admin's standing), and work only while that user holds the grant (see the access loader).
 */
export async function ownerOfCreator(
  wsId: string,
  creatorMemberId: string,
  companyAdmin: { userId: string; since: string | undefined } | undefined,
): Promise<Pick<ApiKeyRecord, 'ownerMemberId' | 'ownerAdminSince'>> {
  if (companyAdmin)
    return {
      ownerMemberId: `${COMPANY_ADMIN_OWNER_PREFIX}${companyAdmin.userId}`,
      ...(companyAdmin.since ? { ownerAdminSince: companyAdmin.since } : {}),
    };
  if (!creatorMemberId.startsWith('apikey_')) return { ownerMemberId: creatorMemberId };
  const creator = await getApiKey(wsId, creatorMemberId.slice('apikey_'.length));
  const owner = creator ? keyOwner(creator) : undefined;
  if (!owner) return {};
  return { ownerMemberId: owner, ...(creator?.ownerAdminSince ? { ownerAdminSince: creator.ownerAdminSince } : {}) };
}

/** Whom a stored key answers to (keys made before owners were recorded: their member creator): `keyOwnerOf`. */
export const keyOwner = (k: ApiKeyRecord): string | undefined => keyOwnerOf(k);
