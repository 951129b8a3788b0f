// Teams. The team keeps its member ids; each member keeps its team ids (a string set); both sides change
// in the same transaction, so "members of a team" and "teams of a member" never disagree.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { decodeCursor, encodeCursor, type Page } from '../db/pagination';
import { memberKey } from '../members/keys';
import { TEAM_PREFIX, teamKey, teamNameKey } from './keys';

export interface TeamRecord {
  id: string;
  workspaceId: string;
  name: string;
  nameKey: string;
  memberIds: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Item = Record<string, unknown>;
const put = (Item: Item) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } });

const teamItem = (t: TeamRecord): Item => ({
  ...teamKey(t.workspaceId, t.id),
  entity: 'Team',
  ...t,
  memberIds: t.memberIds.length > 0 ? new Set(t.memberIds) : undefined,
});

const fromItem = (i: Item): TeamRecord => ({
  ...(i as unknown as TeamRecord),
  memberIds: [...((i.memberIds as Iterable<string> | undefined) ?? [])].sort(),
});

function memberTeamUpdate(wsId: string, memberId: string, teamId: string, op: 'ADD' | 'DELETE') {
  return {
    Update: {
      TableName: tableName,
      Key: memberKey(wsId, memberId),
      UpdateExpression: `${op} teamIds :t`,
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':t': new Set([teamId]) },
    },
  };
}

export async function getTeam(wsId: string, teamId: string): Promise<TeamRecord | undefined> {
  try {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: teamKey(wsId, teamId), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

export async function listTeams(wsId: string, opts: { limit: number; cursor?: string }): Promise<Page<TeamRecord>> {
  const start = decodeCursor(opts.cursor, { PK: `WS#${wsId}`, SK: { prefix: TEAM_PREFIX } });
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `WS#${wsId}`, ':prefix': TEAM_PREFIX },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (res.Items ?? []).map(fromItem), nextCursor: encodeCursor(res.LastEvaluatedKey) };
  } catch (err) {
    return mapDbError(err);
  }
}

export async function createTeam(t: TeamRecord, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          put(teamItem(t)),
          put({ ...teamNameKey(t.workspaceId, t.nameKey), entity: 'TeamName', teamId: t.id }),
          ...t.memberIds.map((m) => memberTeamUpdate(t.workspaceId, m, t.id, 'ADD')),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'A team with this name exists, or a member was removed meanwhile');
  }
}

export async function updateTeam(before: TeamRecord, after: TeamRecord, audit: Item): Promise<void> {
  const added = after.memberIds.filter((m) => !before.memberIds.includes(m));
  const removed = before.memberIds.filter((m) => !after.memberIds.includes(m));
  const renamed = before.nameKey !== after.nameKey;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: teamItem(after),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': before.version },
            },
          },
          ...(renamed
            ? [
                { Delete: { TableName: tableName, Key: teamNameKey(before.workspaceId, before.nameKey) } },
                put({ ...teamNameKey(after.workspaceId, after.nameKey), entity: 'TeamName', teamId: after.id }),
              ]
            : []),
          ...added.map((m) => memberTeamUpdate(after.workspaceId, m, after.id, 'ADD')),
          ...removed.map((m) => memberTeamUpdate(after.workspaceId, m, after.id, 'DELETE')),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The team changed meanwhile (stale version), the name is taken, or a member was removed');
  }
}

export async function deleteTeam(t: TeamRecord, audit: Item): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: teamKey(t.workspaceId, t.id),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': t.version },
            },
          },
          { Delete: { TableName: tableName, Key: teamNameKey(t.workspaceId, t.nameKey) } },
          ...t.memberIds.map((m) => memberTeamUpdate(t.workspaceId, m, t.id, 'DELETE')),
          put(audit),
        ],
      }),
    );
  } catch (err) {
    mapDbError(err, 'The team changed meanwhile; reload and retry');
  }
}

/** For removing a member: take them out of each of their teams in the same transaction. */
export function removeFromTeams(wsId: string, memberId: string, teamIds: readonly string[]) {
  return teamIds.map((teamId) => ({
    Update: {
      TableName: tableName,
      Key: teamKey(wsId, teamId),
      UpdateExpression: 'DELETE memberIds :m ADD version :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':m': new Set([memberId]), ':one': 1 },
    },
  }));
}
