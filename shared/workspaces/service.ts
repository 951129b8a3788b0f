import { type Access, COMPANY_ADMIN_ROLE } from '../access';
import type { ChangeRequest } from '../change-request';
import { nowMs } from '../clock';
import { Forbidden, InvalidRequest, type Issue, NotFound } from '../errors';
import {
  assertMayAssign,
  assertMayChangeGuardrails,
  assertMayGrant,
  needsApproval,
  settingsGrant,
  settingsGranted,
} from '../grants/guard';
import { newId } from '../ids';
import { getMember } from '../members/repository';
import type { Member } from '../members/schema';
import { type ScimSettings, scimSettingsOf } from '../members/scim-settings';
import { isPermission } from '../permissions/catalog';
import { effectiveGrants } from '../permissions/effective';
import { DEFAULT_PLAN_ID, planById } from '../permissions/plans';
import { builtinRole, isBuiltinRoleId } from '../permissions/roles';
import { getPlanCatalog } from '../plans/repository';
import { getRole } from '../roles/repository';
import { auditItem } from '../table/audit/entry';
import {
  listOwnWorkspaces as listOwn,
  createWorkspace as putWorkspace,
  getWorkspace as readWorkspace,
  type WorkspaceRecord,
  updateWorkspace as writeWorkspace,
} from './repository';
import {
  type CreateWorkspaceBody,
  DEFAULT_SETTINGS,
  type OwnWorkspace,
  type UpdateWorkspaceBody,
  type Workspace,
} from './schema';

export function toWorkspace(ws: WorkspaceRecord): Workspace {
  return { id: ws.id, name: ws.name, plan: ws.planId, settings: ws.settings, createdAt: ws.createdAt };
}

export async function createWorkspace(
  user: { userId: string; email: string | null; emailVerified: boolean },
  input: CreateWorkspaceBody,
): Promise<{ workspace: Workspace; member: Member }> {
  const planId = input.plan ?? DEFAULT_PLAN_ID;
  const catalog = await getPlanCatalog();
  if (!planById(catalog, planId)) {
    throw new InvalidRequest('Unknown plan', [{ path: 'body.plan', message: `No plan "${planId}"` }]);
  }
  const now = new Date().toISOString();
  const ws: WorkspaceRecord = {
    id: newId('ws'),
    name: input.name,
    planId,
    settings: { ...DEFAULT_SETTINGS },
    createdAt: now,
    updatedAt: now,
    version: 1,
    rolesVersion: 0,
    customRoleCount: 0,
  };
  const owner: Member = {
    id: newId('mem'),
    userId: user.userId,
    // Only a verified email is the member's: an unverified one is not stored, so it neither claims the
    // workspace's email lock nor shows as the inviter in invitation emails.
    email: user.emailVerified && user.email ? user.email : '',
    roleId: 'owner',
    inboxIds: [],
    teamIds: [],
    joinedAt: now,
  };
  const audit = auditItem({
    workspaceId: ws.id,
    actor: { memberId: owner.id, userId: user.userId, source: 'app' },
    action: 'workspace.create',
    target: { type: 'workspace', id: ws.id },
    before: null,
    after: toWorkspace(ws),
  });
  await putWorkspace(ws, owner, [audit]);
  return { workspace: toWorkspace(ws), member: owner };
}

/**
 * The caller's own workspaces, as member (deactivated ones included, with their status) or as company admin of
 * their organization: the console's list after sign-in. Only the caller's own pointers are read, so nobody else's
 * workspace can appear.
 */
export async function listOwnWorkspaces(
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: OwnWorkspace[]; nextCursor: string | null }> {
  const at = nowMs();
  const found = await listOwn(userId, page);
  return {
    items: found.items.map(({ workspace, membership }) => ({
      id: workspace.id,
      name: workspace.name,
      plan: workspace.planId,
      roleId: membership ? effectiveGrants(membership, at).roleId : COMPANY_ADMIN_ROLE,
      status: membership?.status === 'deactivated' ? 'deactivated' : 'active',
    })),
    nextCursor: found.nextCursor,
  };
}

export async function getWorkspace(wsId: string): Promise<Workspace> {
  const ws = await readWorkspace(wsId);
  if (!ws) throw new NotFound('Workspace');
  return toWorkspace(ws);
}

/** `access` was loaded fresh by the handler's re-check, so `access.workspace` is the current version. */
export async function updateWorkspace(
  access: Access,
  input: UpdateWorkspaceBody,
  options: { toRequest?: (change: ChangeRequest) => Promise<unknown> } = {},
): Promise<Workspace | { pending: unknown }> {
  const before = access.workspace;
  const next: WorkspaceRecord = {
    ...before,
    name: input.name ?? before.name,
    settings: {
      ...before.settings,
      ...(stripUndefined({ ...input.settings, scim: undefined }) as Partial<WorkspaceRecord['settings']>),
      ...(input.settings?.scim
        ? { scim: { ...scimSettingsOf(before), ...stripUndefined(input.settings.scim) } as ScimSettings }
        : {}),
    },
    updatedAt: new Date().toISOString(),
    version: before.version + 1,
  };
  // A setting that changes a built-in role (agentsCanManageAttributes) grants or takes a permission from
  // every holder of that role: it is a grant by this actor like any other.
  assertMayGrant(access, settingsGrant(before.settings, next.settings), 'changing a setting that changes a role');
  assertMayChangeGuardrails(access, before.settings, next.settings);
  if (input.settings?.scim) await assertMayConfigureScim(access, input.settings.scim);
  // requireApprovalFor: what the settings give holders of built-in roles is a grant (checked above as the caller's).
  if (options.toRequest && needsApproval(access, settingsGranted(before.settings, next.settings))) {
    return { pending: await options.toRequest({ action: 'workspace.update', body: { ...input } }) };
  }
  const listed = input.settings?.requireApprovalFor;
  const approvalsChanged =
    listed !== undefined && JSON.stringify(listed) !== JSON.stringify(before.settings.requireApprovalFor ?? []);
  // The roles settings.scim names: a change is conditioned on the roles as read and moves their version on, as
  // requireApprovalFor's, so a role deletion decided before it (it found the role unnamed) fails (roles/service).
  const scimRoles = (s: WorkspaceRecord['settings']) => {
    const { defaultRoleId, groupRoles } = scimSettingsOf({ settings: s });
    return JSON.stringify([defaultRoleId, ...groupRoles.map((g) => g.roleId)]);
  };
  const scimRolesChanged = scimRoles(before.settings) !== scimRoles(next.settings);
  if (listed !== undefined) await assertKnownApprovalEntries(before.id, listed);
  const audit = auditItem({
    workspaceId: before.id,
    actor: { memberId: access.memberId, userId: access.userId, source: access.source },
    action: 'workspace.update',
    target: { type: 'workspace', id: before.id },
    before: toWorkspace(before),
    after: toWorkspace(next),
  });
  // A changed list is written only if no role was created or deleted since `access` read the workspace, and it
  // moves the roles' version on, so a role deletion decided before this write fails (see deleteRole).
  await writeWorkspace(
    next,
    before.version,
    [audit],
    approvalsChanged || scimRolesChanged ? before.rolesVersion : undefined,
  );
  return toWorkspace(next);
}

/**
 * `requireApprovalFor` fails closed on nothing: an entry that names nothing would never ask for approval, so
 * each entry must be a permission of the catalog, a built-in role id or a custom role of this workspace (read
 * strongly consistent). Unknown entries are a 400 naming each of them; nothing is written.
 */
async function assertKnownApprovalEntries(wsId: string, entries: readonly string[]): Promise<void> {
  const custom = await Promise.all(
    entries.map((x) => (isPermission(x) || isBuiltinRoleId(x) ? undefined : getRole(wsId, x, true))),
  );
  const unknown = entries.flatMap((x, i) => (isPermission(x) || isBuiltinRoleId(x) || custom[i] ? [] : [i]));
  if (unknown.length > 0) {
    const issues: Issue[] = unknown.map((i) => ({
      path: `body.settings.requireApprovalFor.${i}`,
      message: `"${entries[i]}" is neither a permission, a built-in role nor a custom role of this workspace`,
    }));
    throw new InvalidRequest(
      `requireApprovalFor names unknown entries: ${unknown.map((i) => `"${entries[i]}"`).join(', ')}`,
      issues,
    );
  }
}

export async function getMe(access: Access) {
  const found = await getMember(access.workspace.id, access.memberId, true);
  // A company admin of the organization, or an API key, has no membership: show who they act as.
  const member =
    found ??
    (access.companyAdmin || access.source === 'apiKey'
      ? {
          id: access.memberId,
          userId: access.userId ?? '',
          email: access.email ?? '',
          roleId: access.roleId,
          inboxIds: [],
          teamIds: [],
          joinedAt: access.workspace.createdAt,
        }
      : undefined);
  if (!member) throw new NotFound('Member');
  const custom =
    isBuiltinRoleId(access.roleId) || access.roleId === COMPANY_ADMIN_ROLE
      ? undefined
      : await getRole(access.workspace.id, access.roleId);
  const role = isBuiltinRoleId(access.roleId)
    ? builtinRole(access.roleId, access.workspace.settings)
    : access.roleId === COMPANY_ADMIN_ROLE
      ? {
          id: COMPANY_ADMIN_ROLE,
          name: 'Company admin',
          description: 'Full access in every workspace of the organization',
          kind: 'builtin' as const,
          permissions: access.permissions,
        }
      : {
          id: access.roleId,
          name: custom?.name ?? access.roleId,
          description: custom?.description ?? '',
          kind: 'custom' as const,
          permissions: access.permissions,
        };
  // Time-bound grants in force now, each with when it ends (`permissions` above already counts them).
  const eff = found ? effectiveGrants(found, nowMs()) : undefined;
  return {
    member,
    role: { ...role, permissions: access.permissions },
    permissions: access.permissions,
    plan: { id: access.plan.id, features: access.plan.features, limits: access.plan.limits },
    grants: (eff?.grants ?? []).map((g) => ({
      id: g.id,
      permissions: g.permissions,
      until: g.until,
      ...(g.reason ? { reason: g.reason } : {}),
    })),
    roleGrant: eff?.roleGrant ?? null,
  };
}

/**
 * settings.scim: `teammates.manage` (SCIM gives roles to members), and every role it names is one this actor could
 * give (the one guard; never owner), so the identity provider cannot be configured to hand out more.
 */
async function assertMayConfigureScim(
  access: Access,
  scim: NonNullable<NonNullable<UpdateWorkspaceBody['settings']>['scim']>,
) {
  if (!access.permissions['teammates.manage']) {
    throw new Forbidden('Configuring SCIM provisioning needs teammates.manage', { permission: 'teammates.manage' });
  }
  const named = [
    ...(scim.defaultRoleId ? [{ roleId: scim.defaultRoleId, path: 'body.settings.scim.defaultRoleId' }] : []),
    ...(scim.groupRoles ?? []).map((g, i) => ({ roleId: g.roleId, path: `body.settings.scim.groupRoles.${i}.roleId` })),
  ];
  for (const { roleId, path } of named) await assertMayAssign(access, roleId, 'naming a role SCIM gives', path);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
