import { createApiKey, listApiKeys, revokeApiKey } from '../../shared/api-keys/service';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';

export const handler = areaHandler('api-keys', {
  listApiKeys: async ({ access, query }) => ok(await listApiKeys(await access(), query)),
  createApiKey: async ({ access, body }) => created(await createApiKey(await access(), body)),
  revokeApiKey: async ({ access, params }) => {
    await revokeApiKey(await access(), params.keyId);
    return noContent();
  },
});
