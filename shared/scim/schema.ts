// The API contract of SCIM tokens (this API's conventions), and the loose shapes the OpenAPI document shows for
// the SCIM 2.0 routes (they speak SCIM: RFC 7643/7644 resources, validated by shared/scim/resources.ts).
import * as z from 'zod';
import { DisplayName } from '../text/display-name';

export const CreateScimTokenBody = z.strictObject({
  name: DisplayName.max(60),
  maxRoleId: z.string().min(1).max(64),
});
export const ScimTokenParams = z.object({ ws: z.string().min(1).max(64), tokenId: z.string().min(1).max(64) });

export const ScimToken = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The highest role the identity provider may give through this token. */
    maxRoleId: z.string(),
    /** The first characters of the token, to recognise it; the token itself is shown once, at creation. */
    prefix: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'ScimToken' });
export const ScimTokenList = z
  .object({ items: z.array(ScimToken), nextCursor: z.string().nullable() })
  .meta({ id: 'ScimTokenList' });
export const CreatedScimToken = ScimToken.extend({
  token: z
    .string()
    .optional()
    .describe('The token (scim_…), shown once: absent when an Idempotency-Key retry replays the answer'),
  secretsWithheld: z.array(z.string()).optional().describe('On a replay: the secret fields left out (["token"])'),
}).meta({ id: 'CreatedScimToken' });

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
