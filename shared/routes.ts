// The route table: the one place a route is declared. It feeds the CDK API stack (resources, methods,
// which Lambda), the authorizer (what a route needs), the local gateway (dispatch) and the OpenAPI
// document (joined with the zod schemas in shared/api/contract.ts by `id`).
// No zod here on purpose: the authorizer bundles this file and must stay small.
import type { Permission } from './permissions/catalog';
import type { Feature } from './plans/plans';

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
   * Top-level fields of the answer that are secrets shown once (an API key): never persisted, so an
   * `Idempotency-Key` replay answers without them (and names them in `secretsWithheld`).
   */
  readonly secretFields?: readonly string[];
}

function route<const Id extends string, const Fn extends string>(
  id: Id,
  method: HttpMethod,
  path: string,
  fn: Fn,
  access: RouteAccess,
  summary: string,
  options: { readOnly?: boolean; secretFields?: readonly string[] } = {},
): RouteDef & { readonly id: Id; readonly fn: Fn } {
  const def = { id, method, path, fn, access, summary, write: method !== 'GET' && !options.readOnly };
  return options.secretFields ? { ...def, secretFields: options.secretFields } : def;
}

const user = { kind: 'user' } as const;
const member = { kind: 'member' } as const;
const needs = (permission: Permission, feature?: Feature): RouteAccess =>
  feature ? { kind: 'member', permission, feature } : { kind: 'member', permission };
/** The permission, on any plan: what was made under a feature can still be seen and removed without it. */
const cleanup = (permission: Permission): RouteAccess => ({ kind: 'member', permission, anyPlan: true });
/** A member; `permission` is checked by the handler on the conversation or inbox (personal inboxes are exempt). */
const onResource = (permission: Permission): RouteAccess => ({ kind: 'member', onResource: permission });

export const routes = [
  route('getOpenApi', 'GET', '/v1/openapi.json', 'docs', { kind: 'public' }, 'This API as an OpenAPI 3.1 document'),
  route('listPermissions', 'GET', '/v1/permissions', 'permissions', user, 'The permission catalog'),
  route(
    'createWorkspace',
    'POST',
    '/v1/workspaces',
    'workspaces',
    user,
    'Create a workspace; the caller becomes its owner',
  ),
  route('getWorkspace', 'GET', '/v1/workspaces/{ws}', 'workspaces', member, 'Get a workspace'),
  route(
    'updateWorkspace',
    'PATCH',
    '/v1/workspaces/{ws}',
    'workspaces',
    needs('workspace.settings.manage'),
    'Rename a workspace or change its settings',
  ),
  route(
    'getMe',
    'GET',
    '/v1/workspaces/{ws}/me',
    'workspaces',
    member,
    "The caller's membership, role, effective permissions and plan",
  ),
  route(
    'changePlan',
    'PUT',
    '/v1/workspaces/{ws}/plan',
    'workspaces',
    needs('billing.manage'),
    'Change the plan (a downgrade removes surplus custom roles)',
  ),
  route(
    'checkAuthz',
    'POST',
    '/v1/workspaces/{ws}/authz/check',
    'authz',
    member,
    'Explain whether a member may do an action',
    // A question, not a change: POST only because it carries a body.
    { readOnly: true },
  ),
  // OpenID AuthZEN Authorization API 1.0, per workspace (PDP base /v1/workspaces/{ws}): questions, not
  // changes (POST because they carry a body). About oneself: any member or key; about others: teammates.manage.
  route(
    'authzenEvaluation',
    'POST',
    '/v1/workspaces/{ws}/access/v1/evaluation',
    'authzen',
    member,
    'AuthZEN 1.0 Access Evaluation: may this subject do this action on this resource (a deny is 200 {decision: false})',
    { readOnly: true },
  ),
  route(
    'authzenEvaluations',
    'POST',
    '/v1/workspaces/{ws}/access/v1/evaluations',
    'authzen',
    member,
    'AuthZEN 1.0 Access Evaluations: up to 100 decisions with top-level defaults and evaluations_semantic',
    { readOnly: true },
  ),
  route(
    'authzenSearchSubject',
    'POST',
    '/v1/workspaces/{ws}/access/v1/search/subject',
    'authzen',
    member,
    'AuthZEN 1.0 Subject Search: members, users or API keys that may do the action on the resource (teammates.manage)',
    { readOnly: true },
  ),
  route(
    'authzenSearchResource',
    'POST',
    '/v1/workspaces/{ws}/access/v1/search/resource',
    'authzen',
    member,
    'AuthZEN 1.0 Resource Search: resources of a type the subject may do the action on',
    { readOnly: true },
  ),
  route(
    'authzenSearchAction',
    'POST',
    '/v1/workspaces/{ws}/access/v1/search/action',
    'authzen',
    member,
    'AuthZEN 1.0 Action Search: the permissions the subject may use on the resource',
    { readOnly: true },
  ),
  route(
    'authzenConfiguration',
    'GET',
    '/.well-known/authzen-configuration/{ws}',
    'authzen',
    { kind: 'public' },
    'AuthZEN 1.0 PDP metadata of a workspace (public; the same answer whether or not the workspace exists)',
  ),
  route(
    'simulateRoleEdit',
    'POST',
    '/v1/workspaces/{ws}/roles/{roleId}/simulate',
    'access-review',
    needs('roles.manage'),
    'Preview a role edit (PATCH body): permissions added and removed, who gains, loses or keeps each, refusals; writes nothing',
    { readOnly: true },
  ),
  route(
    'simulateMemberRole',
    'POST',
    '/v1/workspaces/{ws}/members/{memberId}/simulate-role',
    'access-review',
    needs('teammates.manage'),
    "Preview a member's role change: what they gain, lose or keep, and what would refuse it; writes nothing",
    { readOnly: true },
  ),
  route(
    'getAccessReview',
    'GET',
    '/v1/workspaces/{ws}/access-review',
    'access-review',
    needs('teammates.manage'),
    'Every member and API key: role, effective permissions with scopes, inboxes reached and how, last change (?format=csv)',
  ),
  route('listRoles', 'GET', '/v1/workspaces/{ws}/roles', 'roles', member, 'Built-in roles, templates and custom roles'),
  route('createRole', 'POST', '/v1/workspaces/{ws}/roles', 'roles', needs('roles.manage'), 'Create a custom role'),
  route('getRole', 'GET', '/v1/workspaces/{ws}/roles/{roleId}', 'roles', member, 'Get a role'),
  route(
    'updateRole',
    'PATCH',
    '/v1/workspaces/{ws}/roles/{roleId}',
    'roles',
    needs('roles.manage'),
    'Edit a custom role (applies at once to its holders)',
  ),
  route(
    'deleteRole',
    'DELETE',
    '/v1/workspaces/{ws}/roles/{roleId}',
    'roles',
    needs('roles.manage'),
    'Delete a custom role (?reassignTo= moves its holders)',
  ),
  route(
    'listMembers',
    'GET',
    '/v1/workspaces/{ws}/members',
    'members',
    member,
    'Members, optionally of one role (?roleId=)',
  ),
  route('getMember', 'GET', '/v1/workspaces/{ws}/members/{memberId}', 'members', member, 'Get a member'),
  route(
    'updateMember',
    'PATCH',
    '/v1/workspaces/{ws}/members/{memberId}',
    'members',
    needs('teammates.manage'),
    "Change a member's role",
  ),
  route(
    'removeMember',
    'DELETE',
    '/v1/workspaces/{ws}/members/{memberId}',
    'members',
    needs('teammates.manage'),
    'Remove a member',
  ),
  route(
    'deactivateMember',
    'POST',
    '/v1/workspaces/{ws}/members/{memberId}/deactivate',
    'members',
    needs('teammates.manage'),
    'Deactivate a member: no access, no seat, API keys suspended, assignments released; id and history kept',
  ),
  route(
    'reactivateMember',
    'POST',
    '/v1/workspaces/{ws}/members/{memberId}/reactivate',
    'members',
    needs('teammates.manage'),
    'Reactivate a member with the same id and role, if the plan has a seat',
  ),
  route(
    'listAccessRequests',
    'GET',
    '/v1/workspaces/{ws}/access-requests',
    'members',
    member,
    'Access requests: every one with teammates.manage, else your own (?status=)',
  ),
  route(
    'createAccessRequest',
    'POST',
    '/v1/workspaces/{ws}/access-requests',
    'members',
    member,
    'Ask for a role or permissions (with a reason, optionally until a time)',
  ),
  route(
    'approveAccessRequest',
    'POST',
    '/v1/workspaces/{ws}/access-requests/{requestId}/approve',
    'members',
    member,
    'Approve a request: applies the grant as you (someone able to grant it, not the requester)',
  ),
  route(
    'denyAccessRequest',
    'POST',
    '/v1/workspaces/{ws}/access-requests/{requestId}/deny',
    'members',
    member,
    'Deny a request (someone able to grant it, not the requester)',
  ),
  route(
    'createMemberGrant',
    'POST',
    '/v1/workspaces/{ws}/members/{memberId}/grants',
    'members',
    needs('teammates.manage'),
    'Give a member extra permissions until a time (within what you may grant)',
  ),
  route(
    'deleteMemberGrant',
    'DELETE',
    '/v1/workspaces/{ws}/members/{memberId}/grants/{grantId}',
    'members',
    needs('teammates.manage'),
    "End a member's extra grant now",
  ),
  route(
    'transferOwnership',
    'POST',
    '/v1/workspaces/{ws}/ownership',
    'members',
    member,
    'Hand ownership to another member (Owner only)',
  ),
  route(
    'getBillingSeats',
    'GET',
    '/v1/workspaces/{ws}/billing/seats',
    'billing',
    needs('billing.manage'),
    'Seats, Admins, the free Admin seat and paid seats (Admin Seat Policy), the billed quantity and the seat limit',
  ),
  route(
    'getBillingPeriod',
    'GET',
    '/v1/workspaces/{ws}/billing/periods/{period}',
    'billing',
    needs('billing.manage'),
    'A billing period (yyyy-mm): seat-days per member, start/peak/end counts, billed quantity, ledger entries, digest',
  ),
  route(
    'listBillingLedger',
    'GET',
    '/v1/workspaces/{ws}/billing/ledger',
    'billing',
    needs('billing.manage'),
    'Billed seat changes, newest first (one entry per change the reconciliation billed)',
  ),
  route(
    'listAuditLog',
    'GET',
    '/v1/workspaces/{ws}/audit-log',
    'audit',
    needs('logs.export'),
    'The audit log, newest first',
  ),
  route(
    'exportAuditLog',
    'GET',
    '/v1/workspaces/{ws}/audit-log/export',
    'audit',
    needs('logs.export', 'auditExport'),
    'The whole audit log as JSON lines or CSV',
  ),
  route(
    'listInvitations',
    'GET',
    '/v1/workspaces/{ws}/invitations',
    'invitations',
    needs('teammates.invite'),
    'Invitations, newest first',
  ),
  route(
    'createInvitation',
    'POST',
    '/v1/workspaces/{ws}/invitations',
    'invitations',
    needs('teammates.invite'),
    'Invite by email with a role (refreshes a pending invitation of the same email)',
  ),
  route(
    'revokeInvitation',
    'DELETE',
    '/v1/workspaces/{ws}/invitations/{invitationId}',
    'invitations',
    needs('teammates.invite'),
    'Revoke a pending invitation',
  ),
  route(
    'resendInvitation',
    'POST',
    '/v1/workspaces/{ws}/invitations/{invitationId}/resend',
    'invitations',
    needs('teammates.invite'),
    'Resend: new token, new expiry',
  ),
  route(
    'acceptInvitation',
    'POST',
    '/v1/invitations/accept',
    'invitations',
    user,
    'Accept an invitation with its token (the signed-in email must match)',
  ),
  route('listTeams', 'GET', '/v1/workspaces/{ws}/teams', 'teams', member, 'Teams (groups) of the workspace'),
  route('createTeam', 'POST', '/v1/workspaces/{ws}/teams', 'teams', needs('teammates.manage'), 'Create a team'),
  route(
    'updateTeam',
    'PATCH',
    '/v1/workspaces/{ws}/teams/{teamId}',
    'teams',
    needs('teammates.manage'),
    'Rename a team or set its members',
  ),
  route(
    'deleteTeam',
    'DELETE',
    '/v1/workspaces/{ws}/teams/{teamId}',
    'teams',
    needs('teammates.manage'),
    'Delete a team',
  ),
  route(
    'createOrganization',
    'POST',
    '/v1/organizations',
    'organizations',
    user,
    'Create an organization; the caller becomes its company admin',
  ),
  route(
    'getOrganization',
    'GET',
    '/v1/organizations/{orgId}',
    'organizations',
    user,
    'An organization, its company admins and workspaces (company admins only)',
  ),
  route(
    'addCompanyAdmin',
    'POST',
    '/v1/organizations/{orgId}/admins',
    'organizations',
    user,
    'Add a company admin (company admins only)',
  ),
  route(
    'removeCompanyAdmin',
    'DELETE',
    '/v1/organizations/{orgId}/admins/{userId}',
    'organizations',
    user,
    'Remove a company admin (company admins only)',
  ),
  route(
    'attachWorkspace',
    'PUT',
    '/v1/organizations/{orgId}/workspaces/{ws}',
    'organizations',
    member,
    "Move a workspace into an organization (the workspace's Owner, also a company admin)",
  ),
  route(
    'repairOrganization',
    'POST',
    '/v1/organizations/{orgId}/repair',
    'organizations',
    user,
    'Recompute the company-admin grants (admins × workspaces): write missing ones, delete orphaned ones, report the changes (company admins only)',
  ),
  route('listInboxes', 'GET', '/v1/workspaces/{ws}/inboxes', 'inboxes', member, 'The inboxes the caller can see'),
  // Which configure permission applies depends on the inbox (public/private/personal): the handler decides.
  route(
    'createInbox',
    'POST',
    '/v1/workspaces/{ws}/inboxes',
    'inboxes',
    member,
    'Create an inbox (shared: inboxes.*.configure; personal: anyone, for themselves)',
  ),
  route(
    'updateInbox',
    'PATCH',
    '/v1/workspaces/{ws}/inboxes/{inboxId}',
    'inboxes',
    member,
    'Rename an inbox or change its visibility',
  ),
  route('deleteInbox', 'DELETE', '/v1/workspaces/{ws}/inboxes/{inboxId}', 'inboxes', member, 'Delete an inbox'),
  route(
    'setMemberInboxes',
    'PUT',
    '/v1/workspaces/{ws}/members/{memberId}/inboxes',
    'members',
    needs('inboxes.public.configure'),
    "Set a member's inboxes (private ones need inboxes.private.configure)",
  ),
  route(
    'listApiKeys',
    'GET',
    '/v1/workspaces/{ws}/api-keys',
    'api-keys',
    cleanup('apiKeys.manage'),
    'API keys (never the keys themselves); on any plan, so keys made on a plan with API keys can be reviewed',
  ),
  route(
    'createApiKey',
    'POST',
    '/v1/workspaces/{ws}/api-keys',
    'api-keys',
    needs('apiKeys.manage', 'apiKeys'),
    'Create an API key acting with a role; the key is shown once',
    { secretFields: ['key'] },
  ),
  route(
    'revokeApiKey',
    'DELETE',
    '/v1/workspaces/{ws}/api-keys/{keyId}',
    'api-keys',
    cleanup('apiKeys.manage'),
    'Revoke an API key (on any plan)',
  ),
  // Contacts (Clerk Chat): who sees them follows the workspace setting `contactsVisibility` (the service decides).
  route('listContacts', 'GET', '/v1/workspaces/{ws}/contacts', 'contacts', member, 'The contacts the caller can see'),
  route(
    'createContact',
    'POST',
    '/v1/workspaces/{ws}/contacts',
    'contacts',
    needs('contacts.update'),
    'Create a contact',
  ),
  route(
    'exportContacts',
    'GET',
    '/v1/workspaces/{ws}/contacts/export',
    'contacts',
    needs('contacts.export'),
    'The contacts the caller can see, as formula-safe CSV',
  ),
  route('getContact', 'GET', '/v1/workspaces/{ws}/contacts/{contactId}', 'contacts', member, 'Get a contact'),
  route(
    'updateContact',
    'PATCH',
    '/v1/workspaces/{ws}/contacts/{contactId}',
    'contacts',
    needs('contacts.update'),
    'Update a contact (name, email, phone, attribute values)',
  ),
  route(
    'deleteContact',
    'DELETE',
    '/v1/workspaces/{ws}/contacts/{contactId}',
    'contacts',
    needs('contacts.delete'),
    'Delete a contact (and its opt-out)',
  ),
  route(
    'blockContact',
    'POST',
    '/v1/workspaces/{ws}/contacts/{contactId}/block',
    'contacts',
    needs('contacts.block'),
    'Block a contact',
  ),
  route(
    'unblockContact',
    'DELETE',
    '/v1/workspaces/{ws}/contacts/{contactId}/block',
    'contacts',
    needs('contacts.block'),
    'Unblock a contact',
  ),
  // Workspace lists with an effect on contacts and messages.
  route(
    'getAttributes',
    'GET',
    '/v1/workspaces/{ws}/attributes',
    'lists',
    member,
    'The contact attributes of the workspace',
  ),
  route(
    'putAttributes',
    'PUT',
    '/v1/workspaces/{ws}/attributes',
    'lists',
    needs('attributes.manage'),
    'Replace the contact attributes (keys and types contact values must follow)',
  ),
  route(
    'getOptOuts',
    'GET',
    '/v1/workspaces/{ws}/opt-outs',
    'lists',
    needs('optOuts.view'),
    'Contacts who opted out of messages',
  ),
  route(
    'putOptOuts',
    'PUT',
    '/v1/workspaces/{ws}/opt-outs',
    'lists',
    needs('optOuts.manage'),
    'Replace the opt-out list (sending to an opted-out contact is a 409 opted_out)',
  ),
  route(
    'getRestrictedWords',
    'GET',
    '/v1/workspaces/{ws}/restricted-words',
    'lists',
    member,
    'Words no message may contain',
  ),
  route(
    'putRestrictedWords',
    'PUT',
    '/v1/workspaces/{ws}/restricted-words',
    'lists',
    needs('restrictedWords.manage'),
    'Replace the restricted words (a message with one, whole word, is a 422 restricted_word)',
  ),
  // Conversations (PRODUCT.md §3, §7): the permission is decided on the conversation or inbox in the handler,
  // because a member's own personal inbox is exempt from role restrictions and scopes need the resource.
  route(
    'listInboxConversations',
    'GET',
    '/v1/workspaces/{ws}/inboxes/{inboxId}/conversations',
    'conversations',
    onResource('messages.view'),
    "An inbox's conversations, newest activity first",
  ),
  route(
    'createConversation',
    'POST',
    '/v1/workspaces/{ws}/inboxes/{inboxId}/conversations',
    'conversations',
    onResource('messages.send'),
    'Start a conversation in an inbox (subject and contact optional)',
  ),
  route(
    'listAssignedConversations',
    'GET',
    '/v1/workspaces/{ws}/conversations',
    'conversations',
    needs('messages.view'),
    'Conversations assigned to the caller (?assignee=me) across inboxes, newest activity first',
  ),
  route(
    'getConversation',
    'GET',
    '/v1/workspaces/{ws}/conversations/{conversationId}',
    'conversations',
    onResource('messages.view'),
    'Get a conversation',
  ),
  route(
    'deleteConversation',
    'DELETE',
    '/v1/workspaces/{ws}/conversations/{conversationId}',
    'conversations',
    onResource('conversations.delete'),
    'Delete a conversation with its messages',
  ),
  route(
    'assignConversation',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/assign',
    'conversations',
    onResource('conversations.assign'),
    'Assign to a member who can work in the inbox, or unassign (memberId: null)',
  ),
  route(
    'archiveConversation',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/archive',
    'conversations',
    onResource('conversations.archive'),
    'Archive a conversation',
  ),
  route(
    'reopenConversation',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/reopen',
    'conversations',
    onResource('conversations.archive'),
    'Reopen an archived conversation',
  ),
  route(
    'moveConversation',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/move',
    'conversations',
    onResource('conversations.move'),
    'Move a conversation to another inbox (conversations.move on both)',
  ),
  route(
    'listMessages',
    'GET',
    '/v1/workspaces/{ws}/conversations/{conversationId}/messages',
    'conversations',
    onResource('messages.view'),
    'Messages and internal comments of a conversation (each marked kind), oldest first',
  ),
  route(
    'sendMessage',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/messages',
    'conversations',
    onResource('messages.send'),
    'Send a message to the contact (opt-outs and restricted words apply)',
  ),
  route(
    'sendComment',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/comments',
    'conversations',
    onResource('comments.send'),
    'Add an internal comment (never shown to the contact)',
  ),
  route(
    'deleteMessage',
    'DELETE',
    '/v1/workspaces/{ws}/conversations/{conversationId}/messages/{messageId}',
    'conversations',
    onResource('messages.delete'),
    'Delete one message or comment permanently',
  ),
  route(
    'listScheduledMessages',
    'GET',
    '/v1/workspaces/{ws}/conversations/{conversationId}/scheduled-messages',
    'conversations',
    onResource('scheduledMessages.manage'),
    "A conversation's scheduled messages, soonest first",
  ),
  route(
    'createScheduledMessage',
    'POST',
    '/v1/workspaces/{ws}/conversations/{conversationId}/scheduled-messages',
    'conversations',
    onResource('scheduledMessages.manage'),
    'Schedule a message (sendAt in the future, at most a year ahead)',
  ),
  route(
    'cancelScheduledMessage',
    'DELETE',
    '/v1/workspaces/{ws}/scheduled-messages/{scheduledMessageId}',
    'conversations',
    onResource('scheduledMessages.manage'),
    'Cancel a scheduled message',
  ),
  // Tags: shared ones need tags.shared.manage, a member's private ones are always theirs (the service decides).
  route('listTags', 'GET', '/v1/workspaces/{ws}/tags', 'tags', member, "Shared tags, then the caller's private tags"),
  route(
    'createTag',
    'POST',
    '/v1/workspaces/{ws}/tags',
    'tags',
    member,
    'Create a tag (shared: tags.shared.manage; private: anyone, for themselves)',
  ),
  route(
    'updateTag',
    'PATCH',
    '/v1/workspaces/{ws}/tags/{tagId}',
    'tags',
    member,
    'Rename a tag (shared: tags.shared.manage; private: its owner)',
  ),
  route(
    'deleteTag',
    'DELETE',
    '/v1/workspaces/{ws}/tags/{tagId}',
    'tags',
    member,
    'Delete a tag (shared: tags.shared.manage; private: its owner)',
  ),
  route(
    'getConversationTags',
    'GET',
    '/v1/workspaces/{ws}/conversations/{conversationId}/tags',
    'tags',
    member,
    "A conversation's tags the caller sees (messages.view on the conversation)",
  ),
  route(
    'setConversationTags',
    'PUT',
    '/v1/workspaces/{ws}/conversations/{conversationId}/tags',
    'tags',
    needs('tags.apply'),
    "Set the conversation's tags the caller sees (other members' private tags stay)",
  ),
  route(
    'getAnalytics',
    'GET',
    '/v1/workspaces/{ws}/analytics',
    'analytics',
    needs('analytics.view', 'analytics'),
    'Counts from the table for a window (?from=&to=, UTC days): conversations per inbox, messages per member, members per role',
  ),
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];
export type Area = (typeof routes)[number]['fn'];
/** The ids of the routes one Lambda (area) serves. */
export type RouteIdOf<A extends Area> = Extract<(typeof routes)[number], { fn: A }>['id'];

/** `${method} ${path}` → route, as API Gateway reports them in `httpMethod` and `resource`. */
const ROUTE_BY_RESOURCE: ReadonlyMap<string, RouteDef> = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));

export function routeFor(method: string, resource: string): RouteDef | undefined {
  return ROUTE_BY_RESOURCE.get(`${method} ${resource}`);
}
