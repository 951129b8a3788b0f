import type { AccessRequest } from '../../shared/access-requests/schema';
import {
  approveAccessRequest,
  createAccessRequest,
  denyAccessRequest,
  listAccessRequests,
  openRequest,
} from '../../shared/access-requests/service';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';
import { setMemberInboxes } from '../../shared/inboxes/service';
import { invite } from '../../shared/invitations/service';
import { addGrant, grantSet, removeGrant } from '../../shared/members/grants';
import { changeRole, getMember, listMembers, removeMember, transferOwnership } from '../../shared/members/service';
import { deactivateMember, reactivateMember } from '../../shared/members/status';

export const handler = areaHandler('members', {
  listMembers: async ({ access, query }) => ok(await listMembers(await access(), query)),
  getMember: async ({ access, params }) => ok(await getMember(await access(), params.memberId)),
  updateMember: async ({ access, params, body }) => {
    const done = await changeRole(await access(), params.memberId, body.roleId, body.until);
    return 'pending' in done ? accepted(done.pending) : ok(done);
  },
  removeMember: async ({ access, params }) => {
    await removeMember(await access(), params.memberId);
    return noContent();
  },
  deactivateMember: async ({ access, params }) => ok(await deactivateMember(await access(), params.memberId)),
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
    return ok(await approveAccessRequest(a, params.requestId, (input, also) => invite(a, input, { also })));
  },
  denyAccessRequest: async ({ access, params }) => ok(await denyAccessRequest(await access(), params.requestId)),
  deleteMemberGrant: async ({ access, params }) => {
    await removeGrant(await access(), params.memberId, params.grantId);
    return noContent();
  },
  transferOwnership: async ({ access, body }) => ok(await transferOwnership(await access(), body.memberId)),
  setMemberInboxes: async ({ access, params, body }) =>
    ok(await setMemberInboxes(await access(), params.memberId, body.inboxIds)),
});
