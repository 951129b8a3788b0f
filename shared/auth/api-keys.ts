import { createHash } from 'node:crypto';

export const API_KEY_PREFIX = 'ak_';

/** API keys are stored only as their SHA-256; the item is keyed by it so the authorizer finds it in the batch. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export const apiKeyItemKey = (keyHash: string) => ({ PK: `APIKEY#${keyHash}`, SK: 'APIKEY' });
