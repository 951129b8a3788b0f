// Who a decision is about: the caller's standing in a workspace, as the access loader (shared/auth/access.ts)
// builds it. Types and constants only, so the services that read an `Access` do not depend on the loader,
// which imports the keys and records of nine domains.

import type { PermissionSet } from './permissions/catalog';
import type { EffectiveGrants } from './permissions/effective';
import type { Plan } from './permissions/plans';
import type { WorkspaceRecord } from './table/workspaces/record';

/** The role id a company admin without a membership acts under (not a role anyone can be given). */
export const COMPANY_ADMIN_ROLE = 'companyAdmin';

export type Principal = { type: 'user'; userId: string } | { type: 'apiKey'; keyHash: string };

/**
 * Who acts, whatever the credential: the ONE place every rule about "oneself" reads (no self-grant, no own role
 * change, not oneself for deactivation, requester ≠ approver: `isSelf` in shared/grants/guard.ts). A member's own
 * API key is that member; a company admin's key is that admin; a workspace credential (a SCIM token) is nobody.
 */
export interface Actor {
  credential: 'member' | 'companyAdmin' | 'apiKey' | 'scim';
  /** The person (user) behind the credential; null for a credential of the workspace. */
  userId: string | null;
  /** That person's member id here when the credential acts through a membership (a member, a member's key). */
  memberId: string | null;
}

export interface Access {
  workspace: WorkspaceRecord;
  memberId: string;
  roleId: string;
  userId: string | null;
  email: string | null;
  permissions: PermissionSet;
  plan: Plan;
  /** `scim`: a SCIM token of the workspace (no person; `memberId` is `scimtoken_<id>`, `scimTokenId` the token). */
  source: 'app' | 'apiKey' | 'scim';
  scimTokenId?: string;
  /** The person behind the credential (`memberId` above is the credential's own id: `apikey_…` for a key). */
  actor: Actor;
  /** A company admin of the workspace's organization: full access, exempt from custom roles. */
  companyAdmin: boolean;
  /** A company admin's grant's `adminSince` (its tenure), recorded on the API keys it makes. */
  companyAdminSince?: string;
  /**
   * Time-bound grants in force at decision time (members only): a role until a time, extra permission sets.
   * `permissions` already includes them; `expiresAt` is the nearest instant one of them stops counting.
   */
  grants?: EffectiveGrants;
}
