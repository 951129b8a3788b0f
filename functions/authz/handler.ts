import { authz } from '../../shared/api/areas/authz';
import { checkAuthz } from '../../shared/authz/service';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('authz', authz, {
  checkAuthz: async ({ access, body }) => ok(await checkAuthz(await access(), body)),
});
