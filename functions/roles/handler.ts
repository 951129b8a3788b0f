import type { AccessRequest } from '../../shared/access-requests/schema';
import { openChangeRequest } from '../../shared/access-requests/service';
import { roles } from '../../shared/api/areas/roles';
import { conversationReleases } from '../../shared/conversations/releases';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';
import { createRole, deleteRole, getRoleView, listRoles, updateRole } from '../../shared/roles/service';

export const handler = areaHandler('roles', roles, {
  listRoles: async ({ access, query }) => ok(await listRoles(await access(), query)),
  getRole: async ({ access, params }) => ok(await getRoleView(await access(), params.roleId)),
  createRole: async ({ access, body }) => created(await createRole(await access(), body)),
  updateRole: async ({ access, params, body }) => {
    const a = await access();
    const done = await updateRole(a, params.roleId, body, {
      releases: conversationReleases,
      toRequest: (change) => openChangeRequest(a, change),
    });
    return 'pending' in done ? accepted(done.pending as AccessRequest) : ok(done);
  },
  deleteRole: async ({ access, params, query }) => {
    const a = await access();
    const done = await deleteRole(a, params.roleId, query.reassignTo, {
      releases: conversationReleases,
      toRequest: (change) => openChangeRequest(a, change),
    });
    return done ? accepted(done.pending as AccessRequest) : noContent();
  },
});
