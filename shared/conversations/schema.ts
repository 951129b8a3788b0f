// Conversations, their messages and internal comments, scheduled messages (PRODUCT.md §7; API.md shapes).
import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import {
  Conversation,
  ConversationRecord,
  ConversationStatus,
  Message,
  MessageKind,
  MessageRecord,
  ScheduledAuthor,
  ScheduledFailureReason,
  ScheduledMessage,
  ScheduledMessageRecord,
  ScheduledStatus,
} from '../table/conversations/conversation';

export {
  Conversation,
  ConversationRecord,
  ConversationStatus,
  Message,
  MessageKind,
  MessageRecord,
  ScheduledAuthor,
  ScheduledFailureReason,
  ScheduledMessage,
  ScheduledMessageRecord,
  ScheduledStatus,
};

const Id = z.string().min(1).max(64);

/** A message or comment body: 1..10,000 characters, not blank. */
export const MessageText = z
  .string()
  .max(10_000)
  .refine((s) => s.trim().length > 0, 'must not be empty');

// ---- requests

export const InboxConversationsParams = z.object({ ws: Id, inboxId: Id });
export const ConversationParams = z.object({ ws: Id, conversationId: Id });
export const MessageParams = z.object({ ws: Id, conversationId: Id, messageId: Id });
export const ScheduledMessageParams = z.object({ ws: Id, scheduledMessageId: Id });

export const CreateConversationBody = z.strictObject({
  subject: z.string().trim().min(1).max(200).optional(),
  contactId: Id.optional(),
});
export const ListConversationsQuery = PageQuery.strict();
/** "Assigned to me" across inboxes: `?assignee=me` (the only filter so far, so required). */
export const AssignedConversationsQuery = PageQuery.extend({ assignee: z.literal('me') }).strict();
/** `null` unassigns. */
export const AssignBody = z.strictObject({ memberId: Id.nullable() });
export const MoveBody = z.strictObject({ inboxId: Id });
export const SendBody = z.strictObject({ body: MessageText });
export const ScheduleBody = z.strictObject({
  body: MessageText,
  /** When to send: ISO-8601 with an offset, in the future, at most a year ahead. */
  sendAt: z.iso.datetime({ offset: true }),
});

// ---- answers

export const ConversationPage = z
  .object({ items: z.array(Conversation), nextCursor: z.string().nullable() })
  .meta({ id: 'ConversationPage' });

export const MessagePage = z
  .object({ items: z.array(Message), nextCursor: z.string().nullable() })
  .meta({ id: 'MessagePage' });

export const ScheduledMessagePage = z
  .object({ items: z.array(ScheduledMessage), nextCursor: z.string().nullable() })
  .meta({ id: 'ScheduledMessagePage' });
