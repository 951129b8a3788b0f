import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import { createScimToken, listScimTokens, revokeScimToken } from '../../shared/scim/tokens';

export const handler = areaHandler('scim-tokens', {
  listScimTokens: async ({ access, query }) => ok(await listScimTokens(await access(), query)),
  createScimToken: async ({ access, body }) => created(await createScimToken(await access(), body)),
  revokeScimToken: async ({ access, params }) => {
    await revokeScimToken(await access(), params.tokenId);
    return noContent();
  },
});
