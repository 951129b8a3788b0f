import type { Access } from '../../shared/access';
import type { AccessRequest } from '../../shared/access-requests/schema';
import {
  approveAccessRequest,
  createAccessRequest,
  denyAccessRequest,
  listAccessRequests,
  openRequest,
} from '../../shared/access-requests/service';
import { members } from '../../shared/api/areas/members';
import type { ChangeRequest } from '../../shared/change-request';
import { conversationReleases } from '../../shared/conversations/releases';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';
import { setMemberInboxes } from '../../shared/inboxes/service';
import { invite } from '../../shared/invitations/service';
import { addGrant, grantSet, removeGrant } from '../../shared/members/grants';
import { changeRole, getMember, listMembers, removeMember, transferOwnership } from '../../shared/members/service';
import { deactivateMember, reactivateMember } from '../../shared/members/status';
import { ChangePlanBody } from '../../shared/plans/schema';
import { UpdateRoleBody } from '../../shared/roles/schema';
import { deleteRole, updateRole } from '../../shared/roles/service';
import { changePlan } from '../../shared/workspaces/plan-change';
import { UpdateWorkspaceBody } from '../../shared/workspaces/schema';
import { updateWorkspace } from '../../shared/workspaces/service';

/** A change request's change, made as the approver (its body parsed again as its route parses it). */
function makeChange(a: Access, change: ChangeRequest): Promise<unknown> {
  switch (change.action) {
    case 'role.update':
      return updateRole(a, change.roleId ?? '', UpdateRoleBody.parse(change.body ?? {}), {
        releases: conversationReleases,
      });
    case 'role.delete':
      return deleteRole(a, change.roleId ?? '', change.reassignTo, { releases: conversationReleases });
    case 'workspace.update':
      return updateWorkspace(a, UpdateWorkspaceBody.parse(change.body ?? {}));
    case 'plan.change':
      return changePlan(a, ChangePlanBody.parse(change.body ?? {}).plan, { releases: conversationReleases });
    case 'apiKey.create':
    case 'scimToken.create':
      return Promise.resolve(undefined);
  }
}

export const handler = areaHandler('members', members, {
  listMembers: async ({ access, query }) => ok(await listMembers(await access(), query)),
  getMember: async ({ access, params }) => ok(await getMember(await access(), params.memberId)),
  updateMember: async ({ access, params, body }) => {
    const a = await access();
    const done = await changeRole(
      a,
      params.memberId,
      body.roleId,
      body.until,
      (spec) => openRequest(a, params.memberId, spec),
      conversationReleases,
    );
    return 'pending' in done ? accepted(done.pending) : ok(done);
  },
  removeMember: async ({ access, params }) => {
    await removeMember(await access(), params.memberId, conversationReleases);
    return noContent();
  },
  deactivateMember: async ({ access, params }) =>
    ok(await deactivateMember(await access(), params.memberId, conversationReleases)),
  reactivateMember: async ({ access, params }) => ok(await reactivateMember(await access(), params.memberId)),
  createMemberGrant: async ({ access, params, body }) => {
    const a = await access();
    const done = await addGrant(a, params.memberId, { ...body, permissions: grantSet(body.permissions) }, (spec) =>
      openRequest(a, params.memberId, spec),
    );
    return 'pending' in done ? accepted(done.pending as AccessRequest) : created(done);
  },
  listAccessRequests: async ({ access, query }) => ok(await listAccessRequests(await access(), query)),
  createAccessRequest: async ({ access, body }) =>
    created(
      await createAccessRequest(await access(), {
        ...body,
        ...(body.permissions ? { permissions: grantSet(body.permissions) } : {}),
      }),
    ),
  approveAccessRequest: async ({ access, params }) => {
    const a = await access();
    // An approved invitation request is sent as the approver, closing the request in its transaction.
    // An approved change is made as the approver, through its own path (no request asked again).
    return ok(
      await approveAccessRequest(
        a,
        params.requestId,
        conversationReleases,
        (input, also) => invite(a, input, { also }),
        (change) => makeChange(a, change),
      ),
    );
  },
  denyAccessRequest: async ({ access, params }) => ok(await denyAccessRequest(await access(), params.requestId)),
  deleteMemberGrant: async ({ access, params }) => {
    await removeGrant(await access(), params.memberId, params.grantId, conversationReleases);
    return noContent();
  },
  transferOwnership: async ({ access, body }) =>
    ok(await transferOwnership(await access(), body.memberId, conversationReleases)),
  setMemberInboxes: async ({ access, params, body }) =>
    ok(await setMemberInboxes(await access(), params.memberId, body.inboxIds, conversationReleases)),
});
