// The two items of an API key as stored (see keys.ts), parsed with these schemas wherever they are read: the
// repository, AuthZEN and the access review, and the authorizer's loader for the lookup. `zod/mini`: the
// authorizer bundle stays small.
import * as z from 'zod/mini';

/**
 * `ownerMemberId` of a key a company admin made (or made by such a key): `cadmin_<userId>`. Such a key works
 * only while that user holds the organization's grant for the workspace (the access loader checks it).
 */
export const COMPANY_ADMIN_OWNER_PREFIX = 'cadmin_';

/** The workspace's record of a key. The key itself is never stored, only its hash. */
export const ApiKeyRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  roleId: z.string(),
  prefix: z.string(),
  keyHash: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /**
   * The member the key answers to: its creator, or the member behind the key that created it (absent for
   * keys a company admin made, and for keys made before owners were recorded: see `keyOwner`). Deactivating
   * that member suspends the key.
   */
  ownerMemberId: z.optional(z.string()),
  /** For a company admin's key: the `adminSince` of the grant it was made under (absent on grants that predate it). */
  ownerAdminSince: z.optional(z.string()),
  /** Set (on the record and the lookup) when the member it answers to is deactivated; never cleared. */
  suspended: z.optional(z.boolean()),
});
export type ApiKeyRecord = z.output<typeof ApiKeyRecord>;

/** The lookup item the authorizer reads by the key's hash: what a decision needs, copied from the record. */
export const ApiKeyLookup = z.object({
  workspaceId: z.string(),
  keyId: z.string(),
  roleId: z.string(),
  /** `apikey_<keyId>`: who the key acts as. */
  memberId: z.string(),
  /** The member the key answers to (see `ApiKeyRecord`). */
  ownerMemberId: z.optional(z.string()),
  /** See `ApiKeyRecord`: the key works only under a grant of that same admin tenure. */
  ownerAdminSince: z.optional(z.string()),
  revoked: z.optional(z.boolean()),
  /** Set when the member it answers to is deactivated (never cleared: reactivation does not revive keys). */
  suspended: z.optional(z.boolean()),
});
export type ApiKeyLookup = z.output<typeof ApiKeyLookup>;
