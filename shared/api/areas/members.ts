// The schemas of the members Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  AccessRequest,
  AccessRequestPage,
  AccessRequestParams,
  CreateAccessRequestBody,
  ListAccessRequestsQuery,
} from '../../access-requests/schema';
import { SetInboxesBody } from '../../inboxes/schema';
import {
  CreateGrantBody,
  Grant,
  GrantParams,
  ListMembersQuery,
  Member,
  MemberPage,
  MemberParams,
  TransferOwnershipBody,
  UpdateMemberBody,
} from '../../members/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const members = {
  listMembers: { params: WorkspaceIdParams, query: ListMembersQuery, status: 200, response: MemberPage },
  getMember: { params: MemberParams, status: 200, response: Member },
  updateMember: {
    params: MemberParams,
    body: UpdateMemberBody,
    status: 200,
    response: z.union([Member, AccessRequest]),
    alsoSuccess: { 202: 'requireApprovalFor: the role change became a pending access request (the request answers)' },
  },
  removeMember: { params: MemberParams, status: 204, response: z.null() },
  deactivateMember: { params: MemberParams, status: 200, response: Member },
  reactivateMember: { params: MemberParams, status: 200, response: Member },
  createMemberGrant: {
    params: MemberParams,
    body: CreateGrantBody,
    status: 201,
    response: z.union([Grant, AccessRequest]),
    alsoSuccess: { 202: 'requireApprovalFor: the grant became a pending access request (the request answers)' },
  },
  listAccessRequests: {
    params: WorkspaceIdParams,
    query: ListAccessRequestsQuery,
    status: 200,
    response: AccessRequestPage,
  },
  createAccessRequest: {
    params: WorkspaceIdParams,
    body: CreateAccessRequestBody,
    status: 201,
    response: AccessRequest,
  },
  approveAccessRequest: { params: AccessRequestParams, status: 200, response: AccessRequest },
  denyAccessRequest: { params: AccessRequestParams, status: 200, response: AccessRequest },
  deleteMemberGrant: { params: GrantParams, status: 204, response: z.null() },
  transferOwnership: {
    params: WorkspaceIdParams,
    body: TransferOwnershipBody,
    status: 200,
    response: z.object({ owner: Member, previousOwner: Member }),
  },
  setMemberInboxes: { params: MemberParams, body: SetInboxesBody, status: 200, response: Member },
} as const satisfies AreaContract<'members'>;
