// Conversations in DynamoDB (see keys.ts for the items). Every item read is parsed with its zod schema here.
// A conversation and its assignee entry are always written in the same transaction; administrative changes
// are conditioned on the conversation's `version`, sends on the facts their decision used.
import type * as z from 'zod';
import { BatchGetCommand, BatchWriteCommand, db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser } from '../db/items';
import { getItem, putNew, queryAll, queryPage, type TransactItem, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import { Conflict } from '../errors';
import { conversationCounterItems, messageSentCounterItem } from '../table/analytics/items';
import {
  type Conversation,
  ConversationRecord,
  type Message,
  MessageRecord,
  type ScheduledFailureReason,
  type ScheduledMessage,
  ScheduledMessageRecord,
} from '../table/conversations/conversation';
import {
  assignedEntryKey,
  assigneeIndexKey,
  assigneePk,
  conversationKey,
  inboxConversationIndexKey,
  inboxConversationsPk,
  MESSAGE_PREFIX,
  messageKey,
  messagesPk,
  scheduledDueIndexKey,
  scheduledIndexKey,
  scheduledKey,
  scheduledOfConversationPk,
} from '../table/conversations/keys';
import { Inbox } from '../table/inboxes/inbox';
import { conversationTagsCleanup } from '../table/tags/items';
import { wsPk } from '../table/workspaces/keys';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

/** What decisions need of an inbox (kind and owner never change; visibility may). */
export const InboxFacts = Inbox.pick({ id: true, kind: true, visibility: true, ownerMemberId: true });
export type InboxFacts = z.infer<typeof InboxFacts>;

export const toConversation = (r: ConversationRecord): Conversation => ({
  id: r.id,
  inboxId: r.inboxId,
  subject: r.subject,
  contactId: r.contactId,
  assigneeId: r.assigneeId,
  status: r.status,
  lastActivityAt: r.lastActivityAt,
  createdAt: r.createdAt,
});
export const toMessage = (r: MessageRecord): Message => ({
  id: r.id,
  conversationId: r.conversationId,
  kind: r.kind,
  body: r.body,
  authorMemberId: r.authorMemberId,
  createdAt: r.createdAt,
});
export const toScheduled = (r: ScheduledMessageRecord): ScheduledMessage => ({
  id: r.id,
  conversationId: r.conversationId,
  body: r.body,
  sendAt: r.sendAt,
  authorMemberId: r.authorMemberId,
  status: r.status,
  ...(r.failureReason === undefined ? {} : { failureReason: r.failureReason }),
  ...(r.messageId === undefined ? {} : { messageId: r.messageId }),
  createdAt: r.createdAt,
});

export const parseConversation: (item: Item) => ConversationRecord = itemParser(ConversationRecord, 'Conversation');
export const parseInboxFacts: (item: Item) => InboxFacts = itemParser(InboxFacts, 'Inbox');
const parseMessage = itemParser(MessageRecord, 'Message');
const parseScheduled = itemParser(ScheduledMessageRecord, 'Scheduled message');

/** Items by key in one BatchGetItem (≤ 100 keys; absent ones are missing). */
export async function batchGet(keys: readonly Key[], consistent: boolean): Promise<Item[]> {
  if (keys.length === 0) return [];
  try {
    const res = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys], ConsistentRead: consistent } } }),
    );
    if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) return mapDbError({ name: 'ThrottlingException' });
    return (res.Responses?.[tableName] ?? []) as Item[];
  } catch (err) {
    return mapDbError(err);
  }
}

export const findItem = (items: readonly Item[], key: Key): Item | undefined =>
  items.find((i) => i.PK === key.PK && i.SK === key.SK);

export async function getConversation(wsId: string, id: string, consistent = true) {
  const item = await getItem<Item>(conversationKey(wsId, id), consistent);
  return item ? parseConversation(item) : undefined;
}

// ---- items of a conversation write

const conversationItem = (c: ConversationRecord): Item => ({
  ...conversationKey(c.workspaceId, c.id),
  ...inboxConversationIndexKey(c.workspaceId, c.inboxId, c.lastActivityAt, c.id),
  entity: 'Conversation',
  ...c,
});
const assignedEntryItem = (c: ConversationRecord, assigneeId: string): Item => ({
  ...assignedEntryKey(c.workspaceId, c.id),
  ...assigneeIndexKey(c.workspaceId, assigneeId, c.lastActivityAt, c.id),
  entity: 'ConversationAssignment',
  ...c,
});

/** The inbox still exists (and, when a decision used it, still has that visibility). */
export function inboxCheck(wsId: string, inbox: { id: string; visibility?: 'public' | 'private' }): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: { PK: wsPk(wsId), SK: `INBOX#${inbox.id}` },
      ConditionExpression:
        inbox.visibility === undefined ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND visibility = :vis',
      ...(inbox.visibility === undefined ? {} : { ExpressionAttributeValues: { ':vis': inbox.visibility } }),
    },
  };
}

/** A condition on another item a decision relied on (a member's or team's reach of an inbox). */
export function conditionCheck(key: Key, expression: string, values: Record<string, unknown>): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: key,
      ConditionExpression: `attribute_exists(PK) AND ${expression}`,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A transaction names each item at most once: condition checks on the same item (a move's proofs that the
 * caller reaches both inboxes through the same member or team item) become one, their expressions joined with
 * AND and the later ones' value placeholders renamed apart. Other items pass unchanged, in order.
 */
export function mergeConditionChecks(items: readonly TransactItem[]): TransactItem[] {
  const out: TransactItem[] = [];
  const checks = new Map<string, NonNullable<TransactItem['ConditionCheck']>>();
  let renamed = 0;
  for (const item of items) {
    const check = item.ConditionCheck;
    if (!check) {
      out.push(item);
      continue;
    }
    const id = `${String(check.Key?.PK)}|${String(check.Key?.SK)}`;
    const first = checks.get(id);
    if (!first) {
      // A check without values (an opt-out marker's absence) keeps none: DynamoDB refuses an empty map.
      const copy = check.ExpressionAttributeValues
        ? { ...check, ExpressionAttributeValues: { ...check.ExpressionAttributeValues } }
        : { ...check };
      checks.set(id, copy);
      out.push({ ConditionCheck: copy });
      continue;
    }
    renamed++;
    let expression = check.ConditionExpression ?? '';
    for (const [name, value] of Object.entries(check.ExpressionAttributeValues ?? {})) {
      const fresh = `${name}_m${renamed}`;
      expression = expression.replace(new RegExp(`${name}(?![A-Za-z0-9_])`, 'g'), fresh);
      first.ExpressionAttributeValues = { ...first.ExpressionAttributeValues, [fresh]: value };
    }
    if (expression) first.ConditionExpression = `(${first.ConditionExpression}) AND (${expression})`;
  }
  return out;
}

// Analytics counters (shared/analytics) move in the same transaction as what they count.

export function createConversation(c: ConversationRecord, also: TransactItem[]): Promise<void> {
  return transact(
    [putNew(conversationItem(c)), ...conversationCounterItems(c.workspaceId, null, c), ...also],
    'The inbox or the contact changed meanwhile',
  );
}

/**
 * Replaces a conversation changed by an administrative action (assign, archive, reopen, move), if it is
 * still at `before.version`; its assignee entry follows it. `also`: the audit entry and the decision's checks.
 */
export function replaceConversation(
  before: ConversationRecord,
  after: ConversationRecord,
  also: TransactItem[],
): Promise<void> {
  const entry: TransactItem[] = [];
  if (after.assigneeId !== null)
    entry.push({ Put: { TableName: tableName, Item: assignedEntryItem(after, after.assigneeId) } });
  else if (before.assigneeId !== null) {
    entry.push({ Delete: { TableName: tableName, Key: assignedEntryKey(before.workspaceId, before.id) } });
  }
  return transact(
    [
      {
        Put: {
          TableName: tableName,
          Item: conversationItem(after),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': before.version },
        },
      },
      ...entry,
      ...conversationCounterItems(after.workspaceId, before, after),
      ...also,
    ],
    'The conversation changed meanwhile',
  );
}

/**
 * Unassigns a conversation from `memberId` if it is still theirs (a deactivated member's assignments). Conditioned
 * on the assignee only, not the version, so messages sent meanwhile do not make it fail; the counters follow
 * status and inbox, which do not change. `false`: it is no longer assigned to them.
 */
export async function releaseAssignee(
  wsId: string,
  conversationId: string,
  memberId: string,
  at: string,
  also: TransactItem[],
): Promise<boolean> {
  try {
    await transact(
      [...releaseAssigneeItems(wsId, conversationId, memberId, at), ...also],
      'The conversation is no longer assigned to the member',
    );
    return true;
  } catch (err) {
    if (err instanceof Conflict) return false;
    throw err;
  }
}

/** The items of `releaseAssignee`, for a transaction that carries them with its own (a change of reach). */
export function releaseAssigneeItems(
  wsId: string,
  conversationId: string,
  memberId: string,
  at: string,
): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: conversationKey(wsId, conversationId),
        UpdateExpression: 'SET assigneeId = :none, updatedAt = :at ADD version :one',
        ConditionExpression: 'assigneeId = :member',
        ExpressionAttributeValues: { ':none': null, ':at': at, ':one': 1, ':member': memberId },
      },
    },
    { Delete: { TableName: tableName, Key: assignedEntryKey(wsId, conversationId) } },
  ];
}

export function deleteConversation(c: ConversationRecord, also: TransactItem[]): Promise<void> {
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: conversationKey(c.workspaceId, c.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': c.version },
        },
      },
      ...(c.assigneeId !== null
        ? [{ Delete: { TableName: tableName, Key: assignedEntryKey(c.workspaceId, c.id) } } as TransactItem]
        : []),
      ...conversationCounterItems(c.workspaceId, c, null),
      conversationTagsCleanup(c.workspaceId, c.id),
      ...also,
    ],
    'The conversation changed meanwhile',
  );
}

/**
 * A message or comment, and the conversation's new activity time, in one transaction. Conditioned on the
 * conversation still being where the decision saw it (inbox, assignee) rather than on its version, so two
 * people writing in one conversation at once both succeed. `inboxVisibility` refreshes the snapshot.
 */
export function addMessage(
  c: ConversationRecord,
  m: MessageRecord,
  inboxVisibility: 'public' | 'private',
  also: TransactItem[],
): Promise<void> {
  const idx = inboxConversationIndexKey(c.workspaceId, c.inboxId, m.createdAt, c.id);
  const values = {
    ':at': m.createdAt,
    ':sk': idx.GSI1SK,
    ':inbox': c.inboxId,
    ':vis': inboxVisibility,
    ':one': 1,
    ...(c.assigneeId === null ? {} : { ':assignee': c.assigneeId }),
  };
  const assigneeCondition =
    c.assigneeId === null
      ? 'attribute_not_exists(assigneeId) OR attribute_type(assigneeId, :nullType)'
      : 'assigneeId = :assignee';
  const items: TransactItem[] = [
    putNew({ ...messageKey(c.workspaceId, c.id, m.id), entity: 'Message', ...m }),
    {
      Update: {
        TableName: tableName,
        Key: conversationKey(c.workspaceId, c.id),
        UpdateExpression:
          'SET lastActivityAt = :at, updatedAt = :at, GSI1SK = :sk, inboxVisibility = :vis ADD version :one',
        ConditionExpression: `inboxId = :inbox AND (${assigneeCondition})`,
        ExpressionAttributeValues: c.assigneeId === null ? { ...values, ':nullType': 'NULL' } : values,
      },
    },
  ];
  if (c.assigneeId !== null) {
    items.push({
      Update: {
        TableName: tableName,
        Key: assignedEntryKey(c.workspaceId, c.id),
        UpdateExpression:
          'SET lastActivityAt = :at, updatedAt = :at, GSI1SK = :sk, inboxVisibility = :vis ADD version :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: {
          ':at': m.createdAt,
          ':sk': assigneeIndexKey(c.workspaceId, c.assigneeId, m.createdAt, c.id).GSI1SK,
          ':vis': inboxVisibility,
          ':one': 1,
        },
      },
    });
  }
  if (m.kind === 'message') items.push(messageSentCounterItem(c.workspaceId, m.authorMemberId, m.createdAt));
  return transact([...items, ...also], 'The conversation changed meanwhile');
}

export async function getMessage(wsId: string, conversationId: string, messageId: string) {
  const item = await getItem<Item>(messageKey(wsId, conversationId, messageId));
  return item ? parseMessage(item) : undefined;
}

export function deleteMessage(m: MessageRecord, also: TransactItem[]): Promise<void> {
  return transact(
    [
      {
        Delete: {
          TableName: tableName,
          Key: messageKey(m.workspaceId, m.conversationId, m.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      ...also,
    ],
    'The message was deleted meanwhile',
  );
}

// ---- lists: one Query with Limit each; cursors accepted only for their own list

type PageReq = { limit: number; cursor?: string | undefined };

/** An inbox's conversations, newest activity first. */
export function listInboxConversations(wsId: string, inboxId: string, page: PageReq): Promise<Page<Conversation>> {
  const pk = inboxConversationsPk(wsId, inboxId);
  return queryPage(
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    },
    page,
    { PK: wsPk(wsId), SK: { prefix: 'CONV#' }, GSI1PK: pk, GSI1SK: { prefix: '' } },
    (i) => toConversation(parseConversation(i)),
  );
}

/** Conversations assigned to a member, across inboxes, newest activity first. */
export function listAssigned(wsId: string, memberId: string, page: PageReq): Promise<Page<Conversation>> {
  const pk = assigneePk(wsId, memberId);
  return queryPage(
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    },
    page,
    { PK: wsPk(wsId), SK: { prefix: 'CONVASSIGNED#' }, GSI1PK: pk, GSI1SK: { prefix: '' } },
    (i) => toConversation(parseConversation(i)),
  );
}

/** Messages and comments of a conversation, oldest first (the order a thread reads in). */
export function listMessages(wsId: string, conversationId: string, page: PageReq): Promise<Page<Message>> {
  const pk = messagesPk(wsId, conversationId);
  return queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_PREFIX },
    },
    page,
    { PK: pk, SK: { prefix: MESSAGE_PREFIX } },
    (i) => toMessage(parseMessage(i)),
  );
}

// ---- scheduled messages

/** A new scheduled message, with its due-index entry (what the delivery job walks at `sendAt`). */
export function createScheduled(s: ScheduledMessageRecord, also: TransactItem[]): Promise<void> {
  return transact(
    [
      putNew({
        ...scheduledKey(s.workspaceId, s.id),
        ...scheduledIndexKey(s.workspaceId, s.conversationId, s.sendAt, s.id),
        ...scheduledDueIndexKey(s.workspaceId, s.id, s.sendAt),
        entity: 'ScheduledMessage',
        ...s,
      }),
      ...also,
    ],
    'The conversation changed meanwhile',
  );
}

export function parseScheduledItem(item: Item): ScheduledMessageRecord {
  return parseScheduled(item);
}

export async function getScheduled(wsId: string, id: string, consistent = true) {
  const item = await getItem<Item>(scheduledKey(wsId, id), consistent);
  return item ? parseScheduled(item) : undefined;
}

/**
 * The one way out of `scheduled` (to sent, failed or cancelled): conditioned on it still being `scheduled`, so of
 * two runs (or a run and a cancel) only one moves it; its due-index entry goes in the same write.
 */
export function settleScheduled(
  s: Pick<ScheduledMessageRecord, 'workspaceId' | 'id'>,
  to:
    | { status: 'sent'; messageId: string }
    | { status: 'failed'; failureReason: ScheduledFailureReason }
    | { status: 'cancelled' },
  at: string,
): TransactItem {
  const set = ['#status = :to', 'settledAt = :at'];
  const values: Record<string, unknown> = { ':to': to.status, ':at': at, ':scheduled': 'scheduled' };
  if (to.status === 'sent') {
    set.push('messageId = :message');
    values[':message'] = to.messageId;
  }
  if (to.status === 'failed') {
    set.push('failureReason = :reason');
    values[':reason'] = to.failureReason;
  }
  return {
    Update: {
      TableName: tableName,
      Key: scheduledKey(s.workspaceId, s.id),
      UpdateExpression: `SET ${set.join(', ')} REMOVE GSI2PK, GSI2SK`,
      ConditionExpression: '#status = :scheduled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    },
  };
}

/** `settleScheduled` with what else its transaction writes (the audit entry, a cancel's decision checks). */
export function settleScheduledWith(
  s: Pick<ScheduledMessageRecord, 'workspaceId' | 'id'>,
  to: Parameters<typeof settleScheduled>[1],
  at: string,
  also: TransactItem[],
): Promise<void> {
  return transact([settleScheduled(s, to, at), ...also], 'The scheduled message is no longer scheduled');
}

/** A conversation's scheduled messages, soonest first. */
export function listScheduled(wsId: string, conversationId: string, page: PageReq): Promise<Page<ScheduledMessage>> {
  const pk = scheduledOfConversationPk(wsId, conversationId);
  return queryPage(
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': pk } },
    page,
    { PK: wsPk(wsId), SK: { prefix: 'SCHED#' }, GSI1PK: pk, GSI1SK: { prefix: '' } },
    (i) => toScheduled(parseScheduled(i)),
  );
}

/**
 * After a conversation is deleted: its messages and scheduled messages, in BatchWrite rounds. Nothing reads
 * them once the conversation is gone (every route finds the conversation first), so a failure here leaves
 * only unreachable items; a rerun finishes the job.
 */
export async function purgeConversation(wsId: string, conversationId: string): Promise<void> {
  const pk = messagesPk(wsId, conversationId);
  const messages = await queryAll({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'PK, SK',
  });
  const scheduled = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': scheduledOfConversationPk(wsId, conversationId) },
    ProjectionExpression: 'PK, SK',
  });
  const keys = [...messages, ...scheduled].map((i) => ({ PK: i.PK, SK: i.SK }));
  try {
    for (let i = 0; i < keys.length; i += 25) {
      let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  } catch (err) {
    mapDbError(err);
  }
}
