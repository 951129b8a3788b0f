import { createHash } from 'node:crypto';

export const API_KEY_PREFIX = 'ak_';

/** API keys are stored only as their SHA-256; the lookup item is keyed by it (see api-keys/keys.ts). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
