import type { AccessRequest } from '../../shared/access-requests/schema';
import { keyApproval, openChangeRequest } from '../../shared/access-requests/service';
import { scimTokens } from '../../shared/api/areas/scim-tokens';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';
import { createScimToken, listScimTokens, revokeScimToken } from '../../shared/scim/tokens';

export const handler = areaHandler('scim-tokens', scimTokens, {
  listScimTokens: async ({ access, query }) => ok(await listScimTokens(await access(), query)),
  createScimToken: async ({ access, body }) => {
    const a = await access();
    const done = await createScimToken(a, body, {
      toRequest: (change) => openChangeRequest(a, change),
      approval: (roleId) => keyApproval(a, roleId, 'scimToken.create'),
    });
    return 'pending' in done ? accepted(done.pending as AccessRequest) : created(done);
  },
  revokeScimToken: async ({ access, params }) => {
    await revokeScimToken(await access(), params.tokenId);
    return noContent();
  },
});
