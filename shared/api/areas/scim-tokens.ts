// The schemas of the scim-tokens Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { CreatedScimToken, CreateScimTokenBody, ScimTokenList, ScimTokenParams } from '../../scim/token-schema';
import { AccessRequest } from '../../table/access-requests/request';
import { ListQuery } from '../list-query';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const scimTokens = {
  listScimTokens: { params: WorkspaceIdParams, query: ListQuery, status: 200, response: ScimTokenList },
  createScimToken: {
    params: WorkspaceIdParams,
    body: CreateScimTokenBody,
    status: 201,
    response: z.union([CreatedScimToken, AccessRequest]),
    alsoSuccess: {
      202: "requireApprovalFor: the token's ceiling needs approval; a pending access request answers (once approved, the requester creates the token)",
    },
  },
  revokeScimToken: { params: ScimTokenParams, status: 204, response: z.null() },
} as const satisfies AreaContract<'scim-tokens'>;
