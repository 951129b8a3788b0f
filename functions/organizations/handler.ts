import { organizations } from '../../shared/api/areas/organizations';
import { Unauthenticated } from '../../shared/errors';
import type { Caller } from '../../shared/http/caller';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import {
  addCompanyAdmin,
  attachWorkspace,
  createOrganization,
  getOrganization,
  removeCompanyAdmin,
  repairOrganization,
} from '../../shared/organizations/service';

const userOf = (caller: Caller) => {
  if (!caller.userId) throw new Unauthenticated();
  return { userId: caller.userId, email: caller.email };
};

export const handler = areaHandler('organizations', organizations, {
  createOrganization: async ({ caller, body }) => created(await createOrganization(userOf(caller), body)),
  getOrganization: async ({ caller, params }) => ok(await getOrganization(userOf(caller), params.orgId)),
  addCompanyAdmin: async ({ caller, params, body }) =>
    created(await addCompanyAdmin(userOf(caller), params.orgId, body)),
  removeCompanyAdmin: async ({ caller, params }) => {
    await removeCompanyAdmin(userOf(caller), params.orgId, params.userId);
    return noContent();
  },
  attachWorkspace: async ({ access, params }) => ok(await attachWorkspace(await access(), params.orgId)),
  repairOrganization: async ({ caller, params }) => ok(await repairOrganization(userOf(caller), params.orgId)),
});
