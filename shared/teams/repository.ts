// Teams. The team keeps its member ids; each member keeps its team ids (a string set); both sides change
// in the same transaction, so "members of a team" and "teams of a member" never disagree.

import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import {
  deleteIfVersion,
  getItem,
  putIfVersion,
  putNew,
  queryCollection,
  queryCollectionPage,
  type TransactItem,
  transact,
} from '../db/ops';
import type { Page } from '../db/pagination';
import { inboxStillExists } from '../table/inboxes/items';
import { memberKey } from '../table/members/keys';
import { memberVersionBump } from '../table/members/version';
import { TEAM_PREFIX, teamKey, teamNameKey } from '../table/teams/keys';
import { TeamRecord, teamItem } from '../table/teams/record';
import { wsCollection } from '../table/workspaces/keys';

type Item = Record<string, unknown>;

const fromItem = itemParser(TeamRecord, 'Team');

function memberTeamUpdate(wsId: string, memberId: string, teamId: string, op: 'ADD' | 'DELETE') {
  return {
    Update: {
      TableName: tableName,
      Key: memberKey(wsId, memberId),
      // The member's version moves too: removing the member races this and loses, never leaving a ghost.
      UpdateExpression: `SET ${memberVersionBump.set} ${op} teamIds :t`,
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':t': new Set([teamId]), ...memberVersionBump.values },
    },
  };
}

export async function getTeam(wsId: string, teamId: string): Promise<TeamRecord | undefined> {
  const item = await getItem<Item>(teamKey(wsId, teamId));
  return item ? fromItem(item) : undefined;
}

export function listTeams(wsId: string, opts: { limit: number; cursor?: string }): Promise<Page<TeamRecord>> {
  return queryCollectionPage(wsCollection(wsId, TEAM_PREFIX), opts, fromItem);
}

/** Every team of a workspace (admin-side cascades only). */
export async function listAllTeams(wsId: string): Promise<TeamRecord[]> {
  return (await queryCollection(wsCollection(wsId, TEAM_PREFIX))).map(fromItem);
}

const nameLock = (t: TeamRecord) =>
  putNew({ ...teamNameKey(t.workspaceId, t.nameKey), entity: 'TeamName', teamId: t.id });

export function createTeam(t: TeamRecord, audit: Item): Promise<void> {
  return transact(
    [
      ...t.inboxIds.map((id) => inboxStillExists(t.workspaceId, id)),
      putNew(teamItem(t)),
      nameLock(t),
      ...t.memberIds.map((m) => memberTeamUpdate(t.workspaceId, m, t.id, 'ADD')),
      putNew(audit),
    ],
    'A team with this name exists, or a member was removed meanwhile',
  );
}

/** `also`: what else the change writes (the releases of conversations its members' reach no longer covers). */
export function updateTeam(
  before: TeamRecord,
  after: TeamRecord,
  audit: Item,
  also: readonly TransactItem[] = [],
): Promise<void> {
  const added = after.memberIds.filter((m) => !before.memberIds.includes(m));
  const removed = before.memberIds.filter((m) => !after.memberIds.includes(m));
  const renamed = before.nameKey !== after.nameKey;
  const addedInboxes = after.inboxIds.filter((i) => !before.inboxIds.includes(i));
  return transact(
    [
      ...addedInboxes.map((id) => inboxStillExists(after.workspaceId, id)),
      putIfVersion(teamItem(after), before.version),
      ...(renamed
        ? [{ Delete: { TableName: tableName, Key: teamNameKey(before.workspaceId, before.nameKey) } }, nameLock(after)]
        : []),
      ...added.map((m) => memberTeamUpdate(after.workspaceId, m, after.id, 'ADD')),
      ...removed.map((m) => memberTeamUpdate(after.workspaceId, m, after.id, 'DELETE')),
      putNew(audit),
      ...also,
    ],
    'The team changed meanwhile (stale version), the name is taken, or a member was removed',
  );
}

/**
 * Deletes the team and takes it off its members (`memberIds`: those that still exist). A team holds at
 * most MAX_TEAM_CHANGE members (every change is bounded by it), so this is one transaction.
 */
export function deleteTeam(
  t: TeamRecord,
  memberIds: readonly string[],
  audit: Item,
  also: readonly TransactItem[] = [],
): Promise<void> {
  return transact(
    [
      deleteIfVersion(teamKey(t.workspaceId, t.id), t.version),
      { Delete: { TableName: tableName, Key: teamNameKey(t.workspaceId, t.nameKey) } },
      ...memberIds.map((m) => memberTeamUpdate(t.workspaceId, m, t.id, 'DELETE')),
      putNew(audit),
      ...also,
    ],
    'The team changed meanwhile; reload and retry',
  );
}
