// SCIM Groups ↔ teams (PRODUCT.md §12). A team created through SCIM is managed by the identity provider: the
// API's team writes answer 409 managed_by_scim. Membership is kept per member (each member item's `teamIds`
// string set) and on the team's `memberIds` set, both changed with ADD/DELETE in the same transaction, never
// rewritten from a read list: two PATCHes at once lose nobody. A PATCH of up to 1,000 members runs in bounded
// transactions of MEMBERS_PER_TRANSACTION members each (≤ 100 items), in order.

import type { Access } from '../access';
import { now } from '../clock';
import { lostReachReleases } from '../conversations/reach-release';
import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import { batchGetAll, getItem, putNew, queryAll, type TransactItem, transact } from '../db/ops';
import { Conflict, Unavailable } from '../errors';
import { assertMayChangeInboxReach, assertMayManage } from '../grants/guard';
import { newId } from '../ids';
import { getInbox, type InboxRecord } from '../inboxes/repository';
import { toMember } from '../members/repository';
import type { Member } from '../members/schema';
import { normaliseRoleName } from '../permissions/roles';
import { actorOf, auditItem } from '../table/audit/entry';
import { memberKey } from '../table/members/keys';
import { memberVersionBump } from '../table/members/version';
import { lowerKey, SCIM_INDEX, scimIndexKey } from '../table/scim/keys';
import { teamKey, teamNameKey } from '../table/teams/keys';
import { TeamRecord, teamItem } from '../table/teams/record';
import { wsPk } from '../table/workspaces/keys';
import { getTeam } from '../teams/repository';
import { invalidValue, notFound, ScimError, uniqueness } from './errors';
import { compile, matches, parseFilter } from './filter';
import { type GroupPatchPlan, groupPatchPlan, type PatchOperation } from './patch';
import { applyGroupRoles } from './users';
import { etagOf, GROUP_SCHEMA, type ListParams, listResponse } from './wire';

type Item = Record<string, unknown>;
const toTeam = itemParser(TeamRecord, 'Team');

/** Members per transaction: each is one member item update, with the team item and the audit entry (≤ 100). */
export const MEMBERS_PER_TRANSACTION = 95;
export const MAX_GROUP_MEMBERS_PER_REQUEST = 1000;

/** Transactions SCIM group writes have run (the bench reads it). */
export const groupStats = { transactions: 0 };

const audit = (access: Access, action: string, teamId: string, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'team', id: teamId },
    before,
    after,
  });

async function scimTeam(access: Access, teamId: string): Promise<TeamRecord> {
  const t = await getTeam(access.workspace.id, teamId);
  if (!t || t.managedBy !== 'scim') throw notFound('Group');
  return t;
}

export async function groupView(access: Access, base: string, t: TeamRecord, withMembers: boolean) {
  let members: { value: string; display?: string }[] | undefined;
  if (withMembers) {
    const found = await batchGetAll(
      t.memberIds.map((m) => memberKey(access.workspace.id, m)),
      true,
    );
    const emails = new Map(found.map((i) => [i.id as string, i.email as string]));
    members = t.memberIds.filter((m) => emails.has(m)).map((m) => ({ value: m, display: emails.get(m) as string }));
  }
  return {
    schemas: [GROUP_SCHEMA],
    id: t.id,
    ...(t.externalId !== undefined ? { externalId: t.externalId } : {}),
    displayName: t.name,
    ...(members ? { members } : {}),
    meta: {
      resourceType: 'Group',
      created: t.createdAt,
      lastModified: t.updatedAt,
      location: `${base}/Groups/${t.id}`,
      version: etagOf(t.version),
    },
  };
}

export async function getGroup(access: Access, base: string, teamId: string, excludeMembers: boolean) {
  return groupView(access, base, await scimTeam(access, teamId), !excludeMembers);
}

export async function listGroups(access: Access, base: string, params: ListParams) {
  const wsId = access.workspace.id;
  const filter = params.filter ? parseFilter('Group', params.filter) : undefined;
  let ids: string[];
  if (!filter) {
    const items = await queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      // Groups are the teams SCIM made; the workspace's own teams stay the workspace's.
      FilterExpression: 'managedBy = :scim',
      ExpressionAttributeValues: { ':pk': wsPk(wsId), ':sk': 'TEAM#', ':scim': 'scim' },
      ProjectionExpression: 'id',
      ConsistentRead: true,
    });
    ids = items.map((i) => i.id as string);
  } else {
    const lookup = compile(filter);
    if (lookup.attr === 'id') ids = [lookup.value];
    else {
      // displayName: the team name lock (TEAMNAME#<name key>), exact; externalId: its index. One Query.
      const exactName = lookup.attr === 'displayName' && lookup.mode === 'exact';
      const sk =
        lookup.attr === 'displayName'
          ? exactName
            ? teamNameKey(wsId, normaliseRoleName(lookup.value)).SK
            : 'TEAMNAME#'
          : `${SCIM_INDEX.groupExternalId}${lookup.mode === 'all' ? '' : lowerKey(lookup.value)}${lookup.mode === 'exact' ? '#' : ''}`;
      const items = await queryAll({
        KeyConditionExpression: exactName ? 'PK = :pk AND SK = :sk' : 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': wsPk(wsId), ':sk': sk },
        ConsistentRead: true,
      });
      ids = [...new Set(items.map((i) => i.teamId as string))];
    }
  }
  const page = filter ? ids : ids.slice(params.startIndex - 1, params.startIndex - 1 + params.count);
  let parsed = (
    await batchGetAll(
      page.map((id) => teamKey(wsId, id)),
      true,
    )
  )
    .map(toTeam)
    .filter((t) => t.managedBy === 'scim');
  if (filter) {
    parsed = parsed.filter((t) =>
      matches(filter, {
        id: [t.id],
        displayName: [t.name],
        externalId: t.externalId !== undefined ? [t.externalId] : [],
      }),
    );
  }
  parsed.sort((a, b) => a.id.localeCompare(b.id));
  const total = filter ? parsed.length : ids.length;
  const shown = filter ? parsed.slice(params.startIndex - 1, params.startIndex - 1 + params.count) : parsed;
  const resources = await Promise.all(shown.map((t) => groupView(access, base, t, !params.excludeMembers)));
  return listResponse(resources, total, params.startIndex);
}

function groupDocOf(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidValue('A Group is a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.displayName !== 'string' || b.displayName.trim() === '' || b.displayName.length > 100) {
    throw invalidValue('displayName is required (1 to 100 characters)');
  }
  if (
    b.externalId !== undefined &&
    b.externalId !== null &&
    (typeof b.externalId !== 'string' || b.externalId.length > 256)
  ) {
    throw invalidValue('externalId must be a string');
  }
  const plan = groupPatchPlan([{ op: 'replace', path: 'members', value: b.members ?? [] }]);
  const step = plan.members[0];
  return {
    displayName: b.displayName.trim(),
    externalId: typeof b.externalId === 'string' ? b.externalId : undefined,
    memberIds: step && step.kind === 'set' ? [...new Set(step.ids)] : [],
  };
}

export async function createGroup(access: Access, base: string, body: unknown) {
  const wsId = access.workspace.id;
  const doc = groupDocOf(body);
  if (doc.memberIds.length > MAX_GROUP_MEMBERS_PER_REQUEST)
    throw new ScimError(400, 'Too many members at once', 'tooMany');
  const at = now().toISOString();
  const team: TeamRecord = {
    id: newId('team'),
    workspaceId: wsId,
    name: doc.displayName,
    nameKey: normaliseRoleName(doc.displayName),
    memberIds: [],
    inboxIds: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    managedBy: 'scim',
    ...(doc.externalId !== undefined ? { externalId: doc.externalId } : {}),
  };
  // The members are decided (each one there, each move within the guard) before the group is written.
  const moves =
    doc.memberIds.length > 0 ? await decideMembers(access, team, [{ kind: 'add', ids: doc.memberIds }]) : undefined;
  try {
    await transact(
      [
        putNew(teamItem(team)),
        putNew({ ...teamNameKey(wsId, team.nameKey), entity: 'TeamName', teamId: team.id }),
        ...(doc.externalId !== undefined ? [putNew(externalIdItem(wsId, team.id, doc.externalId))] : []),
        putNew(
          audit(access, 'team.scim.create', team.id, null, { name: team.name, externalId: doc.externalId ?? null }),
        ),
      ],
      'The group could not be created',
    );
  } catch (err) {
    if (err instanceof Conflict && (await getItem(teamNameKey(wsId, team.nameKey)))) {
      throw uniqueness(`A group named "${doc.displayName}" already exists`);
    }
    throw err;
  }
  const after = moves ? await writeMembers(access, team, moves) : team;
  return groupView(access, base, after, true);
}

const externalIdItem = (wsId: string, teamId: string, externalId: string) => ({
  ...scimIndexKey(wsId, 'groupExternalId', externalId, teamId),
  entity: 'ScimIndex',
  teamId,
  value: externalId,
});

function assertIfMatch(t: TeamRecord, ifMatch: string | undefined) {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(t.version)) {
    throw new ScimError(412, 'The group changed since that version (If-Match)');
  }
}

export async function replaceGroup(access: Access, base: string, teamId: string, body: unknown, ifMatch?: string) {
  const doc = groupDocOf(body);
  return applyPlan(
    access,
    base,
    teamId,
    {
      displayName: doc.displayName,
      externalId: doc.externalId ?? null,
      members: [{ kind: 'set', ids: doc.memberIds }],
    },
    ifMatch,
  );
}

export async function patchGroup(
  access: Access,
  base: string,
  teamId: string,
  ops: PatchOperation[],
  ifMatch?: string,
  excludeMembers = false,
) {
  return applyPlan(access, base, teamId, groupPatchPlan(ops), ifMatch, excludeMembers);
}

async function applyPlan(
  access: Access,
  base: string,
  teamId: string,
  plan: GroupPatchPlan,
  ifMatch: string | undefined,
  excludeMembers = false,
) {
  let team = await scimTeam(access, teamId);
  assertIfMatch(team, ifMatch);
  const touched = plan.members.reduce((n, s) => n + ('ids' in s ? s.ids.length : 0), 0);
  if (touched > MAX_GROUP_MEMBERS_PER_REQUEST) {
    throw new ScimError(400, `At most ${MAX_GROUP_MEMBERS_PER_REQUEST} members per request`, 'tooMany');
  }
  // Every operation is decided before the first write (RFC 7644 §3.5.2): who joins and who leaves at each step,
  // each of them there and each move within the guard; a refused one writes nothing. The rename is then the first
  // write (its own refusals, a taken name or a newer version, come before any member moves).
  const moves = plan.members.length > 0 ? await decideMembers(access, team, plan.members) : undefined;
  if (plan.displayName !== undefined || plan.externalId !== undefined) team = await renameGroup(access, team, plan);
  if (moves) team = await writeMembers(access, team, moves);
  return groupView(access, base, team, !excludeMembers);
}

async function renameGroup(access: Access, team: TeamRecord, plan: GroupPatchPlan): Promise<TeamRecord> {
  const wsId = access.workspace.id;
  const name = plan.displayName ?? team.name;
  const externalId = plan.externalId === undefined ? team.externalId : (plan.externalId ?? undefined);
  if (name === team.name && externalId === team.externalId) return team;
  const nameKey = normaliseRoleName(name);
  const at = now().toISOString();
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: teamKey(wsId, team.id),
        UpdateExpression: `SET #n = :n, nameKey = :k, updatedAt = :at, ${externalId === undefined ? 'version = version + :one REMOVE externalId' : 'externalId = :x, version = version + :one'}`,
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: {
          ':n': name,
          ':k': nameKey,
          ':at': at,
          ':one': 1,
          ':v': team.version,
          ...(externalId === undefined ? {} : { ':x': externalId }),
        },
      },
    },
  ];
  if (nameKey !== team.nameKey) {
    items.push({ Delete: { TableName: tableName, Key: teamNameKey(wsId, team.nameKey) } });
    items.push(putNew({ ...teamNameKey(wsId, nameKey), entity: 'TeamName', teamId: team.id }));
  }
  if (externalId !== team.externalId) {
    if (team.externalId !== undefined) {
      items.push({
        Delete: { TableName: tableName, Key: scimIndexKey(wsId, 'groupExternalId', team.externalId, team.id) },
      });
    }
    if (externalId !== undefined) items.push(putNew(externalIdItem(wsId, team.id, externalId)));
  }
  items.push(
    putNew(
      audit(
        access,
        'team.scim.update',
        team.id,
        { name: team.name, externalId: team.externalId ?? null },
        { name, externalId: externalId ?? null },
      ),
    ),
  );
  try {
    await transact(items, 'The group changed meanwhile');
  } catch (err) {
    if (err instanceof Conflict) {
      const lock = await getItem<Item>(teamNameKey(wsId, nameKey));
      if (lock && lock.teamId !== team.id) throw uniqueness(`A group named "${name}" already exists`);
      throw new ScimError(412, 'The group changed meanwhile: read it again');
    }
    throw err;
  }
  const { externalId: _x, ...rest } = team;
  return {
    ...rest,
    name,
    nameKey,
    ...(externalId !== undefined ? { externalId } : {}),
    version: team.version + 1,
    updatedAt: at,
  };
}

type Step = GroupPatchPlan['members'][number];

/** A group's member steps as decided: in order, who joins and who leaves at each, and the team's inboxes. */
interface Moves {
  steps: { add: string[]; leaving: Member[] }[];
  inboxIds: string[];
  touched: string[];
}

/**
 * The member steps in order against the team's members as read (`set` and `clear` against what the steps before
 * them leave): an unknown id to add is the IdP's mistake (400), one to remove that is gone is skipped; every member
 * who joins or leaves is checked by the guard. Nothing is written.
 */
async function decideMembers(access: Access, team: TeamRecord, steps: readonly Step[]): Promise<Moves> {
  const wsId = access.workspace.id;
  const named = steps.flatMap((s) => ('ids' in s ? s.ids : []));
  const needsCurrent = steps.some((s) => s.kind === 'set' || s.kind === 'clear');
  const existing = await existingMembers(wsId, [...named, ...(needsCurrent ? team.memberIds : [])]);
  const current = new Set(team.memberIds);
  const moves: Moves = { steps: [], inboxIds: [], touched: [] };
  const moving = new Map<string, Member>();
  for (const step of steps) {
    let add: string[] = [];
    let remove: string[] = [];
    if (step.kind === 'add') add = step.ids;
    else if (step.kind === 'remove') remove = step.ids;
    else {
      const wanted = step.kind === 'set' ? new Set(step.ids) : new Set<string>();
      add = [...wanted].filter((m) => !current.has(m));
      remove = [...current].filter((m) => !wanted.has(m));
    }
    add = [...new Set(add)];
    remove = [...new Set(remove)];
    const unknown = add.filter((m) => !existing.has(m));
    if (unknown.length > 0) throw invalidValue(`No user ${unknown.slice(0, 5).join(', ')} in this workspace`);
    const leaving = remove.flatMap((m) => existing.get(m) ?? []);
    for (const m of [...add.flatMap((id) => existing.get(id) ?? []), ...leaving]) moving.set(m.id, m);
    for (const id of add) current.add(id);
    for (const m of leaving) current.delete(m.id);
    moves.steps.push({ add, leaving });
    moves.touched.push(...add, ...remove);
  }
  moves.inboxIds = await assertMayMove(access, team.id, [...moving.values()]);
  return moves;
}

/** Writes decided member steps in order, releases lost reach, gives the roles the mapping gives; the team as it ends. */
async function writeMembers(access: Access, team: TeamRecord, moves: Moves): Promise<TeamRecord> {
  for (const { add, leaving } of moves.steps) {
    await writeMembership(access, team.id, add, 'ADD');
    await writeMembership(
      access,
      team.id,
      leaving.map((m) => m.id),
      'DELETE',
    );
    await releaseLostReach(access, team.id, moves.inboxIds, leaving);
  }
  await applyGroupRoles(access, moves.touched);
  const after = await getTeam(access.workspace.id, team.id);
  if (!after) throw notFound('Group');
  return after;
}

async function existingMembers(wsId: string, ids: readonly string[]): Promise<Map<string, Member>> {
  if (ids.length === 0) return new Map();
  const found = await batchGetAll(
    [...new Set(ids)].map((m) => memberKey(wsId, m)),
    true,
  );
  return new Map(found.map((i) => [i.id as string, toMember(i)]));
}

/**
 * Joining or leaving a group changes those members' access as the API's team writes do (teams/service.ts), through
 * the same guard, decided before anything is written: managing each member (the token's ceiling must hold what
 * they hold; never the Owner) and configuring the team's inboxes whose reach they gain or lose. The team's
 * inboxes, for the release.
 */
async function assertMayMove(access: Access, teamId: string, members: readonly Member[]): Promise<string[]> {
  if (members.length === 0) return [];
  for (const m of members) await assertMayManage(access, m, 'added to or removed from a group');
  const inboxIds = (await getTeam(access.workspace.id, teamId))?.inboxIds ?? [];
  const inboxes = await Promise.all(inboxIds.map((id) => getInbox(access.workspace.id, id)));
  assertMayChangeInboxReach(
    access,
    inboxes.filter((i): i is InboxRecord => i !== undefined),
    'changing the members of a group with inboxes',
  );
  return inboxIds;
}

/** Members who left lose the team's inboxes: what is assigned to them there that they can no longer work in is released. */
async function releaseLostReach(access: Access, teamId: string, inboxIds: readonly string[], left: readonly Member[]) {
  if (left.length === 0 || inboxIds.length === 0) return;
  const releases = await lostReachReleases(
    access.workspace,
    actorOf(access),
    { members: left.map((m) => ({ ...m, teamIds: m.teamIds.filter((x) => x !== teamId) })), inboxIds },
    0,
  );
  await releases.afterCommit();
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, 10 + Math.random() * 30 * 2 ** attempt));
const ATTEMPTS = 8;

/**
 * Members join or leave in transactions of MEMBERS_PER_TRANSACTION: each member's `teamIds` and the team's
 * `memberIds` change by ADD/DELETE (atomic on the item, nothing read back), the team's version moves (an API
 * write of its inboxes decided before fails its condition), one audit entry per transaction.
 */
async function writeMembership(access: Access, teamId: string, memberIds: readonly string[], op: 'ADD' | 'DELETE') {
  const wsId = access.workspace.id;
  for (let i = 0; i < memberIds.length; i += MEMBERS_PER_TRANSACTION) {
    const chunk = memberIds.slice(i, i + MEMBERS_PER_TRANSACTION);
    const at = now().toISOString();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName,
          Key: teamKey(wsId, teamId),
          UpdateExpression: `SET updatedAt = :at ADD version :one ${op === 'ADD' ? ', memberIds :m' : ''}${op === 'DELETE' ? ' DELETE memberIds :m' : ''}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':m': new Set(chunk) },
        },
      },
      ...chunk.map(
        (m): TransactItem => ({
          Update: {
            TableName: tableName,
            Key: memberKey(wsId, m),
            UpdateExpression: `SET ${memberVersionBump.set} ${op} teamIds :t`,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':t': new Set([teamId]), ...memberVersionBump.values },
          },
        }),
      ),
      putNew(
        audit(access, op === 'ADD' ? 'team.scim.members.add' : 'team.scim.members.remove', teamId, null, {
          memberIds: chunk,
        }),
      ),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        groupStats.transactions++;
        await transact(items, 'The group or one of its members is gone');
        break;
      } catch (err) {
        if (err instanceof Unavailable && attempt < ATTEMPTS) {
          await pause(attempt);
          continue;
        }
        throw err;
      }
    }
  }
}

/** DELETE: the members leave in bounded transactions, then the team goes with its name lock and index. */
export async function deleteGroup(access: Access, teamId: string): Promise<void> {
  const wsId = access.workspace.id;
  const team = await scimTeam(access, teamId);
  const existing = await existingMembers(wsId, team.memberIds);
  const leaving = [...existing.values()];
  const inboxIds = await assertMayMove(access, teamId, leaving);
  await writeMembership(
    access,
    teamId,
    leaving.map((m) => m.id),
    'DELETE',
  );
  await releaseLostReach(access, teamId, inboxIds, leaving);
  const removed = leaving.map((m) => m.id);
  const fresh = await scimTeam(access, teamId);
  await transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: teamKey(wsId, teamId),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': fresh.version },
        },
      },
      { Delete: { TableName: tableName, Key: teamNameKey(wsId, fresh.nameKey) } },
      ...(fresh.externalId !== undefined
        ? [{ Delete: { TableName: tableName, Key: scimIndexKey(wsId, 'groupExternalId', fresh.externalId, teamId) } }]
        : []),
      putNew(audit(access, 'team.scim.delete', teamId, { name: fresh.name }, null)),
    ],
    'The group changed meanwhile',
  );
  await applyGroupRoles(access, removed);
}
