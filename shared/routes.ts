// The route table: the one place a route is declared. It feeds the CDK API stack (resources, methods,
// which Lambda), the authorizer (what a route needs), the local gateway (dispatch) and the OpenAPI
// document (joined with the zod schemas in shared/api/contract.ts by `id`).
// No zod here on purpose: the authorizer bundles this file and must stay small.
import type { Permission } from './permissions/catalog';
import type { Feature } from './permissions/plans';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route, as the authorizer checks it:
 * - `public`: no token (documentation only);
 * - `user`: any signed-in user (no workspace in the path);
 * - `member`: a member of the `{ws}` in the path, optionally holding `permission`.
 * Resource-level rules (scope, inbox visibility, no-escalation) are the handler's, with the same policy module.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'user' }
  /**
   * SCIM 2.0 (PRODUCT.md §12): a `scim_…` token of the `{ws}` in the path, checked by the handler, not the
   * authorizer, so that every answer, a missing or wrong token's 401 included, is in SCIM's error schema
   * (API Gateway's gateway responses are per API and speak this API's contract).
   */
  | { kind: 'scim' }
  | {
      kind: 'member';
      permission?: Permission;
      feature?: Feature;
      /** Works on every plan even when `permission` belongs to a plan feature (cleanup after a downgrade). */
      anyPlan?: boolean;
      /**
       * The permission the handler checks on the resource (not the authorizer), with the same policy module:
       * scope and inbox visibility, and a member's own personal inbox is exempt (PRODUCT.md §3).
       */
      onResource?: Permission;
    };

export interface RouteDef {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path; `{ws}` is the workspace id. */
  readonly path: string;
  /** The Lambda (folder under functions/) that serves it. */
  readonly fn: string;
  readonly access: RouteAccess;
  readonly summary: string;
  /** Writes re-check the caller's permission on fresh data in the handler (authorizer results are cached). */
  readonly write: boolean;
  /**
   * Explains the caller's current access (/me, /authz/check): decided on a fresh read of the caller (the access
   * loader's one strongly consistent batch), never on the authorizer's cached context, which may be 30 s old.
   */
  readonly fresh?: true;
  /**
   * Top-level fields of the answer that are secrets shown once (an API key): never persisted, so an
   * `Idempotency-Key` replay answers without them (and names them in `secretsWithheld`).
   */
  readonly secretFields?: readonly string[];
}

/**
 * A route as the table below states it (checked with `satisfies`, so a misspelt or missing field does not
 * compile). `write` is not stated: it follows from the method, so a new POST cannot forget to re-check access
 * on fresh data.
 */
export interface RouteEntry extends Omit<RouteDef, 'write'> {
  /** A question, not a change (a POST only because it carries a body): decided like a read. */
  readonly readOnly?: true;
}

const user = { kind: 'user' } as const;
const scim = { kind: 'scim' } as const;
const member = { kind: 'member' } as const;
const needs = (permission: Permission, feature?: Feature): RouteAccess =>
  feature ? { kind: 'member', permission, feature } : { kind: 'member', permission };
/** The permission, on any plan: what was made under a feature can still be seen and removed without it. */
const cleanup = (permission: Permission): RouteAccess => ({ kind: 'member', permission, anyPlan: true });
/** A member; `permission` is checked by the handler on the conversation or inbox (personal inboxes are exempt). */
const onResource = (permission: Permission): RouteAccess => ({ kind: 'member', onResource: permission });

const table = [
  {
    id: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'docs',
    access: { kind: 'public' },
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    id: 'listPermissions',
    method: 'GET',
    path: '/v1/permissions',
    fn: 'permissions',
    access: user,
    summary: 'The permission catalog',
  },
  {
    id: 'createWorkspace',
    method: 'POST',
    path: '/v1/workspaces',
    fn: 'workspaces',
    access: user,
    summary: 'Create a workspace; the caller becomes its owner',
  },
  {
    id: 'listOwnWorkspaces',
    method: 'GET',
    path: '/v1/workspaces',
    fn: 'workspaces',
    access: user,
    summary: "The caller's own workspaces: as member (deactivated ones with their status) or as company admin",
  },
  {
    id: 'getWorkspace',
    method: 'GET',
    path: '/v1/workspaces/{ws}',
    fn: 'workspaces',
    access: member,
    summary: 'Get a workspace',
  },
  {
    id: 'updateWorkspace',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}',
    fn: 'workspaces',
    access: needs('workspace.settings.manage'),
    summary: 'Rename a workspace or change its settings',
  },
  {
    id: 'getMe',
    method: 'GET',
    path: '/v1/workspaces/{ws}/me',
    fn: 'workspaces',
    access: member,
    fresh: true,
    summary: "The caller's membership, role, effective permissions and plan",
  },
  {
    id: 'changePlan',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/plan',
    fn: 'workspaces',
    access: needs('billing.manage'),
    summary: 'Change the plan (a downgrade removes surplus custom roles)',
  },
  {
    id: 'checkAuthz',
    method: 'POST',
    path: '/v1/workspaces/{ws}/authz/check',
    fn: 'authz',
    access: member,
    fresh: true,
    summary: 'Explain whether a member may do an action',
    // A question, not a change: POST only because it carries a body.
    readOnly: true,
  },
  // OpenID AuthZEN Authorization API 1.0, per workspace (PDP base /v1/workspaces/{ws}): questions, not
  // changes (POST because they carry a body). About oneself: any member or key; about others: teammates.manage.
  {
    id: 'authzenEvaluation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access/v1/evaluation',
    fn: 'authzen',
    access: member,
    summary:
      'AuthZEN 1.0 Access Evaluation: may this subject do this action on this resource (a deny is 200 {decision: false})',
    readOnly: true,
  },
  {
    id: 'authzenEvaluations',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access/v1/evaluations',
    fn: 'authzen',
    access: member,
    summary: 'AuthZEN 1.0 Access Evaluations: up to 100 decisions with top-level defaults and evaluations_semantic',
    readOnly: true,
  },
  {
    id: 'authzenSearchSubject',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access/v1/search/subject',
    fn: 'authzen',
    access: member,
    summary:
      'AuthZEN 1.0 Subject Search: members, users or API keys that may do the action on the resource (teammates.manage)',
    readOnly: true,
  },
  {
    id: 'authzenSearchResource',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access/v1/search/resource',
    fn: 'authzen',
    access: member,
    summary: 'AuthZEN 1.0 Resource Search: resources of a type the subject may do the action on',
    readOnly: true,
  },
  {
    id: 'authzenSearchAction',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access/v1/search/action',
    fn: 'authzen',
    access: member,
    summary: 'AuthZEN 1.0 Action Search: the permissions the subject may use on the resource',
    readOnly: true,
  },
  {
    id: 'authzenConfiguration',
    method: 'GET',
    path: '/.well-known/authzen-configuration/{ws}',
    fn: 'authzen',
    access: { kind: 'public' },
    summary: 'AuthZEN 1.0 PDP metadata of a workspace (public; the same answer whether or not the workspace exists)',
  },
  {
    id: 'simulateRoleEdit',
    method: 'POST',
    path: '/v1/workspaces/{ws}/roles/{roleId}/simulate',
    fn: 'access-review',
    access: needs('roles.manage'),
    summary:
      'Preview a role edit (PATCH body): permissions added and removed, who gains, loses or keeps each, refusals; writes nothing',
    readOnly: true,
  },
  {
    id: 'simulateMemberRole',
    method: 'POST',
    path: '/v1/workspaces/{ws}/members/{memberId}/simulate-role',
    fn: 'access-review',
    access: needs('teammates.manage'),
    summary: "Preview a member's role change: what they gain, lose or keep, and what would refuse it; writes nothing",
    readOnly: true,
  },
  {
    id: 'getAccessReview',
    method: 'GET',
    path: '/v1/workspaces/{ws}/access-review',
    fn: 'access-review',
    access: needs('teammates.manage'),
    summary:
      'Every member and API key: role, effective permissions with scopes, inboxes reached and how, last change (?format=csv)',
  },
  {
    id: 'listRoles',
    method: 'GET',
    path: '/v1/workspaces/{ws}/roles',
    fn: 'roles',
    access: member,
    summary: 'Built-in roles, templates and custom roles',
  },
  {
    id: 'createRole',
    method: 'POST',
    path: '/v1/workspaces/{ws}/roles',
    fn: 'roles',
    access: needs('roles.manage'),
    summary: 'Create a custom role',
  },
  {
    id: 'getRole',
    method: 'GET',
    path: '/v1/workspaces/{ws}/roles/{roleId}',
    fn: 'roles',
    access: member,
    summary: 'Get a role',
  },
  {
    id: 'updateRole',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/roles/{roleId}',
    fn: 'roles',
    access: needs('roles.manage'),
    summary: 'Edit a custom role (applies at once to its holders)',
  },
  {
    id: 'deleteRole',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/roles/{roleId}',
    fn: 'roles',
    access: needs('roles.manage'),
    summary: 'Delete a custom role (?reassignTo= moves its holders)',
  },
  {
    id: 'listMembers',
    method: 'GET',
    path: '/v1/workspaces/{ws}/members',
    fn: 'members',
    access: member,
    summary: 'Members, optionally of one role (?roleId=)',
  },
  {
    id: 'getMember',
    method: 'GET',
    path: '/v1/workspaces/{ws}/members/{memberId}',
    fn: 'members',
    access: member,
    summary: 'Get a member',
  },
  {
    id: 'updateMember',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/members/{memberId}',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: "Change a member's role",
  },
  {
    id: 'removeMember',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/members/{memberId}',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: 'Remove a member',
  },
  {
    id: 'deactivateMember',
    method: 'POST',
    path: '/v1/workspaces/{ws}/members/{memberId}/deactivate',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: 'Deactivate a member: no access, no seat, API keys suspended, assignments released; id and history kept',
  },
  {
    id: 'reactivateMember',
    method: 'POST',
    path: '/v1/workspaces/{ws}/members/{memberId}/reactivate',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: 'Reactivate a member with the same id and role, if the plan has a seat',
  },
  {
    id: 'listAccessRequests',
    method: 'GET',
    path: '/v1/workspaces/{ws}/access-requests',
    fn: 'members',
    access: member,
    summary: 'Access requests: every one with teammates.manage, else your own (?status=)',
  },
  {
    id: 'createAccessRequest',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access-requests',
    fn: 'members',
    access: member,
    summary: 'Ask for a role or permissions (with a reason, optionally until a time)',
  },
  {
    id: 'approveAccessRequest',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access-requests/{requestId}/approve',
    fn: 'members',
    access: member,
    summary: 'Approve a request: applies the grant as you (someone able to grant it, not the requester)',
  },
  {
    id: 'denyAccessRequest',
    method: 'POST',
    path: '/v1/workspaces/{ws}/access-requests/{requestId}/deny',
    fn: 'members',
    access: member,
    summary: 'Deny a request (someone able to grant it, not the requester)',
  },
  {
    id: 'createMemberGrant',
    method: 'POST',
    path: '/v1/workspaces/{ws}/members/{memberId}/grants',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: 'Give a member extra permissions until a time (within what you may grant)',
  },
  {
    id: 'deleteMemberGrant',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/members/{memberId}/grants/{grantId}',
    fn: 'members',
    access: needs('teammates.manage'),
    summary: "End a member's extra grant now",
  },
  {
    id: 'transferOwnership',
    method: 'POST',
    path: '/v1/workspaces/{ws}/ownership',
    fn: 'members',
    access: member,
    summary: 'Hand ownership to another member (Owner only)',
  },
  {
    id: 'getBillingSeats',
    method: 'GET',
    path: '/v1/workspaces/{ws}/billing/seats',
    fn: 'billing',
    access: needs('billing.manage'),
    summary:
      'Seats, Admins, the free Admin seat and paid seats (Admin Seat Policy), the billed quantity and the seat limit',
  },
  {
    id: 'getBillingPeriod',
    method: 'GET',
    path: '/v1/workspaces/{ws}/billing/periods/{period}',
    fn: 'billing',
    access: needs('billing.manage'),
    summary:
      'A billing period (yyyy-mm): seat-days per member, start/peak/end counts, billed quantity, ledger entries, digest',
  },
  {
    id: 'listBillingLedger',
    method: 'GET',
    path: '/v1/workspaces/{ws}/billing/ledger',
    fn: 'billing',
    access: needs('billing.manage'),
    summary: 'Billed seat changes, newest first (one entry per change the reconciliation billed)',
  },
  {
    id: 'listAuditLog',
    method: 'GET',
    path: '/v1/workspaces/{ws}/audit-log',
    fn: 'audit',
    access: needs('logs.export'),
    summary: 'The audit log, newest first',
  },
  {
    id: 'exportAuditLog',
    method: 'GET',
    path: '/v1/workspaces/{ws}/audit-log/export',
    fn: 'audit',
    access: needs('logs.export', 'auditExport'),
    summary: 'The whole audit log as JSON lines or CSV',
  },
  {
    id: 'listInvitations',
    method: 'GET',
    path: '/v1/workspaces/{ws}/invitations',
    fn: 'invitations',
    access: needs('teammates.invite'),
    summary: 'Invitations, newest first',
  },
  {
    id: 'createInvitation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/invitations',
    fn: 'invitations',
    access: needs('teammates.invite'),
    summary: 'Invite by email with a role (refreshes a pending invitation of the same email)',
  },
  {
    id: 'revokeInvitation',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/invitations/{invitationId}',
    fn: 'invitations',
    access: needs('teammates.invite'),
    summary: 'Revoke a pending invitation',
  },
  {
    id: 'resendInvitation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/invitations/{invitationId}/resend',
    fn: 'invitations',
    access: needs('teammates.invite'),
    summary: 'Resend: new token, new expiry',
  },
  {
    id: 'previewInvitation',
    method: 'POST',
    path: '/v1/invitations/preview',
    fn: 'invitations',
    // The accept page names the workspace and the role before the invitee signs in: the token (a 256-bit
    // HMAC only the email's recipient has) is the credential. POST keeps it out of URLs and access logs.
    access: { kind: 'public' },
    summary: 'What an invitation token invites to (workspace and role names), before signing in to accept it',
    readOnly: true,
  },
  {
    id: 'acceptInvitation',
    method: 'POST',
    path: '/v1/invitations/accept',
    fn: 'invitations',
    access: user,
    summary: 'Accept an invitation with its token (the signed-in email must match)',
  },
  {
    id: 'listTeams',
    method: 'GET',
    path: '/v1/workspaces/{ws}/teams',
    fn: 'teams',
    access: member,
    summary: 'Teams (groups) of the workspace',
  },
  {
    id: 'createTeam',
    method: 'POST',
    path: '/v1/workspaces/{ws}/teams',
    fn: 'teams',
    access: needs('teammates.manage'),
    summary: 'Create a team',
  },
  {
    id: 'updateTeam',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/teams/{teamId}',
    fn: 'teams',
    access: needs('teammates.manage'),
    summary: 'Rename a team or set its members',
  },
  {
    id: 'deleteTeam',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/teams/{teamId}',
    fn: 'teams',
    access: needs('teammates.manage'),
    summary: 'Delete a team',
  },
  {
    id: 'createOrganization',
    method: 'POST',
    path: '/v1/organizations',
    fn: 'organizations',
    access: user,
    summary: 'Create an organization; the caller becomes its company admin',
  },
  {
    id: 'getOrganization',
    method: 'GET',
    path: '/v1/organizations/{orgId}',
    fn: 'organizations',
    access: user,
    summary: 'An organization, its company admins and workspaces (company admins only)',
  },
  {
    id: 'addCompanyAdmin',
    method: 'POST',
    path: '/v1/organizations/{orgId}/admins',
    fn: 'organizations',
    access: user,
    summary: 'Add a company admin (company admins only)',
  },
  {
    id: 'removeCompanyAdmin',
    method: 'DELETE',
    path: '/v1/organizations/{orgId}/admins/{userId}',
    fn: 'organizations',
    access: user,
    summary: 'Remove a company admin (company admins only)',
  },
  {
    id: 'attachWorkspace',
    method: 'PUT',
    path: '/v1/organizations/{orgId}/workspaces/{ws}',
    fn: 'organizations',
    access: member,
    summary: "Move a workspace into an organization (the workspace's Owner, also a company admin)",
  },
  {
    id: 'repairOrganization',
    method: 'POST',
    path: '/v1/organizations/{orgId}/repair',
    fn: 'organizations',
    access: user,
    summary:
      'Recompute the company-admin grants (admins × workspaces): write missing ones, delete orphaned ones, report the changes (company admins only)',
  },
  {
    id: 'listInboxes',
    method: 'GET',
    path: '/v1/workspaces/{ws}/inboxes',
    fn: 'inboxes',
    access: member,
    summary: 'The inboxes the caller can see',
  },
  // Which configure permission applies depends on the inbox (public/private/personal): the handler decides.
  {
    id: 'createInbox',
    method: 'POST',
    path: '/v1/workspaces/{ws}/inboxes',
    fn: 'inboxes',
    access: member,
    summary: 'Create an inbox (shared: inboxes.*.configure; personal: anyone, for themselves)',
  },
  {
    id: 'updateInbox',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/inboxes/{inboxId}',
    fn: 'inboxes',
    access: member,
    summary: 'Rename an inbox or change its visibility',
  },
  {
    id: 'deleteInbox',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/inboxes/{inboxId}',
    fn: 'inboxes',
    access: member,
    summary: 'Delete an inbox',
  },
  {
    id: 'setMemberInboxes',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/members/{memberId}/inboxes',
    fn: 'members',
    access: needs('inboxes.public.configure'),
    summary: "Set a member's inboxes (private ones need inboxes.private.configure)",
  },
  {
    id: 'listApiKeys',
    method: 'GET',
    path: '/v1/workspaces/{ws}/api-keys',
    fn: 'api-keys',
    access: cleanup('apiKeys.manage'),
    summary: 'API keys (never the keys themselves); on any plan, so keys made on a plan with API keys can be reviewed',
  },
  {
    id: 'createApiKey',
    method: 'POST',
    path: '/v1/workspaces/{ws}/api-keys',
    fn: 'api-keys',
    access: needs('apiKeys.manage', 'apiKeys'),
    summary: 'Create an API key acting with a role; the key is shown once',
    secretFields: ['key'],
  },
  {
    id: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/api-keys/{keyId}',
    fn: 'api-keys',
    access: cleanup('apiKeys.manage'),
    summary: 'Revoke an API key (on any plan)',
  },
  // SCIM tokens (PRODUCT.md §12): a credential of the workspace with a role ceiling, made by a teammates manager.
  {
    id: 'listScimTokens',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/tokens',
    fn: 'scim-tokens',
    access: cleanup('teammates.manage'),
    summary:
      'SCIM tokens (never the tokens themselves); on any plan, so tokens made under the scim feature can be reviewed',
  },
  {
    id: 'createScimToken',
    method: 'POST',
    path: '/v1/workspaces/{ws}/scim/tokens',
    fn: 'scim-tokens',
    access: needs('teammates.manage', 'scim'),
    summary: 'Create a SCIM token with a role ceiling (maxRoleId, never owner); the token is shown once',
    secretFields: ['token'],
  },
  {
    id: 'revokeScimToken',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/scim/tokens/{tokenId}',
    fn: 'scim-tokens',
    access: cleanup('teammates.manage'),
    summary: 'Revoke a SCIM token (on any plan)',
  },
  {
    id: 'scimListUsers',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/Users',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: list or filter users (members provisioned by the identity provider)',
  },
  {
    id: 'scimCreateUser',
    method: 'POST',
    path: '/v1/workspaces/{ws}/scim/v2/Users',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: provision a user (a member at once, holding a seat)',
  },
  {
    id: 'scimGetUser',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/Users/{userId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: one user',
  },
  {
    id: 'scimReplaceUser',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/scim/v2/Users/{userId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: replace a user (active false deactivates)',
  },
  {
    id: 'scimPatchUser',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/scim/v2/Users/{userId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: patch a user',
  },
  {
    id: 'scimDeleteUser',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/scim/v2/Users/{userId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: delete a user (removes the member)',
  },
  {
    id: 'scimListGroups',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/Groups',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: list or filter groups (teams managed by the identity provider)',
  },
  {
    id: 'scimCreateGroup',
    method: 'POST',
    path: '/v1/workspaces/{ws}/scim/v2/Groups',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: create a group (a team managed by SCIM)',
  },
  {
    id: 'scimGetGroup',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/Groups/{groupId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: one group',
  },
  {
    id: 'scimReplaceGroup',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/scim/v2/Groups/{groupId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: replace a group',
  },
  {
    id: 'scimPatchGroup',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/scim/v2/Groups/{groupId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: patch a group (members added and removed per member)',
  },
  {
    id: 'scimDeleteGroup',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/scim/v2/Groups/{groupId}',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: delete a group (the team)',
  },
  {
    id: 'scimServiceProviderConfig',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/ServiceProviderConfig',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: what this service provider supports',
  },
  {
    id: 'scimResourceTypes',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/ResourceTypes',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: resource types (User, Group)',
  },
  {
    id: 'scimSchemas',
    method: 'GET',
    path: '/v1/workspaces/{ws}/scim/v2/Schemas',
    fn: 'scim',
    access: scim,
    summary: 'SCIM: the User and Group schemas',
  },
  // Contacts (Clerk Chat): who sees them follows the workspace setting `contactsVisibility` (the service decides).
  {
    id: 'listContacts',
    method: 'GET',
    path: '/v1/workspaces/{ws}/contacts',
    fn: 'contacts',
    access: member,
    summary: 'The contacts the caller can see',
  },
  {
    id: 'createContact',
    method: 'POST',
    path: '/v1/workspaces/{ws}/contacts',
    fn: 'contacts',
    access: needs('contacts.update'),
    summary: 'Create a contact',
  },
  {
    id: 'exportContacts',
    method: 'GET',
    path: '/v1/workspaces/{ws}/contacts/export',
    fn: 'contacts',
    access: needs('contacts.export'),
    summary: 'The contacts the caller can see, as formula-safe CSV',
  },
  {
    id: 'getContact',
    method: 'GET',
    path: '/v1/workspaces/{ws}/contacts/{contactId}',
    fn: 'contacts',
    access: member,
    summary: 'Get a contact',
  },
  {
    id: 'updateContact',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/contacts/{contactId}',
    fn: 'contacts',
    access: needs('contacts.update'),
    summary: 'Update a contact (name, email, phone, attribute values)',
  },
  {
    id: 'deleteContact',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/contacts/{contactId}',
    fn: 'contacts',
    access: needs('contacts.delete'),
    summary: 'Delete a contact (and its opt-out)',
  },
  {
    id: 'blockContact',
    method: 'POST',
    path: '/v1/workspaces/{ws}/contacts/{contactId}/block',
    fn: 'contacts',
    access: needs('contacts.block'),
    summary: 'Block a contact',
  },
  {
    id: 'unblockContact',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/contacts/{contactId}/block',
    fn: 'contacts',
    access: needs('contacts.block'),
    summary: 'Unblock a contact',
  },
  // Workspace lists with an effect on contacts and messages.
  {
    id: 'getAttributes',
    method: 'GET',
    path: '/v1/workspaces/{ws}/attributes',
    fn: 'lists',
    access: member,
    summary: 'The contact attributes of the workspace',
  },
  {
    id: 'putAttributes',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/attributes',
    fn: 'lists',
    access: needs('attributes.manage'),
    summary: 'Replace the contact attributes (keys and types contact values must follow)',
  },
  {
    id: 'getOptOuts',
    method: 'GET',
    path: '/v1/workspaces/{ws}/opt-outs',
    fn: 'lists',
    access: needs('optOuts.view'),
    summary: 'Contacts who opted out of messages',
  },
  {
    id: 'putOptOuts',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/opt-outs',
    fn: 'lists',
    access: needs('optOuts.manage'),
    summary: 'Replace the opt-out list (sending to an opted-out contact is a 409 opted_out)',
  },
  {
    id: 'getRestrictedWords',
    method: 'GET',
    path: '/v1/workspaces/{ws}/restricted-words',
    fn: 'lists',
    access: member,
    summary: 'Words no message may contain',
  },
  {
    id: 'putRestrictedWords',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/restricted-words',
    fn: 'lists',
    access: needs('restrictedWords.manage'),
    summary: 'Replace the restricted words (a message with one, whole word, is a 422 restricted_word)',
  },
  // Conversations (PRODUCT.md §3, §7): the permission is decided on the conversation or inbox in the handler,
  // because a member's own personal inbox is exempt from role restrictions and scopes need the resource.
  {
    id: 'listInboxConversations',
    method: 'GET',
    path: '/v1/workspaces/{ws}/inboxes/{inboxId}/conversations',
    fn: 'conversations',
    access: onResource('messages.view'),
    summary: "An inbox's conversations, newest activity first",
  },
  {
    id: 'createConversation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/inboxes/{inboxId}/conversations',
    fn: 'conversations',
    access: onResource('messages.send'),
    summary: 'Start a conversation in an inbox (subject and contact optional)',
  },
  {
    id: 'listAssignedConversations',
    method: 'GET',
    path: '/v1/workspaces/{ws}/conversations',
    fn: 'conversations',
    access: needs('messages.view'),
    summary: 'Conversations assigned to the caller (?assignee=me) across inboxes, newest activity first',
  },
  {
    id: 'getConversation',
    method: 'GET',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}',
    fn: 'conversations',
    access: onResource('messages.view'),
    summary: 'Get a conversation',
  },
  {
    id: 'deleteConversation',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}',
    fn: 'conversations',
    access: onResource('conversations.delete'),
    summary: 'Delete a conversation with its messages',
  },
  {
    id: 'assignConversation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/assign',
    fn: 'conversations',
    access: onResource('conversations.assign'),
    summary: 'Assign to a member who can work in the inbox, or unassign (memberId: null)',
  },
  {
    id: 'archiveConversation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/archive',
    fn: 'conversations',
    access: onResource('conversations.archive'),
    summary: 'Archive a conversation',
  },
  {
    id: 'reopenConversation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/reopen',
    fn: 'conversations',
    access: onResource('conversations.archive'),
    summary: 'Reopen an archived conversation',
  },
  {
    id: 'moveConversation',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/move',
    fn: 'conversations',
    access: onResource('conversations.move'),
    summary: 'Move a conversation to another inbox (conversations.move on both)',
  },
  {
    id: 'listMessages',
    method: 'GET',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/messages',
    fn: 'conversations',
    access: onResource('messages.view'),
    summary: 'Messages and internal comments of a conversation (each marked kind), oldest first',
  },
  {
    id: 'sendMessage',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/messages',
    fn: 'conversations',
    access: onResource('messages.send'),
    summary: 'Send a message to the contact (opt-outs and restricted words apply)',
  },
  {
    id: 'sendComment',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/comments',
    fn: 'conversations',
    access: onResource('comments.send'),
    summary: 'Add an internal comment (never shown to the contact)',
  },
  {
    id: 'deleteMessage',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/messages/{messageId}',
    fn: 'conversations',
    access: onResource('messages.delete'),
    summary: 'Delete one message or comment permanently',
  },
  {
    id: 'listScheduledMessages',
    method: 'GET',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/scheduled-messages',
    fn: 'conversations',
    access: onResource('scheduledMessages.manage'),
    summary: "A conversation's scheduled messages, soonest first",
  },
  {
    id: 'createScheduledMessage',
    method: 'POST',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/scheduled-messages',
    fn: 'conversations',
    access: onResource('scheduledMessages.manage'),
    summary: 'Schedule a message (sendAt in the future, at most a year ahead)',
  },
  {
    id: 'cancelScheduledMessage',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/scheduled-messages/{scheduledMessageId}',
    fn: 'conversations',
    access: onResource('scheduledMessages.manage'),
    summary: 'Cancel a scheduled message',
  },
  // Tags: shared ones need tags.shared.manage, a member's private ones are always theirs (the service decides).
  {
    id: 'listTags',
    method: 'GET',
    path: '/v1/workspaces/{ws}/tags',
    fn: 'tags',
    access: member,
    summary: "Shared tags, then the caller's private tags",
  },
  {
    id: 'createTag',
    method: 'POST',
    path: '/v1/workspaces/{ws}/tags',
    fn: 'tags',
    access: member,
    summary: 'Create a tag (shared: tags.shared.manage; private: anyone, for themselves)',
  },
  {
    id: 'updateTag',
    method: 'PATCH',
    path: '/v1/workspaces/{ws}/tags/{tagId}',
    fn: 'tags',
    access: member,
    summary: 'Rename a tag (shared: tags.shared.manage; private: its owner)',
  },
  {
    id: 'deleteTag',
    method: 'DELETE',
    path: '/v1/workspaces/{ws}/tags/{tagId}',
    fn: 'tags',
    access: member,
    summary: 'Delete a tag (shared: tags.shared.manage; private: its owner)',
  },
  {
    id: 'getConversationTags',
    method: 'GET',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/tags',
    fn: 'tags',
    access: member,
    summary: "A conversation's tags the caller sees (messages.view on the conversation)",
  },
  {
    id: 'setConversationTags',
    method: 'PUT',
    path: '/v1/workspaces/{ws}/conversations/{conversationId}/tags',
    fn: 'tags',
    access: needs('tags.apply'),
    summary: "Set the conversation's tags the caller sees (other members' private tags stay)",
  },
  {
    id: 'getAnalytics',
    method: 'GET',
    path: '/v1/workspaces/{ws}/analytics',
    fn: 'analytics',
    access: needs('analytics.view', 'analytics'),
    summary:
      'Counts from the table for a window (?from=&to=, UTC days): conversations per inbox, messages per member, members per role',
  },
] as const satisfies readonly RouteEntry[];

/** One entry as callers read it: a `RouteDef` whose id and Lambda keep their literal types. */
type Route<E extends (typeof table)[number] = (typeof table)[number]> = E extends unknown
  ? RouteDef & { readonly id: E['id']; readonly fn: E['fn'] }
  : never;

// The cast only restores the literal types `map` loses: each element is its entry with `write` added.
export const routes = (table as readonly RouteEntry[]).map(({ readOnly, ...def }) => ({
  ...def,
  write: def.method !== 'GET' && !readOnly,
})) as readonly Route[];

export type RouteId = (typeof routes)[number]['id'];
export type Area = (typeof routes)[number]['fn'];
/** The ids of the routes one Lambda (area) serves. */
export type RouteIdOf<A extends Area> = Extract<(typeof routes)[number], { fn: A }>['id'];

/** `${method} ${path}` → route, as API Gateway reports them in `httpMethod` and `resource`. */
const ROUTE_BY_RESOURCE: ReadonlyMap<string, RouteDef> = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));

/** Whether API Gateway puts the REQUEST authorizer in front of the route (not public, not SCIM). */
export const usesAuthorizer = (route: Pick<RouteDef, 'access'>): boolean =>
  route.access.kind !== 'public' && route.access.kind !== 'scim';

export function routeFor(method: string, resource: string): RouteDef | undefined {
  return ROUTE_BY_RESOURCE.get(`${method} ${resource}`);
}
