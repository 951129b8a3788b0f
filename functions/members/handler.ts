import { areaHandler } from '../../shared/http/middleware';
import { noContent, ok } from '../../shared/http/responses';
import { setMemberInboxes } from '../../shared/inboxes/service';
import { changeRole, getMember, listMembers, removeMember, transferOwnership } from '../../shared/members/service';

export const handler = areaHandler('members', {
  listMembers: async ({ access, query }) => ok(await listMembers(await access(), query)),
  getMember: async ({ access, params }) => ok(await getMember(await access(), params.memberId)),
  updateMember: async ({ access, params, body }) => ok(await changeRole(await access(), params.memberId, body.roleId)),
  removeMember: async ({ access, params }) => {
    await removeMember(await access(), params.memberId);
    return noContent();
  },
  transferOwnership: async ({ access, body }) => ok(await transferOwnership(await access(), body.memberId)),
  setMemberInboxes: async ({ access, params, body }) =>
    ok(await setMemberInboxes(await access(), params.memberId, body.inboxIds)),
});
