import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import { createRole, deleteRole, getRoleView, listRoles, updateRole } from '../../shared/roles/service';

export const handler = areaHandler('roles', {
  listRoles: async ({ access, query }) => ok(await listRoles(await access(), query)),
  getRole: async ({ access, params }) => ok(await getRoleView(await access(), params.roleId)),
  createRole: async ({ access, body }) => created(await createRole(await access(), body)),
  updateRole: async ({ access, params, body }) => ok(await updateRole(await access(), params.roleId, body)),
  deleteRole: async ({ access, params, query }) => {
    await deleteRole(await access(), params.roleId, query.reassignTo);
    return noContent();
  },
});
