import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

export const API_KEY_PREFIX = 'ak_';

/** API keys are stored only as their SHA-256; the item is keyed by it so the authorizer finds it in the batch. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export const apiKeyItemKey = (keyHash: string) => ({ PK: `APIKEY#${keyHash}`, SK: 'APIKEY' });

/** The lookup item the authorizer reads by the key's hash (`zod/mini`: the authorizer bundle stays small). */
export const ApiKeyLookup = z.object({
  workspaceId: z.string(),
  keyId: z.string(),
  roleId: z.string(),
  /** `apikey_<keyId>`: who the key acts as. */
  memberId: z.string(),
  /** The member the key answers to (see `ApiKeyRecord`). */
  ownerMemberId: z.optional(z.string()),
  revoked: z.optional(z.boolean()),
  /** Set when the member it answers to is deactivated (never cleared: reactivation does not revive keys). */
  suspended: z.optional(z.boolean()),
});
export type ApiKeyLookup = z.output<typeof ApiKeyLookup>;
