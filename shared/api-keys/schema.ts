import * as z from 'zod';
import { DisplayName } from '../text/display-name';

export const CreateApiKeyBody = z.strictObject({ name: DisplayName.max(60), roleId: z.string().min(1).max(64) });
export const ApiKeyParams = z.object({ ws: z.string().min(1).max(64), keyId: z.string().min(1).max(64) });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    roleId: z.string(),
    /** The first characters of the key, to recognise it; the key itself is shown once, at creation. */
    prefix: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    /** The member it answers to was deactivated: the key no longer works (revoke it; it is not revived). */
    suspended: z.boolean().optional(),
    /**
     * Why it is suspended: its member was deactivated (stored, never revived), or the company admin who made it
     * no longer holds the organization's grant for this workspace (decided on each request from the grant).
     */
    suspendedReason: z.enum(['member deactivated', 'owner no longer a company admin']).optional(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;
export const ApiKeyList = z
  .object({ items: z.array(ApiKey), nextCursor: z.string().nullable() })
  .meta({ id: 'ApiKeyList' });
export const CreatedApiKey = ApiKey.extend({
  key: z.string().optional().describe('The key, shown once: absent when an Idempotency-Key retry replays the answer'),
  secretsWithheld: z.array(z.string()).optional().describe('On a replay: the secret fields left out (["key"])'),
}).meta({ id: 'CreatedApiKey' });
