// Conversations (pure key builders).
// - the conversation: `WS#ws / CONV#<id>`; GSI1 `WS#ws#INBOX#<inbox>#CONV` / `<lastActivityAt>#<id>` (an inbox's
//   conversations, newest activity first);
// - its assignee entry, only while assigned: `WS#ws / CONVASSIGNED#<id>`; GSI1 `WS#ws#ASSIGNEE#<member>` /
//   `<lastActivityAt>#<id>` ("assigned to me" across inboxes). A copy of the conversation written in the same
//   transactions as it, so that list needs no second read;
// - messages and comments: `WS#ws#CONV#<id> / MSG#<ulid>` (a partition per conversation, in time order);
// - scheduled messages: `WS#ws / SCHED#<id>`; GSI1 `WS#ws#CONV#<id>#SCHED` / `<sendAt>#<id>`; while `scheduled`
//   only, the sparse GSI2 entry `SCHEDDUE#<shard>` / `<sendAt>#<ws>#<id>` the delivery job walks for what is due
//   (removed in the same write that sends, fails or cancels it).
import { shardOf } from '../../db/shard';
import { wsPk } from '../workspaces/keys';

export const CONVERSATION_PREFIX = 'CONV#';
export const MESSAGE_PREFIX = 'MSG#';

export const conversationKey = (wsId: string, conversationId: string) => ({
  PK: wsPk(wsId),
  SK: `${CONVERSATION_PREFIX}${conversationId}`,
});
export const inboxConversationsPk = (wsId: string, inboxId: string) => `${wsPk(wsId)}#INBOX#${inboxId}#CONV`;
export const activitySk = (lastActivityAt: string, conversationId: string) => `${lastActivityAt}#${conversationId}`;
export const inboxConversationIndexKey = (
  wsId: string,
  inboxId: string,
  lastActivityAt: string,
  conversationId: string,
) => ({ GSI1PK: inboxConversationsPk(wsId, inboxId), GSI1SK: activitySk(lastActivityAt, conversationId) });

export const assignedEntryKey = (wsId: string, conversationId: string) => ({
  PK: wsPk(wsId),
  SK: `CONVASSIGNED#${conversationId}`,
});
export const assigneePk = (wsId: string, memberId: string) => `${wsPk(wsId)}#ASSIGNEE#${memberId}`;
export const assigneeIndexKey = (wsId: string, memberId: string, lastActivityAt: string, conversationId: string) => ({
  GSI1PK: assigneePk(wsId, memberId),
  GSI1SK: activitySk(lastActivityAt, conversationId),
});

export const messagesPk = (wsId: string, conversationId: string) => `${wsPk(wsId)}#CONV#${conversationId}`;
export const messageKey = (wsId: string, conversationId: string, messageId: string) => ({
  PK: messagesPk(wsId, conversationId),
  SK: `${MESSAGE_PREFIX}${messageId}`,
});

export const scheduledKey = (wsId: string, scheduledId: string) => ({ PK: wsPk(wsId), SK: `SCHED#${scheduledId}` });
export const scheduledOfConversationPk = (wsId: string, conversationId: string) =>
  `${wsPk(wsId)}#CONV#${conversationId}#SCHED`;
export const scheduledIndexKey = (wsId: string, conversationId: string, sendAt: string, scheduledId: string) => ({
  GSI1PK: scheduledOfConversationPk(wsId, conversationId),
  GSI1SK: `${sendAt}#${scheduledId}`,
});

/** Scheduled messages waiting for their `sendAt` spread over this many GSI2 partitions (by a hash of the id). */
export const SCHEDULED_DUE_SHARDS = 8;
export const scheduledDuePk = (shard: number) => `SCHEDDUE#${shard}`;
export const scheduledDueIndexKey = (wsId: string, scheduledId: string, sendAt: string) => ({
  GSI2PK: scheduledDuePk(shardOf(scheduledId, SCHEDULED_DUE_SHARDS)),
  GSI2SK: `${sendAt}#${wsId}#${scheduledId}`,
});
