// The schemas of the conversations Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  AssignBody,
  AssignedConversationsQuery,
  Conversation,
  ConversationPage,
  ConversationParams,
  CreateConversationBody,
  InboxConversationsParams,
  ListConversationsQuery,
  Message,
  MessagePage,
  MessageParams,
  MoveBody,
  ScheduleBody,
  ScheduledMessage,
  ScheduledMessagePage,
  ScheduledMessageParams,
  SendBody,
} from '../../conversations/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const conversations = {
  listInboxConversations: {
    params: InboxConversationsParams,
    query: ListConversationsQuery,
    status: 200,
    response: ConversationPage,
  },
  createConversation: {
    params: InboxConversationsParams,
    body: CreateConversationBody,
    status: 201,
    response: z.object({ conversation: Conversation }),
  },
  listAssignedConversations: {
    params: WorkspaceIdParams,
    query: AssignedConversationsQuery,
    status: 200,
    response: ConversationPage,
  },
  getConversation: { params: ConversationParams, status: 200, response: Conversation },
  deleteConversation: { params: ConversationParams, status: 204, response: z.null() },
  assignConversation: { params: ConversationParams, body: AssignBody, status: 200, response: Conversation },
  archiveConversation: { params: ConversationParams, status: 200, response: Conversation },
  reopenConversation: { params: ConversationParams, status: 200, response: Conversation },
  moveConversation: {
    params: ConversationParams,
    body: MoveBody,
    status: 200,
    response: Conversation,
    errors: { 409: 'Conflict; or a shared conversation asked into a personal inbox (code shared_to_personal)' },
  },
  listMessages: { params: ConversationParams, query: ListConversationsQuery, status: 200, response: MessagePage },
  sendMessage: {
    params: ConversationParams,
    body: SendBody,
    status: 201,
    response: z.object({ message: Message }),
    errors: {
      409: 'Conflict; or the contact opted out (code opted_out, with contactId)',
      422: 'The message contains a restricted word (code restricted_word, with word)',
    },
  },
  sendComment: { params: ConversationParams, body: SendBody, status: 201, response: z.object({ message: Message }) },
  deleteMessage: { params: MessageParams, status: 204, response: z.null() },
  listScheduledMessages: {
    params: ConversationParams,
    query: ListConversationsQuery,
    status: 200,
    response: ScheduledMessagePage,
  },
  createScheduledMessage: {
    params: ConversationParams,
    body: ScheduleBody,
    status: 201,
    response: z.object({ scheduledMessage: ScheduledMessage }),
    errors: {
      409: 'Conflict; or the contact opted out (code opted_out, with contactId)',
      422: 'The message contains a restricted word (code restricted_word, with word)',
    },
  },
  cancelScheduledMessage: {
    params: ScheduledMessageParams,
    status: 204,
    response: z.null(),
    errors: { 409: 'The scheduled message was already sent or failed (code conflict, with status)' },
  },
} as const satisfies AreaContract<'conversations'>;
