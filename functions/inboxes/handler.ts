import { inboxes } from '../../shared/api/areas/inboxes';
import { conversationReleases } from '../../shared/conversations/releases';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import { createInbox, deleteInbox, listVisibleInboxes, updateInbox } from '../../shared/inboxes/service';

export const handler = areaHandler('inboxes', inboxes, {
  listInboxes: async ({ access, query }) => ok(await listVisibleInboxes(await access(), query)),
  createInbox: async ({ access, body }) => created(await createInbox(await access(), body)),
  updateInbox: async ({ access, params, body }) =>
    ok(await updateInbox(await access(), params.inboxId, body, conversationReleases)),
  deleteInbox: async ({ access, params }) => {
    await deleteInbox(await access(), params.inboxId);
    return noContent();
  },
});
