// The schemas of the workspaces Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { PermissionMap } from '../../permissions/schema';
import { ChangePlanBody, PlanView } from '../../plans/schema';
import { Role } from '../../roles/role';
import { AccessRequest } from '../../table/access-requests/request';
import { Grant, Member } from '../../table/members/member';
import { CreateWorkspaceBody, OwnWorkspacePage, UpdateWorkspaceBody, Workspace } from '../../workspaces/schema';
import { ListQuery } from '../list-query';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const RoleSummary = Role.pick({ id: true, name: true, description: true, kind: true, permissions: true }).meta({
  id: 'RoleSummary',
});

/** A time-bound role in force: `roleId` until `until`, then `previousRoleId`. */
export const RoleGrant = z
  .object({ roleId: z.string(), until: z.iso.datetime(), previousRoleId: z.string() })
  .meta({ id: 'RoleGrant' });
export const MeResponse = z
  .object({
    member: Member,
    role: RoleSummary,
    permissions: PermissionMap,
    plan: PlanView,
    /** Extra grants in force now and when each ends (already counted in `permissions`). */
    grants: z.array(Grant.pick({ id: true, permissions: true, until: true, reason: true })),
    roleGrant: RoleGrant.nullable(),
  })
  .meta({ id: 'Me' });

export const workspaces = {
  listOwnWorkspaces: { query: ListQuery, status: 200, response: OwnWorkspacePage },
  createWorkspace: {
    body: CreateWorkspaceBody,
    status: 201,
    response: z.object({ workspace: Workspace, member: Member }),
  },
  getWorkspace: { params: WorkspaceIdParams, status: 200, response: Workspace },
  updateWorkspace: {
    params: WorkspaceIdParams,
    body: UpdateWorkspaceBody,
    status: 200,
    response: z.union([Workspace, AccessRequest]),
    alsoSuccess: {
      202: 'requireApprovalFor: a setting that grants became a pending access request (the request answers)',
    },
  },
  getMe: { params: WorkspaceIdParams, status: 200, response: MeResponse },
  changePlan: {
    params: WorkspaceIdParams,
    body: ChangePlanBody,
    status: 200,
    response: z.union([z.object({ workspace: Workspace, removedRoles: z.array(z.string()) }), AccessRequest]),
    alsoSuccess: {
      202: 'requireApprovalFor: a downgrade moving holders of surplus roles to member, which the list names, became a pending access request (the request answers)',
    },
  },
} as const satisfies AreaContract<'workspaces'>;
