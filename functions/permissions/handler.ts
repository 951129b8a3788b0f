import { permissions } from '../../shared/api/areas/permissions';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { catalogView } from '../../shared/permissions/service';

export const handler = areaHandler('permissions', permissions, {
  listPermissions: async () => ok(catalogView()),
});
