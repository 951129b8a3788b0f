import type { AccessRequest } from '../../shared/access-requests/schema';
import { openChangeRequest } from '../../shared/access-requests/service';
import { workspaces } from '../../shared/api/areas/workspaces';
import { conversationReleases } from '../../shared/conversations/releases';
import { Unauthenticated } from '../../shared/errors';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, ok } from '../../shared/http/responses';
import { bindProvisionedMembers } from '../../shared/scim/bind';
import { changePlan } from '../../shared/workspaces/plan-change';
import {
  createWorkspace,
  getMe,
  getWorkspace,
  listOwnWorkspaces,
  updateWorkspace,
} from '../../shared/workspaces/service';

export const handler = areaHandler('workspaces', workspaces, {
  listOwnWorkspaces: async ({ caller, query }) => {
    if (!caller.userId) throw new Unauthenticated();
    // Sign-in: members provisioned through SCIM for this verified email become this user's (shared/scim/bind.ts).
    await bindProvisionedMembers({
      userId: caller.userId,
      email: caller.email,
      emailVerified: caller.emailVerified,
      signIn: caller.signIn,
    });
    return ok(await listOwnWorkspaces(caller.userId, query));
  },
  createWorkspace: async ({ caller, body }) => {
    if (!caller.userId) throw new Unauthenticated();
    return created(
      await createWorkspace({ userId: caller.userId, email: caller.email, emailVerified: caller.emailVerified }, body),
    );
  },
  getWorkspace: async ({ params }) => ok(await getWorkspace(params.ws)),
  updateWorkspace: async ({ access, body }) => {
    const a = await access();
    const done = await updateWorkspace(a, body, { toRequest: (change) => openChangeRequest(a, change) });
    return 'pending' in done ? accepted(done.pending as AccessRequest) : ok(done);
  },
  getMe: async ({ access }) => ok(await getMe(await access())),
  changePlan: async ({ access, body }) => {
    const a = await access();
    const done = await changePlan(a, body.plan, {
      releases: conversationReleases,
      toRequest: (change) => openChangeRequest(a, change),
    });
    return 'pending' in done ? accepted(done.pending as AccessRequest) : ok(done);
  },
});
