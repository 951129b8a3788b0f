// Organizations and company admins (Front): a company admin has full access in every workspace of the
// organization and is not bound by custom roles; plans still apply to them like to everyone.
import { ulid } from 'ulid';
import { auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { Conflict, Forbidden, NotFound, PlanLimit } from '../http/errors';
import * as repo from './repository';
import type { Organization } from './schema';

type User = { userId: string; email: string | null };

async function asCompanyAdmin(user: User, orgId: string) {
  const found = await repo.getOrg(orgId);
  // Not an admin of it answers like no such organization: existence does not leak.
  if (!found?.admins.some((a) => a.userId === user.userId)) throw new NotFound('Organization');
  return found;
}

const view = (f: NonNullable<Awaited<ReturnType<typeof repo.getOrg>>>): Organization => ({
  ...f.org,
  admins: f.admins,
  workspaceIds: f.workspaceIds,
});

export async function createOrganization(user: User, input: { name: string }): Promise<Organization> {
  const now = new Date().toISOString();
  const org = { id: `org_${ulid()}`, name: input.name, createdAt: now };
  const admin = { userId: user.userId, email: user.email ?? '', addedAt: now };
  await repo.createOrg(org, admin);
  return { ...org, admins: [admin], workspaceIds: [] };
}

export async function getOrganization(user: User, orgId: string): Promise<Organization> {
  return view(await asCompanyAdmin(user, orgId));
}

function assertFanout(count: number) {
  if (count > repo.MAX_ORG_FANOUT) {
    throw new PlanLimit(`An organization holds at most ${repo.MAX_ORG_FANOUT} workspaces and admins each`, {
      limit: 'organizationSize',
      max: repo.MAX_ORG_FANOUT,
    });
  }
}

export async function addCompanyAdmin(
  user: User,
  orgId: string,
  input: { userId: string; email?: string | undefined },
) {
  const found = await asCompanyAdmin(user, orgId);
  if (found.admins.some((a) => a.userId === input.userId)) throw new Conflict('Already a company admin');
  assertFanout(found.admins.length + 1);
  await repo.addAdmin(
    orgId,
    { userId: input.userId, email: input.email ?? '', addedAt: new Date().toISOString() },
    found.workspaceIds,
  );
  return view((await repo.getOrg(orgId))!);
}

export async function removeCompanyAdmin(user: User, orgId: string, userId: string) {
  const found = await asCompanyAdmin(user, orgId);
  if (!found.admins.some((a) => a.userId === userId)) throw new NotFound('Company admin');
  if (found.admins.length === 1) throw new Conflict('An organization keeps at least one company admin');
  await repo.removeAdmin(orgId, userId, found.workspaceIds);
}

/** The workspace's Owner, who must also be a company admin of the organization, moves it in. */
export async function attachWorkspace(access: Access, orgId: string): Promise<Organization> {
  if (!access.userId) throw new Forbidden('Only a signed-in Owner attaches a workspace');
  const found = await asCompanyAdmin({ userId: access.userId, email: access.email }, orgId);
  if (access.roleId !== 'owner') throw new Forbidden("Only the workspace's Owner moves it into an organization");
  assertFanout(found.workspaceIds.length + 1);
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: { memberId: access.memberId, userId: access.userId, source: access.source },
    action: 'workspace.organization.attach',
    target: { type: 'workspace', id: access.workspace.id },
    before: { orgId: null },
    after: { orgId },
  });
  await repo.attachWorkspace(
    orgId,
    access.workspace.id,
    found.admins.map((a) => a.userId),
    audit,
  );
  return view((await repo.getOrg(orgId))!);
}
