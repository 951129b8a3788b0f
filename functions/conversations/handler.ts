import { conversations } from '../../shared/api/areas/conversations';
import * as svc from '../../shared/conversations/service';
import type { Caller } from '../../shared/http/caller';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';

// Writes read the conversation (or inbox) and the caller's member item in the same round trip as their
// fresh access check.
const onConversation = ({ params, caller }: { params: { ws: string; conversationId: string }; caller: Caller }) =>
  svc.conversationPrefetch(params.ws, params.conversationId, caller.membership?.memberId);

export const handler = areaHandler(
  'conversations',
  conversations,
  {
    listInboxConversations: async ({ access, params, query }) =>
      ok(await svc.listInboxConversations(await access(), params.inboxId, query)),
    createConversation: async ({ access, prefetched, params, body }) =>
      created({ conversation: await svc.createConversation(await access(), params.inboxId, body, await prefetched()) }),
    listAssignedConversations: async ({ access, query }) => ok(await svc.listAssignedToMe(await access(), query)),
    getConversation: async ({ access, params }) => ok(await svc.getConversation(await access(), params.conversationId)),
    deleteConversation: async ({ access, prefetched, params }) => {
      await svc.deleteConversation(await access(), params.conversationId, await prefetched());
      return noContent();
    },
    assignConversation: async ({ access, prefetched, params, body }) =>
      ok(await svc.assignConversation(await access(), params.conversationId, body.memberId, await prefetched())),
    archiveConversation: async ({ access, prefetched, params }) =>
      ok(await svc.setStatus(await access(), params.conversationId, 'archived', await prefetched())),
    reopenConversation: async ({ access, prefetched, params }) =>
      ok(await svc.setStatus(await access(), params.conversationId, 'open', await prefetched())),
    moveConversation: async ({ access, prefetched, params, body }) =>
      ok(await svc.moveConversation(await access(), params.conversationId, body.inboxId, await prefetched())),
    listMessages: async ({ access, params, query }) =>
      ok(await svc.listMessages(await access(), params.conversationId, query)),
    sendMessage: async ({ access, prefetched, params, body }) =>
      created({
        // The prefetch below is `messagePrefetch`: the outgoing rules' lists were read with the access check.
        message: await svc.send(await access(), params.conversationId, 'message', body.body, await prefetched(), true),
      }),
    sendComment: async ({ access, prefetched, params, body }) =>
      created({
        message: await svc.send(await access(), params.conversationId, 'comment', body.body, await prefetched()),
      }),
    deleteMessage: async ({ access, prefetched, params }) => {
      await svc.deleteMessage(await access(), params.conversationId, params.messageId, await prefetched());
      return noContent();
    },
    listScheduledMessages: async ({ access, params, query }) =>
      ok(await svc.listScheduled(await access(), params.conversationId, query)),
    createScheduledMessage: async ({ access, prefetched, params, body }) =>
      created({
        // The prefetch is `messagePrefetch`: a scheduled message passes the outgoing rules as a send does.
        scheduledMessage: await svc.scheduleMessage(
          await access(),
          params.conversationId,
          body,
          await prefetched(),
          true,
        ),
      }),
    cancelScheduledMessage: async ({ access, params }) => {
      await svc.cancelScheduled(await access(), params.scheduledMessageId);
      return noContent();
    },
  },
  {
    prefetch: {
      createConversation: ({ params, caller }) =>
        svc.inboxPrefetch(params.ws, params.inboxId, caller.membership?.memberId),
      deleteConversation: onConversation,
      assignConversation: onConversation,
      archiveConversation: onConversation,
      reopenConversation: onConversation,
      moveConversation: onConversation,
      sendMessage: ({ params, caller }) =>
        svc.messagePrefetch(params.ws, params.conversationId, caller.membership?.memberId),
      sendComment: onConversation,
      deleteMessage: onConversation,
      createScheduledMessage: ({ params, caller }) =>
        svc.messagePrefetch(params.ws, params.conversationId, caller.membership?.memberId),
    },
  },
);
