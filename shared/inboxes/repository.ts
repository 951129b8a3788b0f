import * as z from 'zod';
import { tableName } from '../db/client';
import { itemParser } from '../db/items';
import { getItem, inPartition, putNew, queryAll, queryCollection, type TransactItem, transact } from '../db/ops';
import { Inbox } from '../table/inboxes/inbox';
import { inboxStillExists } from '../table/inboxes/items';
import { INBOX_PREFIX, inboxKey } from '../table/inboxes/keys';
import { memberKey } from '../table/members/keys';
import { TEAM_PREFIX, teamKey } from '../table/teams/keys';
import { TeamRecord } from '../table/teams/record';
import { wsCollection, wsPk } from '../table/workspaces/keys';

/** An inbox as stored; items are parsed with it when read. */
export const InboxRecord = Inbox.extend({ workspaceId: z.string(), updatedAt: z.string() });
export type InboxRecord = z.infer<typeof InboxRecord>;

type Item = Record<string, unknown>;

const fromItem = itemParser(InboxRecord, 'Inbox');
const teamFromItem = itemParser(TeamRecord, 'Team');

export async function getInbox(wsId: string, inboxId: string): Promise<InboxRecord | undefined> {
  const item = await getItem<Item>(inboxKey(wsId, inboxId));
  return item ? fromItem(item) : undefined;
}

/** A workspace's inboxes are few (tens): visibility is decided on the whole set. */
export async function listInboxes(wsId: string): Promise<InboxRecord[]> {
  const items = await queryAll({ ...inPartition(wsPk(wsId), INBOX_PREFIX), ConsistentRead: true });
  return items.map(fromItem);
}

export function createInbox(inbox: InboxRecord, audit: Item): Promise<void> {
  return transact([putNew({ ...inboxKey(inbox.workspaceId, inbox.id), entity: 'Inbox', ...inbox }), putNew(audit)]);
}

export function updateInbox(inbox: InboxRecord, audit: Item, also: TransactItem[] = []): Promise<void> {
  return transact(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...inboxKey(inbox.workspaceId, inbox.id), entity: 'Inbox', ...inbox },
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      putNew(audit),
      ...also,
    ],
    'The inbox was deleted meanwhile',
  );
}

/** Deletes the inbox; callers pass the member and team updates that drop it, in chunks they bound. */
export function deleteInbox(wsId: string, inboxId: string, audit: Item): Promise<void> {
  return transact(
    [
      { Delete: { TableName: tableName, Key: inboxKey(wsId, inboxId), ConditionExpression: 'attribute_exists(PK)' } },
      putNew(audit),
    ],
    'The inbox was deleted meanwhile',
  );
}

// Which inboxes a team is assigned is the inboxes' to write (setAssignedInboxes) and to read: the team's stored
// record, through table/, so the inboxes do not import the teams folder that assigns through them.

/** The inboxes a team is assigned (none for a team gone). */
export async function teamInboxIds(wsId: string, teamId: string): Promise<string[]> {
  const item = await getItem<Item>(teamKey(wsId, teamId));
  return item ? teamFromItem(item).inboxIds : [];
}

/** Every team of a workspace with the inboxes it is assigned (an inbox's deletion drops it from them). */
export async function listTeamAssignments(wsId: string): Promise<{ id: string; inboxIds: string[] }[]> {
  return (await queryCollection(wsCollection(wsId, TEAM_PREFIX))).map(teamFromItem);
}

export function setAssignedInboxes(
  target: { type: 'member' | 'team'; wsId: string; id: string },
  inboxIds: string[],
  audit?: Item,
  added: readonly string[] = [],
  /** What else the change writes: the releases of conversations its reach no longer covers. */
  also: readonly TransactItem[] = [],
): Promise<void> {
  const Key = target.type === 'member' ? memberKey(target.wsId, target.id) : teamKey(target.wsId, target.id);
  return transact(
    [
      ...added.map((id) => inboxStillExists(target.wsId, id)),
      {
        Update: {
          TableName: tableName,
          Key,
          UpdateExpression: 'SET inboxIds = :ids',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':ids': inboxIds },
        },
      },
      ...(audit ? [putNew(audit)] : []),
      ...also,
    ],
    `The ${target.type} or an inbox was removed meanwhile, or a conversation released changed`,
  );
}
