// settings.scim of a workspace (PRODUCT.md §12): where roles come from. Defaults when absent: roles from the
// identity provider, no group mapping, `member`.
import type { WorkspaceRecord } from '../workspaces/record';

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
