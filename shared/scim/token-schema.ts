// The API contract of SCIM tokens (this API's conventions; the scim-tokens Lambda). The SCIM 2.0 routes' shapes are
// schema.ts: each Lambda builds only its own.
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
