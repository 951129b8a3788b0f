// Conversations, their messages and scheduled messages as the API shows them and as stored (the records: the API's
// shape plus storage fields). Below the conversations domain so what reads or releases conversations (the members,
// teams, inboxes and workspaces functions, through shared/releases.ts) loads these, not the conversations API's
// request schemas (shared/conversations/schema.ts re-exports them).
import * as z from 'zod';

export const ConversationStatus = z.enum(['open', 'archived']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Conversation = z
  .object({
    id: z.string(),
    inboxId: z.string(),
    subject: z.string().nullable(),
    contactId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    status: ConversationStatus,
    lastActivityAt: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const MessageKind = z.enum(['message', 'comment']);
export const Message = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    kind: MessageKind,
    body: z.string(),
    authorMemberId: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

/** scheduled → sent (delivered at sendAt), failed (its author could not send it then), or cancelled. */
export const ScheduledStatus = z.enum(['scheduled', 'sent', 'failed', 'cancelled']);
export type ScheduledStatus = z.infer<typeof ScheduledStatus>;
/**
 * Why a delivery failed, decided again as its author at sendAt: the author no longer an active member (or its key
 * no longer works), the conversation gone or no longer visible to it, `messages.send` no longer held at a scope
 * reaching it, the contact opted out, a restricted word, or the plan.
 */
export const ScheduledFailureReason = z.enum([
  'author_inactive',
  'not_found',
  'forbidden',
  'opted_out',
  'restricted_word',
  'plan_limit',
]);
export type ScheduledFailureReason = z.infer<typeof ScheduledFailureReason>;

export const ScheduledMessage = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    body: z.string(),
    sendAt: z.string(),
    authorMemberId: z.string(),
    status: ScheduledStatus,
    failureReason: ScheduledFailureReason.optional(),
    /** The message it became, once sent. */
    messageId: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'ScheduledMessage' });
export type ScheduledMessage = z.infer<typeof ScheduledMessage>;

// ---- what the table holds (parsed at the repository boundary)

export const ConversationRecord = Conversation.extend({
  workspaceId: z.string(),
  /**
   * The inbox's visibility when last seen: sends decide on it without reading the inbox, and their
   * transaction checks the inbox still has it (a changed inbox fails that check and is read afresh).
   */
  inboxVisibility: z.enum(['public', 'private']),
  /** The inbox's kind and owner, which never change (a personal inbox is wholly its owner's). */
  inboxKind: z.enum(['shared', 'personal']),
  inboxOwnerId: z.string().nullable(),
  /** Moves with every administrative change (assign, archive, reopen, move) and every message. */
  version: z.number().int(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

export const MessageRecord = Message.extend({ workspaceId: z.string() });
export type MessageRecord = z.infer<typeof MessageRecord>;

/**
 * Who the author is, to decide again as it at delivery: a user (a member, or a company admin) or an API key (by its
 * id; its hash is read from the key's record then). Absent on items written before delivery existed: the author is
 * then found by its member id.
 */
export const ScheduledAuthor = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('apiKey'), keyId: z.string() }),
]);
export type ScheduledAuthor = z.infer<typeof ScheduledAuthor>;

export const ScheduledMessageRecord = ScheduledMessage.extend({
  workspaceId: z.string(),
  author: ScheduledAuthor.optional(),
  /** The instant it left `scheduled` (sent, failed or cancelled). */
  settledAt: z.string().optional(),
});
export type ScheduledMessageRecord = z.infer<typeof ScheduledMessageRecord>;
