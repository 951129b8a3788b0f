import type { Access } from '../access';
import { Conflict, InvalidRequest, ManagedByScim, NotFound } from '../errors';
import { assertMayChangeInboxReach } from '../grants/guard';
import { newId } from '../ids';
import type { InboxRecord } from '../inboxes/repository';
import { getInbox } from '../inboxes/repository';
import { assignableInboxes, inboxesChanging } from '../inboxes/service';
import { getMember } from '../members/repository';
import { normaliseRoleName } from '../permissions/roles';
import type { Releases } from '../releases';
import { actorOf, auditItem } from '../table/audit/entry';
import type { TeamRecord } from '../table/teams/record';
import * as repo from './repository';
import { MAX_TEAM_CHANGE, type Team } from './schema';

const toTeam = (t: TeamRecord): Team => ({
  id: t.id,
  name: t.name,
  memberIds: t.memberIds,
  inboxIds: t.inboxIds,
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  ...(t.managedBy ? { managedBy: t.managedBy } : {}),
});

const audit = (access: Access, action: string, id: string, before: TeamRecord | null, after: TeamRecord | null) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
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

/** The team's inboxes that still exist. */
async function inboxesOf(access: Access, ids: readonly string[]): Promise<InboxRecord[]> {
  const found = await Promise.all(ids.map((id) => getInbox(access.workspace.id, id)));
  return found.filter((i): i is InboxRecord => i !== undefined);
}

/** Each member that joins or leaves and each inbox added is an item of the team's one transaction. */
function assertFitsOneTransaction(changes: number) {
  if (changes > MAX_TEAM_CHANGE) {
    throw new InvalidRequest('Too many changes at once', [
      { path: 'body', message: `Add or remove at most ${MAX_TEAM_CHANGE} members and inboxes per request` },
    ]);
  }
}

export async function listTeams(access: Access, q: { limit: number; cursor?: string }) {
  const page = await repo.listTeams(access.workspace.id, q);
  return { items: page.items.map(toTeam), nextCursor: page.nextCursor };
}

export async function createTeam(
  access: Access,
  input: { name: string; memberIds?: string[] | undefined; inboxIds?: string[] | undefined },
): Promise<Team> {
  const inboxes = await assignableInboxes(access, input.inboxIds ?? [], 'body.inboxIds');
  assertFitsOneTransaction(new Set(input.memberIds ?? []).size + inboxes.length);
  // A team's inboxes are reach for its members: assigning them is configuring them, members or not yet.
  assertMayChangeInboxReach(access, inboxes, 'assigning inboxes to a team');
  const now = new Date().toISOString();
  const team: TeamRecord = {
    id: newId('team'),
    workspaceId: access.workspace.id,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    memberIds: await checkMembers(access, input.memberIds ?? []),
    inboxIds: inboxes.map((i) => i.id),
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
  releases: Releases,
): Promise<Team> {
  const before = await teamOr404(access, teamId);
  if (input.version !== undefined && input.version !== before.version) {
    throw new Conflict('The team changed since you read it (stale version)', { version: before.version });
  }
  const memberIds = input.memberIds ? await checkMembers(access, input.memberIds) : before.memberIds;
  if (
    before.managedBy === 'scim' &&
    ((input.name !== undefined && input.name !== before.name) || memberIds.join() !== before.memberIds.join())
  ) {
    throw new ManagedByScim('This team');
  }
  const joined = memberIds.filter((m) => !before.memberIds.includes(m));
  const left = before.memberIds.filter((m) => !memberIds.includes(m));
  let inboxIds = before.inboxIds;
  let addedInboxes = 0;
  if (input.inboxIds) {
    const inboxes = await assignableInboxes(access, input.inboxIds, 'body.inboxIds');
    const { added, changed } = await inboxesChanging(access, before.inboxIds, inboxes, 'body.inboxIds');
    assertMayChangeInboxReach(access, changed, "changing a team's inboxes");
    inboxIds = inboxes.map((i) => i.id);
    addedInboxes = added.length;
  }
  assertFitsOneTransaction(joined.length + left.length + addedInboxes);
  // Joining or leaving a team gives or takes the reach of every inbox it keeps.
  if (joined.length + left.length > 0) {
    const kept = before.inboxIds.filter((id) => inboxIds.includes(id));
    assertMayChangeInboxReach(access, await inboxesOf(access, kept), 'changing the members of a team with inboxes');
  }
  const after: TeamRecord = {
    ...before,
    name: input.name ?? before.name,
    nameKey: input.name ? normaliseRoleName(input.name) : before.nameKey,
    memberIds,
    inboxIds,
    version: before.version + 1,
    updatedAt: new Date().toISOString(),
  };
  // Members who leave lose the team's inboxes, those who stay the inboxes it no longer has: the conversations
  // assigned to them there that they can no longer work in are released in the same transaction.
  const dropped = before.inboxIds.filter((id) => !inboxIds.includes(id));
  const losing = [...left, ...(dropped.length > 0 ? memberIds.filter((m) => !joined.includes(m)) : [])];
  const members = (await Promise.all(losing.map((id) => getMember(access.workspace.id, id, true)))).filter(
    (m) => m !== undefined,
  );
  const renamed = before.nameKey !== after.nameKey;
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    {
      members: members.map((m) => (left.includes(m.id) ? { ...m, teamIds: m.teamIds.filter((x) => x !== teamId) } : m)),
      inboxIds: left.length > 0 ? before.inboxIds : dropped,
      teams: new Map([[teamId, inboxIds]]),
    },
    100 - (addedInboxes + 1 + (renamed ? 2 : 0) + joined.length + left.length + 1),
  );
  await repo.updateTeam(before, after, audit(access, 'team.update', teamId, before, after), released.items);
  await released.afterCommit();
  return toTeam(after);
}

export async function deleteTeam(access: Access, teamId: string, releases: Releases): Promise<void> {
  const team = await teamOr404(access, teamId);
  if (team.managedBy === 'scim') throw new ManagedByScim('This team');
  if (team.memberIds.length > 0) {
    // Its members lose the reach of its inboxes.
    assertMayChangeInboxReach(access, await inboxesOf(access, team.inboxIds), 'deleting a team with inboxes');
  }
  // Only members that still exist are updated (a member removed meanwhile already left the team).
  const present = await Promise.all(team.memberIds.map((id) => getMember(access.workspace.id, id, true)));
  const memberIds = team.memberIds.filter((_, i) => present[i] !== undefined);
  // Its members lose its inboxes: the conversations assigned to them there that they can no longer work in are
  // released in the same transaction.
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    {
      members: present
        .filter((m) => m !== undefined)
        .map((m) => ({ ...m, teamIds: m.teamIds.filter((x) => x !== teamId) })),
      inboxIds: team.inboxIds,
    },
    100 - (2 + memberIds.length + 1),
  );
  await repo.deleteTeam(team, memberIds, audit(access, 'team.delete', teamId, team, null), released.items);
  await released.afterCommit();
}
