// The request and response schemas of every route, by route id. Joined with shared/routes.ts, it gives
// handlers their validation and types, and the OpenAPI document its content. `satisfies` makes a route
// without a contract a compile error.
import * as z from 'zod';
import {
  AccessRequest,
  AccessRequestPage,
  AccessRequestParams,
  CreateAccessRequestBody,
  ListAccessRequestsQuery,
} from '../access-requests/schema';
import {
  AccessReviewPage,
  AccessReviewQuery,
  MemberRoleSimulation,
  RoleSimulation,
  SimulateMemberParams,
  SimulateMemberRoleBody,
  SimulateRoleParams,
} from '../access-review/schema';
import { Analytics, AnalyticsQuery } from '../analytics/schema';
import { ApiKeyList, ApiKeyParams, CreateApiKeyBody, CreatedApiKey } from '../api-keys/schema';
import { AuditExportQuery, AuditPage, AuditQuery } from '../audit/schema';
import { AuthzCheckBody, AuthzCheckResponse } from '../authz/schema';
import {
  ActionSearchRequest,
  ActionSearchResponse,
  Decision as AuthzenDecision,
  DiscoveryParams,
  EntitySearchResponse,
  EvaluationRequest,
  EvaluationsRequest,
  EvaluationsResponse,
  PdpMetadata,
  ResourceSearchRequest,
  SubjectSearchRequest,
} from '../authzen/schema';
import { BillingPeriod, BillingPeriodParams, LedgerPage, LedgerQuery, Seats } from '../billing/schema';
import {
  Attributes,
  AttributesBody,
  OptOuts,
  OptOutsBody,
  RestrictedWords,
  RestrictedWordsBody,
} from '../contacts/list-schema';
import {
  Contact,
  ContactPage,
  ContactParams,
  CreateContactBody,
  ListContactsQuery,
  UpdateContactBody,
} from '../contacts/schema';
import {
  AssignBody,
  AssignedConversationsQuery,
  Conversation,
  ConversationPage,
  ConversationParams,
  CreateConversationBody,
  InboxConversationsParams,
  ListConversationsQuery,
  Message,
  MessagePage,
  MessageParams,
  MoveBody,
  ScheduleBody,
  ScheduledMessage,
  ScheduledMessagePage,
  ScheduledMessageParams,
  SendBody,
} from '../conversations/schema';
import { PageQuery } from '../db/pagination';
import {
  CreateInboxBody,
  Inbox,
  InboxList,
  InboxParams,
  ListInboxesQuery,
  SetInboxesBody,
  UpdateInboxBody,
} from '../inboxes/schema';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  Invitation,
  InvitationPage,
  InvitationParams,
  InvitationPreview,
  ListInvitationsQuery,
  PreviewInvitationBody,
} from '../invitations/schema';
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
} from '../members/schema';
import {
  AddCompanyAdminBody,
  CreateOrganizationBody,
  OrgAdminParams,
  Organization,
  OrganizationRepair,
  OrgParams,
  OrgWorkspaceParams,
} from '../organizations/schema';
import { PermissionCatalogResponse, PermissionMap } from '../permissions/schema';
import { ChangePlanBody, PlanView } from '../plans/schema';
import { CreateRoleBody, DeleteRoleQuery, Role, RoleList, RoleParams, UpdateRoleBody } from '../roles/schema';
import type { RouteId } from '../routes';
import {
  CreatedScimToken,
  CreateScimTokenBody,
  ScimBody,
  ScimGroupParams,
  ScimListQuery,
  ScimTokenList,
  ScimTokenParams,
  ScimUserParams,
  ScimWsParams,
} from '../scim/schema';
import {
  ConversationTags,
  ConversationTagsParams,
  CreateTagBody,
  ListTagsQuery,
  SetConversationTagsBody,
  Tag,
  TagPage,
  TagParams,
  UpdateTagBody,
} from '../tags/schema';
import { CreateTeamBody, ListTeamsQuery, Team, TeamPage, TeamParams, UpdateTeamBody } from '../teams/schema';
import {
  CreateWorkspaceBody,
  OwnWorkspacePage,
  UpdateWorkspaceBody,
  Workspace,
  WorkspaceIdParams,
} from '../workspaces/schema';

export interface OperationContract {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  status: number;
  response: z.ZodType;
  /** Other success statuses answering the same schema, with what they mean (a refreshed invitation is 200). */
  alsoSuccess?: Readonly<Record<number, string>>;
  /** Error statuses beyond the ones every route may answer (shared/api/openapi.ts), with what they mean. */
  errors?: Readonly<Record<number, string>>;
}

/** `?limit=&cursor=` on every list (API.md). */
const ListQuery = PageQuery.strict();

export const RoleSummary = Role.pick({ id: true, name: true, description: true, kind: true, permissions: true }).meta({
  id: 'RoleSummary',
});

/** A time-bound role in force: `roleId` until `until`, then `previousRoleId`. */
export const RoleGrant = z
  .object({ roleId: z.string(), until: z.iso.datetime(), previousRoleId: z.string() })
  .meta({ id: 'RoleGrant' });
export const MeResponse = z
  .object({
    member: Member,
    role: RoleSummary,
    permissions: PermissionMap,
    plan: PlanView,
    /** Extra grants in force now and when each ends (already counted in `permissions`). */
    grants: z.array(Grant.pick({ id: true, permissions: true, until: true, reason: true })),
    roleGrant: RoleGrant.nullable(),
  })
  .meta({ id: 'Me' });

export const contract = {
  getOpenApi: { status: 200, response: z.record(z.string(), z.unknown()) },
  listPermissions: { status: 200, response: PermissionCatalogResponse },
  listOwnWorkspaces: { query: ListQuery, status: 200, response: OwnWorkspacePage },
  createWorkspace: {
    body: CreateWorkspaceBody,
    status: 201,
    response: z.object({ workspace: Workspace, member: Member }),
  },
  getWorkspace: { params: WorkspaceIdParams, status: 200, response: Workspace },
  updateWorkspace: {
    params: WorkspaceIdParams,
    body: UpdateWorkspaceBody,
    status: 200,
    response: z.union([Workspace, AccessRequest]),
    alsoSuccess: {
      202: 'requireApprovalFor: a setting that grants became a pending access request (the request answers)',
    },
  },
  getMe: { params: WorkspaceIdParams, status: 200, response: MeResponse },
  changePlan: {
    params: WorkspaceIdParams,
    body: ChangePlanBody,
    status: 200,
    response: z.union([z.object({ workspace: Workspace, removedRoles: z.array(z.string()) }), AccessRequest]),
    alsoSuccess: {
      202: 'requireApprovalFor: a downgrade moving holders of surplus roles to member, which the list names, became a pending access request (the request answers)',
    },
  },
  checkAuthz: { params: WorkspaceIdParams, body: AuthzCheckBody, status: 200, response: AuthzCheckResponse },
  authzenEvaluation: { params: WorkspaceIdParams, body: EvaluationRequest, status: 200, response: AuthzenDecision },
  authzenEvaluations: {
    params: WorkspaceIdParams,
    body: EvaluationsRequest,
    status: 200,
    response: EvaluationsResponse,
  },
  authzenSearchSubject: {
    params: WorkspaceIdParams,
    body: SubjectSearchRequest,
    status: 200,
    response: EntitySearchResponse,
  },
  authzenSearchResource: {
    params: WorkspaceIdParams,
    body: ResourceSearchRequest,
    status: 200,
    response: EntitySearchResponse,
  },
  authzenSearchAction: {
    params: WorkspaceIdParams,
    body: ActionSearchRequest,
    status: 200,
    response: ActionSearchResponse,
  },
  authzenConfiguration: { params: DiscoveryParams, status: 200, response: PdpMetadata },
  simulateRoleEdit: { params: SimulateRoleParams, body: UpdateRoleBody, status: 200, response: RoleSimulation },
  simulateMemberRole: {
    params: SimulateMemberParams,
    body: SimulateMemberRoleBody,
    status: 200,
    response: MemberRoleSimulation,
  },
  getAccessReview: {
    params: WorkspaceIdParams,
    query: AccessReviewQuery,
    status: 200,
    response: z.union([AccessReviewPage, z.string().describe('?format=csv: text/csv, formula-safe cells')]),
  },
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
  getBillingSeats: { params: WorkspaceIdParams, status: 200, response: Seats },
  getBillingPeriod: { params: BillingPeriodParams, status: 200, response: BillingPeriod },
  listBillingLedger: { params: WorkspaceIdParams, query: LedgerQuery, status: 200, response: LedgerPage },
  listAuditLog: { params: WorkspaceIdParams, query: AuditQuery, status: 200, response: AuditPage },
  exportAuditLog: { params: WorkspaceIdParams, query: AuditExportQuery, status: 200, response: z.string() },
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
  listTeams: { params: WorkspaceIdParams, query: ListTeamsQuery, status: 200, response: TeamPage },
  createTeam: { params: WorkspaceIdParams, body: CreateTeamBody, status: 201, response: Team },
  updateTeam: { params: TeamParams, body: UpdateTeamBody, status: 200, response: Team },
  deleteTeam: { params: TeamParams, status: 204, response: z.null() },
  createOrganization: { body: CreateOrganizationBody, status: 201, response: Organization },
  getOrganization: { params: OrgParams, status: 200, response: Organization },
  addCompanyAdmin: { params: OrgParams, body: AddCompanyAdminBody, status: 201, response: Organization },
  removeCompanyAdmin: { params: OrgAdminParams, status: 204, response: z.null() },
  attachWorkspace: { params: OrgWorkspaceParams, status: 200, response: Organization },
  repairOrganization: { params: OrgParams, status: 200, response: OrganizationRepair },
  listInboxes: { params: WorkspaceIdParams, query: ListInboxesQuery, status: 200, response: InboxList },
  createInbox: { params: WorkspaceIdParams, body: CreateInboxBody, status: 201, response: Inbox },
  updateInbox: { params: InboxParams, body: UpdateInboxBody, status: 200, response: Inbox },
  deleteInbox: { params: InboxParams, status: 204, response: z.null() },
  setMemberInboxes: { params: MemberParams, body: SetInboxesBody, status: 200, response: Member },
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
  // SCIM 2.0 speaks SCIM (RFC 7644): these shapes are for the document; shared/scim validates the requests.
  scimListUsers: { params: ScimWsParams, query: ScimListQuery, status: 200, response: ScimBody },
  scimCreateUser: { params: ScimWsParams, body: ScimBody, status: 201, response: ScimBody },
  scimGetUser: { params: ScimUserParams, status: 200, response: ScimBody },
  scimReplaceUser: { params: ScimUserParams, body: ScimBody, status: 200, response: ScimBody },
  scimPatchUser: { params: ScimUserParams, body: ScimBody, status: 200, response: ScimBody },
  scimDeleteUser: { params: ScimUserParams, status: 204, response: z.null() },
  scimListGroups: { params: ScimWsParams, query: ScimListQuery, status: 200, response: ScimBody },
  scimCreateGroup: { params: ScimWsParams, body: ScimBody, status: 201, response: ScimBody },
  scimGetGroup: { params: ScimGroupParams, status: 200, response: ScimBody },
  scimReplaceGroup: { params: ScimGroupParams, body: ScimBody, status: 200, response: ScimBody },
  scimPatchGroup: { params: ScimGroupParams, body: ScimBody, status: 200, response: ScimBody },
  scimDeleteGroup: { params: ScimGroupParams, status: 204, response: z.null() },
  scimServiceProviderConfig: { params: ScimWsParams, status: 200, response: ScimBody },
  scimResourceTypes: { params: ScimWsParams, status: 200, response: ScimBody },
  scimSchemas: { params: ScimWsParams, status: 200, response: ScimBody },
  listContacts: { params: WorkspaceIdParams, query: ListContactsQuery, status: 200, response: ContactPage },
  createContact: { params: WorkspaceIdParams, body: CreateContactBody, status: 201, response: Contact },
  exportContacts: { params: WorkspaceIdParams, status: 200, response: z.string() },
  getContact: { params: ContactParams, status: 200, response: Contact },
  updateContact: { params: ContactParams, body: UpdateContactBody, status: 200, response: Contact },
  deleteContact: { params: ContactParams, status: 204, response: z.null() },
  blockContact: { params: ContactParams, status: 200, response: Contact },
  unblockContact: { params: ContactParams, status: 200, response: Contact },
  getAttributes: { params: WorkspaceIdParams, status: 200, response: Attributes },
  putAttributes: { params: WorkspaceIdParams, body: AttributesBody, status: 200, response: Attributes },
  getOptOuts: { params: WorkspaceIdParams, status: 200, response: OptOuts },
  putOptOuts: { params: WorkspaceIdParams, body: OptOutsBody, status: 200, response: OptOuts },
  getRestrictedWords: { params: WorkspaceIdParams, status: 200, response: RestrictedWords },
  putRestrictedWords: { params: WorkspaceIdParams, body: RestrictedWordsBody, status: 200, response: RestrictedWords },
  listInboxConversations: {
    params: InboxConversationsParams,
    query: ListConversationsQuery,
    status: 200,
    response: ConversationPage,
  },
  createConversation: {
    params: InboxConversationsParams,
    body: CreateConversationBody,
    status: 201,
    response: z.object({ conversation: Conversation }),
  },
  listAssignedConversations: {
    params: WorkspaceIdParams,
    query: AssignedConversationsQuery,
    status: 200,
    response: ConversationPage,
  },
  getConversation: { params: ConversationParams, status: 200, response: Conversation },
  deleteConversation: { params: ConversationParams, status: 204, response: z.null() },
  assignConversation: { params: ConversationParams, body: AssignBody, status: 200, response: Conversation },
  archiveConversation: { params: ConversationParams, status: 200, response: Conversation },
  reopenConversation: { params: ConversationParams, status: 200, response: Conversation },
  moveConversation: {
    params: ConversationParams,
    body: MoveBody,
    status: 200,
    response: Conversation,
    errors: { 409: 'Conflict; or a shared conversation asked into a personal inbox (code shared_to_personal)' },
  },
  listMessages: { params: ConversationParams, query: ListConversationsQuery, status: 200, response: MessagePage },
  sendMessage: {
    params: ConversationParams,
    body: SendBody,
    status: 201,
    response: z.object({ message: Message }),
    errors: {
      409: 'Conflict; or the contact opted out (code opted_out, with contactId)',
      422: 'The message contains a restricted word (code restricted_word, with word)',
    },
  },
  sendComment: { params: ConversationParams, body: SendBody, status: 201, response: z.object({ message: Message }) },
  deleteMessage: { params: MessageParams, status: 204, response: z.null() },
  listScheduledMessages: {
    params: ConversationParams,
    query: ListConversationsQuery,
    status: 200,
    response: ScheduledMessagePage,
  },
  createScheduledMessage: {
    params: ConversationParams,
    body: ScheduleBody,
    status: 201,
    response: z.object({ scheduledMessage: ScheduledMessage }),
    errors: {
      409: 'Conflict; or the contact opted out (code opted_out, with contactId)',
      422: 'The message contains a restricted word (code restricted_word, with word)',
    },
  },
  cancelScheduledMessage: {
    params: ScheduledMessageParams,
    status: 204,
    response: z.null(),
    errors: { 409: 'The scheduled message was already sent or failed (code conflict, with status)' },
  },
  listTags: { params: WorkspaceIdParams, query: ListTagsQuery, status: 200, response: TagPage },
  createTag: { params: WorkspaceIdParams, body: CreateTagBody, status: 201, response: Tag },
  updateTag: { params: TagParams, body: UpdateTagBody, status: 200, response: Tag },
  deleteTag: { params: TagParams, status: 204, response: z.null() },
  getConversationTags: { params: ConversationTagsParams, status: 200, response: ConversationTags },
  setConversationTags: {
    params: ConversationTagsParams,
    body: SetConversationTagsBody,
    status: 200,
    response: ConversationTags,
  },
  getAnalytics: { params: WorkspaceIdParams, query: AnalyticsQuery, status: 200, response: Analytics },
} as const satisfies Record<RouteId, OperationContract>;

export type Contract = typeof contract;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
export type OpInput<R extends RouteId> = {
  params: Infer<Contract[R] extends { params: infer P } ? P : undefined>;
  query: Infer<Contract[R] extends { query: infer Q } ? Q : undefined>;
  body: Infer<Contract[R] extends { body: infer B } ? B : undefined>;
};
export type OpOutput<R extends RouteId> = z.infer<Contract[R]['response']>;

export const ErrorResponse = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
        permission: z.string().optional(),
        feature: z.string().optional(),
        limit: z.string().optional(),
      })
      .loose(),
  })
  .meta({ id: 'Error' });
