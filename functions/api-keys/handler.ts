import type { AccessRequest } from '../../shared/access-requests/schema';
import { keyApproval, openChangeRequest } from '../../shared/access-requests/service';
import { apiKeys } from '../../shared/api/areas/api-keys';
import { createApiKey, listApiKeys, revokeApiKey } from '../../shared/api-keys/service';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';

export const handler = areaHandler('api-keys', apiKeys, {
  listApiKeys: async ({ access, query }) => ok(await listApiKeys(await access(), query)),
  createApiKey: async ({ access, body }) => {
    const a = await access();
    const done = await createApiKey(a, body, {
      toRequest: (change) => openChangeRequest(a, change),
      approval: (roleId) => keyApproval(a, roleId),
    });
    return 'pending' in done ? accepted(done.pending as AccessRequest) : created(done);
  },
  revokeApiKey: async ({ access, params }) => {
    await revokeApiKey(await access(), params.keyId);
    return noContent();
  },
});
