// The schemas of the invitations Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  Invitation,
  InvitationPage,
  InvitationParams,
  InvitationPreview,
  ListInvitationsQuery,
  PreviewInvitationBody,
} from '../../invitations/schema';
import { AccessRequest } from '../../table/access-requests/request';
import { Member } from '../../table/members/member';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const invitations = {
  listInvitations: { params: WorkspaceIdParams, query: ListInvitationsQuery, status: 200, response: InvitationPage },
  createInvitation: {
    params: WorkspaceIdParams,
    body: CreateInvitationBody,
    status: 201,
    response: z.union([Invitation, AccessRequest]),
    alsoSuccess: {
      200: 'A pending invitation for this email was refreshed (new token, expiry, role, inboxes)',
      202: 'requireApprovalFor: the invitation became a pending access request (the request answers)',
    },
    errors: { 422: 'An invitation rule of the workspace refuses the email (code invite_rule, rule inviteDomains)' },
  },
  revokeInvitation: { params: InvitationParams, status: 204, response: z.null() },
  resendInvitation: {
    params: InvitationParams,
    status: 200,
    response: Invitation,
    errors: { 422: 'An invitation rule of the workspace refuses the email (code invite_rule, rule inviteDomains)' },
  },
  previewInvitation: {
    body: PreviewInvitationBody,
    status: 200,
    response: InvitationPreview,
    errors: {
      404: 'No pending invitation has this token (wrong, replaced by a resend, revoked or already accepted)',
      409: 'The invitation has expired (status expired) or bounced',
    },
  },
  acceptInvitation: {
    body: AcceptInvitationBody,
    status: 200,
    // The workspace joined, so a client can open it.
    response: z.object({ member: Member, workspace: z.object({ id: z.string(), name: z.string() }) }),
    errors: {
      422: 'An invitation rule of the workspace refuses the accept (code invite_rule, rule inviteDomains or requireIdentityProvider)',
    },
  },
} as const satisfies AreaContract<'invitations'>;
