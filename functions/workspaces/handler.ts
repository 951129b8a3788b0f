import { Unauthenticated } from '../../shared/errors';
import { areaHandler } from '../../shared/http/middleware';
import { created, ok } from '../../shared/http/responses';
import { changePlan } from '../../shared/plans/service';
import {
  createWorkspace,
  getMe,
  getWorkspace,
  listOwnWorkspaces,
  updateWorkspace,
} from '../../shared/workspaces/service';

export const handler = areaHandler('workspaces', {
  listOwnWorkspaces: async ({ caller, query }) => {
    if (!caller.userId) throw new Unauthenticated();
    return ok(await listOwnWorkspaces(caller.userId, query));
  },
  createWorkspace: async ({ caller, body }) => {
    if (!caller.userId) throw new Unauthenticated();
    return created(
      await createWorkspace({ userId: caller.userId, email: caller.email, emailVerified: caller.emailVerified }, body),
    );
  },
  getWorkspace: async ({ params }) => ok(await getWorkspace(params.ws)),
  updateWorkspace: async ({ access, body }) => ok(await updateWorkspace(await access(), body)),
  getMe: async ({ access }) => ok(await getMe(await access())),
  changePlan: async ({ access, body }) => ok(await changePlan(await access(), body.plan)),
});
