// What one run of the grant sweep reports; each pass (grant-expiry.ts, release-pass.ts) adds to it.

export interface GrantSweepReport {
  checked: number;
  expired: number;
  rolesReverted: number;
  /**
   * Conversations a release pass unassigned: still assigned to a deactivated or removed member, or to a member who
   * lost the inbox and cannot work in it now.
   */
  assignmentsReleased: number;
  failed: number;
  failures: { workspaceId: string; memberId: string; error: string }[];
}
