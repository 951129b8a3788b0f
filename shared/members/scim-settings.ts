// settings.scim of a workspace (PRODUCT.md §12): where roles come from. Defaults when absent: roles from the
// identity provider, no group mapping, `member`.
// It lives with the members because what it decides is a member's standing (who may change a provisioned
// member's role or status); SCIM, the workspaces' settings and access requests read it from here.
import type { Access } from '../access';
import { ManagedByScim } from '../errors';
import type { WorkspaceRecord } from '../table/workspaces/record';

export interface ScimSettings {
  rolesFrom: 'idp' | 'app';
  /** Ordered: the first group of the user that matches gives its role. */
  groupRoles: { group: string; roleId: string }[];
  defaultRoleId: string;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = { rolesFrom: 'idp', groupRoles: [], defaultRoleId: 'member' };

export function scimSettingsOf(ws: Pick<WorkspaceRecord, 'settings'>): ScimSettings {
  const s = (ws.settings as { scim?: Partial<ScimSettings> }).scim;
  return {
    rolesFrom: s?.rolesFrom ?? DEFAULT_SCIM_SETTINGS.rolesFrom,
    groupRoles: s?.groupRoles ?? [],
    defaultRoleId: s?.defaultRoleId ?? DEFAULT_SCIM_SETTINGS.defaultRoleId,
  };
}

/**
 * A provisioned member's standing is the identity provider's: whether it is active or present at all always, its
 * role while rolesFrom is idp. Every path but SCIM's answers 409 managed_by_scim: a role change or an approved role
 * request (`role`), deactivation, reactivation and removal (`status`).
 */
export function assertNotManagedByScim(
  access: Pick<Access, 'source' | 'workspace'>,
  target: { managedBy?: string | undefined },
  what: 'role' | 'status',
): void {
  if (target.managedBy !== 'scim' || access.source === 'scim') return;
  if (what === 'role' && scimSettingsOf(access.workspace).rolesFrom !== 'idp') return;
  throw new ManagedByScim(what === 'role' ? "This member's role" : 'This member');
}
