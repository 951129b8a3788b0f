// The loose shapes the OpenAPI document shows for the SCIM 2.0 routes (they speak SCIM: RFC 7643/7644 resources,
// validated by shared/scim/resources.ts). The SCIM tokens' API contract is token-schema.ts: each Lambda builds its own.
import * as z from 'zod';

const ws = z.string().min(1).max(64);
export const ScimWsParams = z.object({ ws });
export const ScimUserParams = z.object({ ws, userId: z.string().min(1).max(64) });
export const ScimGroupParams = z.object({ ws, groupId: z.string().min(1).max(64) });
export const ScimListQuery = z.object({
  filter: z.string().max(1000).optional(),
  startIndex: z.string().optional(),
  count: z.string().optional(),
  excludedAttributes: z.string().optional(),
  attributes: z.string().optional(),
});
/** A SCIM resource or message (application/scim+json); the routes' own validation is SCIM's (400 invalidValue). */
export const ScimBody = z.record(z.string(), z.unknown()).meta({ id: 'ScimResource' });

export const ScimErrorResponse = z
  .object({
    schemas: z.array(z.literal('urn:ietf:params:scim:api:messages:2.0:Error')),
    status: z.string(),
    scimType: z.string().optional(),
    detail: z.string(),
  })
  .meta({ id: 'ScimError' });
