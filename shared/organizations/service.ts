// Organizations and company admins (Front): a company admin has full access in every workspace of the
// organization and is not bound by custom roles; plans still apply to them like to everyone.
// Every change is computed from a fresh read and committed on the condition that the organization is
// still at the version read (see repository.ts); a change that lost to another is recomputed from fresh
// data a few times before it answers 409.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Access } from '../access';
import { lostReachReleases } from '../conversations/reach-release';
import { getItem } from '../db/ops';
import { Conflict, Forbidden, NotFound, PlanLimit } from '../errors';
import { newId } from '../ids';
import { getMember } from '../members/repository';
import { auditItem } from '../table/audit/entry';
import { membershipKey } from '../table/members/keys';
import { getWorkspace } from '../workspaces/repository';
import * as repo from './repository';
import type { Organization, OrganizationRepair } from './schema';

type User = { userId: string; email: string | null };

async function asCompanyAdmin(user: User, orgId: string, forChange = false) {
  const found = await repo.getOrg(orgId, forChange);
  // Not an admin of it answers like no such organization: existence does not leak.
  if (!found?.admins.some((a) => a.userId === user.userId)) throw new NotFound('Organization');
  return found;
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Listed in key order, like the query that reads them. */
const view = (f: { org: repo.OrgRecord; admins: repo.OrgAdmin[]; workspaceIds: string[] }): Organization => ({
  ...f.org,
  admins: [...f.admins].sort(byKey((a) => a.userId)),
  workspaceIds: [...f.workspaceIds].sort(),
});

const ATTEMPTS = 4;

/** Runs `change` (which reads afresh each time) again when it lost to a concurrent change. */
async function retrying<T>(change: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change();
    } catch (err) {
      if (!(err instanceof repo.OrgChanged) || attempt >= ATTEMPTS) throw err;
      await sleep(Math.floor(10 + Math.random() * 40 * attempt));
    }
  }
}

/** Actions on the organization are the company admin's own, not a member's of any workspace. */
const orgActor = (user: User) => ({ memberId: null, userId: user.userId, source: 'app' as const });

function assertAdmins(count: number) {
  if (count > repo.MAX_ORG_ADMINS) {
    throw new PlanLimit(`An organization has at most ${repo.MAX_ORG_ADMINS} company admins`, {
      limit: 'organizationAdmins',
      max: repo.MAX_ORG_ADMINS,
    });
  }
}

/** Also refuses admin changes in an organization attached beyond today's cap (they would not fit). */
function assertWorkspaces(count: number) {
  if (count > repo.MAX_ORG_WORKSPACES) {
    throw new PlanLimit(`An organization holds at most ${repo.MAX_ORG_WORKSPACES} workspaces`, {
      limit: 'organizationWorkspaces',
      max: repo.MAX_ORG_WORKSPACES,
    });
  }
}

export async function createOrganization(user: User, input: { name: string }): Promise<Organization> {
  const now = new Date().toISOString();
  const org = { id: newId('org'), name: input.name, createdAt: now };
  const admin = { userId: user.userId, email: user.email ?? '', addedAt: now };
  await repo.createOrg(org, admin);
  return { ...org, admins: [admin], workspaceIds: [] };
}

export async function getOrganization(user: User, orgId: string): Promise<Organization> {
  return view(await asCompanyAdmin(user, orgId));
}

export function addCompanyAdmin(
  user: User,
  orgId: string,
  input: { userId: string; email?: string | undefined },
): Promise<Organization> {
  return retrying(async () => {
    const found = await asCompanyAdmin(user, orgId, true);
    if (found.admins.some((a) => a.userId === input.userId)) throw new Conflict('Already a company admin');
    assertAdmins(found.admins.length + 1);
    assertWorkspaces(found.workspaceIds.length);
    const now = new Date();
    const admin = { userId: input.userId, email: input.email ?? '', addedAt: now.toISOString() };
    const audits = found.workspaceIds.map((ws) =>
      auditItem(
        {
          workspaceId: ws,
          actor: orgActor(user),
          action: 'organization.admin.add',
          target: { type: 'companyAdmin', id: admin.userId },
          before: null,
          after: { orgId, userId: admin.userId, email: admin.email, access: 'full' },
        },
        now,
      ),
    );
    await repo.addAdmin(found, admin, audits);
    return view({ ...found, admins: [...found.admins, admin] });
  });
}

export function removeCompanyAdmin(user: User, orgId: string, userId: string): Promise<void> {
  return retrying(async () => {
    const found = await asCompanyAdmin(user, orgId, true);
    const removed = found.admins.find((a) => a.userId === userId);
    if (!removed) throw new NotFound('Company admin');
    if (found.admins.length === 1) throw new Conflict('An organization keeps at least one company admin');
    assertWorkspaces(found.workspaceIds.length);
    const now = new Date();
    const audits = found.workspaceIds.map((ws) =>
      auditItem(
        {
          workspaceId: ws,
          actor: orgActor(user),
          action: 'organization.admin.remove',
          target: { type: 'companyAdmin', id: userId },
          before: { orgId, userId, email: removed.email, access: 'full' },
          after: null,
        },
        now,
      ),
    );
    await repo.removeAdmin(found, userId, audits);
    await releaseExemption(user, found.workspaceIds, userId);
  });
}

/**
 * A company admin works in every shared inbox of the organization's workspaces whatever its membership holds
 * (conversations/work-in.ts); removed, it works only where its membership lets it. What it was assigned elsewhere
 * is released in each workspace where it is a member, right after the removal commits (the removal's one
 * transaction already holds a grant per workspace), as a change of reach releases what does not fit its own.
 */
async function releaseExemption(user: User, wsIds: readonly string[], userId: string): Promise<void> {
  for (const wsId of wsIds) {
    const pointer = await getItem<{ memberId?: string }>(membershipKey(userId, wsId));
    if (!pointer?.memberId) continue;
    const [ws, member] = await Promise.all([getWorkspace(wsId, true), getMember(wsId, pointer.memberId, true)]);
    if (!ws || !member) continue;
    const releases = await lostReachReleases(ws, orgActor(user), { members: [member], inboxIds: 'all' }, 0);
    await releases.afterCommit();
  }
}

/** The workspace's Owner, who must also be a company admin of the organization, moves it in. */
export async function attachWorkspace(access: Access, orgId: string): Promise<Organization> {
  const userId = access.userId;
  if (!userId) throw new Forbidden('Only a signed-in Owner attaches a workspace');
  return retrying(async () => {
    const found = await asCompanyAdmin({ userId, email: access.email }, orgId, true);
    if (access.roleId !== 'owner') throw new Forbidden("Only the workspace's Owner moves it into an organization");
    assertWorkspaces(found.workspaceIds.length + 1);
    assertAdmins(found.admins.length);
    const audit = auditItem({
      workspaceId: access.workspace.id,
      actor: { memberId: access.memberId, userId, source: access.source },
      action: 'workspace.organization.attach',
      target: { type: 'workspace', id: access.workspace.id },
      before: { orgId: null },
      // Who gains full access with it.
      after: { orgId, companyAdmins: found.admins.map((a) => a.userId) },
    });
    await repo.attachWorkspace(found, access.workspace.id, audit);
    return view({ ...found, workspaceIds: [...found.workspaceIds, access.workspace.id] });
  });
}

/** A few at a time: one query per grant holder. */
async function eachLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  return out;
}

/**
 * Recomputes the grants (admins × workspaces) and makes the table say so: writes the missing ones,
 * deletes those of users who are not admins (found through the holder markers) or of workspaces outside
 * the organization, records every admin as a holder, sets the counters, audits each grant change in
 * its workspace, and reports what it changed. Safe to run any time; nothing to do writes nothing.
 */
export async function repairOrganization(user: User, orgId: string): Promise<OrganizationRepair> {
  const report: OrganizationRepair = {
    orgId,
    grantsWritten: [],
    grantsDeleted: [],
    holdersPruned: [],
    countersFixed: false,
  };
  await retrying(async () => {
    const found = await asCompanyAdmin(user, orgId, true);
    const admins = new Map(found.admins.map((a) => [a.userId, a.addedAt]));
    const workspaces = new Set(found.workspaceIds);
    const holders = [...new Set([...admins.keys(), ...found.holders])].sort();
    const held = await eachLimited(holders, 8, (u) => repo.grantsOf(u, orgId));
    const now = new Date();
    const audit = (userId: string, ws: string, restore: boolean) =>
      auditItem(
        {
          workspaceId: ws,
          actor: orgActor(user),
          action: restore ? 'organization.grant.restore' : 'organization.grant.revoke',
          target: { type: 'companyAdmin', id: userId },
          before: { orgId, userId, access: restore ? 'none' : 'full' },
          after: { orgId, userId, access: restore ? 'full' : 'none' },
        },
        now,
      );
    const grants: repo.RepairChange[] = [];
    const markers: repo.RepairChange[] = [];
    holders.forEach((userId, i) => {
      const has = new Set(held[i]);
      const addedAt = admins.get(userId);
      const isAdmin = addedAt !== undefined;
      if (isAdmin) {
        for (const ws of found.workspaceIds) {
          if (!has.has(ws))
            grants.push({ kind: 'writeGrant', userId, addedAt, workspaceId: ws, audit: audit(userId, ws, true) });
        }
      }
      for (const ws of has) {
        if (isAdmin && workspaces.has(ws)) continue;
        const counts = workspaces.has(ws); // a grant outside the organization's workspaces never applied
        grants.push({
          kind: 'deleteGrant',
          userId,
          workspaceId: ws,
          audit: counts ? audit(userId, ws, false) : undefined,
        });
      }
      if (isAdmin && !found.holders.includes(userId)) markers.push({ kind: 'writeHolder', userId });
      if (!isAdmin) markers.push({ kind: 'pruneHolder', userId });
    });
    const countersWrong = found.version === 0 || found.adminCount !== found.admins.length;
    const changes = [...grants, ...markers];
    if (changes.length === 0 && !countersWrong) return;
    await repo.applyRepair(found, changes, (landed) => {
      report.countersFixed ||= countersWrong;
      for (const c of landed) {
        if (c.kind === 'writeGrant') report.grantsWritten.push({ userId: c.userId, workspaceId: c.workspaceId });
        if (c.kind === 'deleteGrant') report.grantsDeleted.push({ userId: c.userId, workspaceId: c.workspaceId });
        if (c.kind === 'pruneHolder') report.holdersPruned.push(c.userId);
      }
    });
  });
  return report;
}
