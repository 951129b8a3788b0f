// The schemas of the roles Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { CreateRoleBody, DeleteRoleQuery, Role, RoleList, RoleParams, UpdateRoleBody } from '../../roles/schema';
import { AccessRequest } from '../../table/access-requests/request';
import { ListQuery } from '../list-query';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const roles = {
  listRoles: { params: WorkspaceIdParams, query: ListQuery, status: 200, response: RoleList },
  createRole: { params: WorkspaceIdParams, body: CreateRoleBody, status: 201, response: Role },
  getRole: { params: RoleParams, status: 200, response: Role },
  updateRole: {
    params: RoleParams,
    body: UpdateRoleBody,
    status: 200,
    response: z.union([Role, AccessRequest]),
    alsoSuccess: {
      202: 'requireApprovalFor: the edit grants and became a pending access request (the request answers)',
    },
  },
  deleteRole: {
    params: RoleParams,
    query: DeleteRoleQuery,
    status: 204,
    response: z.union([z.null(), AccessRequest]),
    alsoSuccess: {
      202: "requireApprovalFor: moving the role's holders grants and became a pending access request (the request answers)",
    },
  },
} as const satisfies AreaContract<'roles'>;
