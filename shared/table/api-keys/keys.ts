// An API key is two items: the lookup the authorizer reads by the key's SHA-256 (it has nothing else to find the
// key by), and the workspace's record of it (listing, revoking, AuthZEN's `api_key` subjects). Pure key builders:
// the authorizer's loader imports them too.
import { wsPk } from '../workspaces/keys';

export const APIKEY_PREFIX = 'APIKEY#';
/** The workspace's record of a key. */
export const apiKeyRecordKey = (wsId: string, keyId: string) => ({ PK: wsPk(wsId), SK: `${APIKEY_PREFIX}${keyId}` });
/** The lookup item, keyed by the key's hash so the authorizer finds it in its one batch. */
export const apiKeyItemKey = (keyHash: string) => ({ PK: `${APIKEY_PREFIX}${keyHash}`, SK: 'APIKEY' });
