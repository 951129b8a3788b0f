import { ulid } from 'ulid';
import { auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { Conflict, InvalidRequest, NotFound } from '../http/errors';
import { assignableInboxes } from '../inboxes/service';
import { getMember } from '../members/repository';
import { normaliseRoleName } from '../permissions/roles';
import type { TeamRecord } from './repository';
import * as repo from './repository';
import type { Team } from './schema';

const toTeam = (t: TeamRecord): Team => ({
  id: t.id,
  name: t.name,
  memberIds: t.memberIds,
  inboxIds: t.inboxIds,
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

const audit = (access: Access, action: string, id: string, before: TeamRecord | null, after: TeamRecord | null) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: { memberId: access.memberId, userId: access.userId, source: access.source },
    action,
    target: { type: 'team', id },
    before: before && toTeam(before),
    after: after && toTeam(after),
  });

/** Every id must be a member of this workspace; duplicates collapse. */
async function checkMembers(access: Access, memberIds: string[]): Promise<string[]> {
  const unique = [...new Set(memberIds)];
  const found = await Promise.all(unique.map((id) => getMember(access.workspace.id, id, true)));
  const missing = unique.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    throw new InvalidRequest(
      'Unknown members',
      missing.map((id) => ({ path: 'body.memberIds', message: `No member "${id}"` })),
    );
  }
  return unique.sort();
}

export async function listTeams(access: Access, q: { limit: number; cursor?: string }) {
  const page = await repo.listTeams(access.workspace.id, q);
  return { items: page.items.map(toTeam), nextCursor: page.nextCursor };
}

export async function createTeam(
  access: Access,
  input: { name: string; memberIds?: string[] | undefined; inboxIds?: string[] | undefined },
): Promise<Team> {
  const now = new Date().toISOString();
  const team: TeamRecord = {
    id: `team_${ulid()}`,
    workspaceId: access.workspace.id,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    memberIds: await checkMembers(access, input.memberIds ?? []),
    inboxIds: await assignableInboxes(access, input.inboxIds ?? [], 'body.inboxIds'),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await repo.createTeam(team, audit(access, 'team.create', team.id, null, team));
  return toTeam(team);
}

async function teamOr404(access: Access, teamId: string): Promise<TeamRecord> {
  const t = await repo.getTeam(access.workspace.id, teamId);
  if (!t) throw new NotFound('Team');
  return t;
}

export async function updateTeam(
  access: Access,
  teamId: string,
  input: {
    name?: string | undefined;
    memberIds?: string[] | undefined;
    inboxIds?: string[] | undefined;
    version?: number | undefined;
  },
): Promise<Team> {
  const before = await teamOr404(access, teamId);
  if (input.version !== undefined && input.version !== before.version) {
    throw new Conflict('The team changed since you read it (stale version)', { version: before.version });
  }
  const after: TeamRecord = {
    ...before,
    name: input.name ?? before.name,
    nameKey: input.name ? normaliseRoleName(input.name) : before.nameKey,
    memberIds: input.memberIds ? await checkMembers(access, input.memberIds) : before.memberIds,
    inboxIds: input.inboxIds ? await assignableInboxes(access, input.inboxIds, 'body.inboxIds') : before.inboxIds,
    version: before.version + 1,
    updatedAt: new Date().toISOString(),
  };
  await repo.updateTeam(before, after, audit(access, 'team.update', teamId, before, after));
  return toTeam(after);
}

export async function deleteTeam(access: Access, teamId: string): Promise<void> {
  const team = await teamOr404(access, teamId);
  await repo.deleteTeam(team, audit(access, 'team.delete', teamId, team, null));
}
