// SCIM tokens (PRODUCT.md §12): a credential of the workspace, not of its maker, carrying a role ceiling
// (`maxRoleId`) the identity provider can give no role above. Made by a `teammates.manage` holder within its own
// no-escalation rule (the one guard), never `owner`. Stored only as a SHA-256 hash; shown once.
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { Access } from '../access';
import type { ChangeRequest } from '../change-request';
import { now } from '../clock';
import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import { getItem, inPartition, putNew, queryAll, type TransactItem, transact } from '../db/ops';
import { pageInMemory } from '../db/pagination';
import { InvalidRequest, NotFound } from '../errors';
import { assertMayAssign, needsApproval } from '../grants/guard';
import { newId } from '../ids';
import { actorOf, auditItem } from '../table/audit/entry';
import { roleReference } from '../table/roles/holders';
import { SCIM_TOKEN_PREFIX, scimTokenLookupKey, scimTokenRecordKey } from '../table/scim/keys';
import { wsPk } from '../table/workspaces/keys';

export const SCIM_TOKEN_PREFIX_TEXT = 'scim_';

export const hashScimToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const ScimTokenRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  maxRoleId: z.string(),
  prefix: z.string(),
  tokenHash: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type ScimTokenRecord = z.output<typeof ScimTokenRecord>;

/** What the SCIM handler reads by the token's hash. */
export const ScimTokenLookup = z.object({ workspaceId: z.string(), tokenId: z.string(), maxRoleId: z.string() });
export type ScimTokenLookup = z.output<typeof ScimTokenLookup>;

const fromItem = itemParser(ScimTokenRecord, 'SCIM token');

const view = (t: ScimTokenRecord) => ({
  id: t.id,
  name: t.name,
  maxRoleId: t.maxRoleId,
  prefix: t.prefix,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
});

const audit = (access: Access, action: string, t: ScimTokenRecord, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'scimToken', id: t.id },
    before,
    after,
  });

async function allTokens(wsId: string): Promise<ScimTokenRecord[]> {
  const items = await queryAll({ ...inPartition(wsPk(wsId), SCIM_TOKEN_PREFIX), ConsistentRead: true });
  return items.map(fromItem);
}

export async function listScimTokens(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const tokens = (await allTokens(access.workspace.id)).sort((a, b) => a.id.localeCompare(b.id)).map(view);
  return pageInMemory(tokens, page, (t) => t.id);
}

export async function createScimToken(
  access: Access,
  input: { name: string; maxRoleId: string },
  options: {
    /** requireApprovalFor: the checked token is handed to this (an access request) instead of being made. */
    toRequest?: (change: ChangeRequest) => Promise<unknown>;
    /** An approved, unused request for this ceiling: the item that uses it (written in the token's transaction). */
    approval?: (roleId: string) => Promise<TransactItem | undefined>;
  } = {},
) {
  if (input.maxRoleId === 'owner') {
    throw new InvalidRequest('A SCIM token cannot give ownership', [
      { path: 'body.maxRoleId', message: 'owner is never a ceiling: pick admin or below' },
    ]);
  }
  // The ceiling is a role the identity provider will give: the maker must be able to give it (no escalation).
  const role = await assertMayAssign(
    access,
    input.maxRoleId,
    'creating a SCIM token with a role ceiling',
    'body.maxRoleId',
  );
  // The token gives its ceiling (and acts with it), as an API key acts with its role: a listed ceiling is a grant
  // needing approval, unless an approved request of this requester for it is used by this token (once).
  let approved: TransactItem | undefined;
  if (options.toRequest && needsApproval(access, role.permissions, input.maxRoleId)) {
    approved = await options.approval?.(input.maxRoleId);
    if (!approved) return { pending: await options.toRequest({ action: 'scimToken.create', body: { ...input } }) };
  }
  const token = `${SCIM_TOKEN_PREFIX_TEXT}${randomBytes(32).toString('base64url')}`;
  const record: ScimTokenRecord = {
    id: newId('scimtok'),
    workspaceId: access.workspace.id,
    name: input.name,
    maxRoleId: input.maxRoleId,
    prefix: token.slice(0, 10),
    tokenHash: hashScimToken(token),
    createdAt: now().toISOString(),
    createdBy: access.memberId,
  };
  await transact(
    [
      putNew({ ...scimTokenRecordKey(record.workspaceId, record.id), entity: 'ScimToken', ...record }),
      putNew({
        ...scimTokenLookupKey(record.tokenHash),
        entity: 'ScimTokenLookup',
        workspaceId: record.workspaceId,
        tokenId: record.id,
        maxRoleId: record.maxRoleId,
      } satisfies ScimTokenLookup & Record<string, unknown>),
      putNew(audit(access, 'scimToken.create', record, null, view(record))),
      // A custom ceiling must still exist, and its deletion decided before this write fails (roles/service).
      ...roleReference(record.workspaceId, record.maxRoleId),
      ...(approved ? [approved] : []),
    ],
    'The SCIM token could not be stored',
  );
  return { ...view(record), token };
}

export async function revokeScimToken(access: Access, tokenId: string): Promise<void> {
  const item = await getItem<Record<string, unknown>>(scimTokenRecordKey(access.workspace.id, tokenId));
  if (!item) throw new NotFound('SCIM token');
  const record = fromItem(item);
  await transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: scimTokenRecordKey(record.workspaceId, record.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      { Delete: { TableName: tableName, Key: scimTokenLookupKey(record.tokenHash) } },
      putNew(audit(access, 'scimToken.revoke', record, view(record), null)),
    ],
    'The SCIM token was revoked meanwhile',
  );
}
