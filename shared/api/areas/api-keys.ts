// The schemas of the api-keys Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { ApiKeyList, ApiKeyParams, CreateApiKeyBody, CreatedApiKey } from '../../api-keys/schema';
import { AccessRequest } from '../../table/access-requests/request';
import { ListQuery } from '../list-query';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const apiKeys = {
  listApiKeys: { params: WorkspaceIdParams, query: ListQuery, status: 200, response: ApiKeyList },
  createApiKey: {
    params: WorkspaceIdParams,
    body: CreateApiKeyBody,
    status: 201,
    response: z.union([CreatedApiKey, AccessRequest]),
    alsoSuccess: {
      202: "requireApprovalFor: the key's role needs approval; a pending access request answers (once approved, the requester creates the key)",
    },
  },
  revokeApiKey: { params: ApiKeyParams, status: 204, response: z.null() },
} as const satisfies AreaContract<'api-keys'>;
