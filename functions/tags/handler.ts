import { tags } from '../../shared/api/areas/tags';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import {
  createTag,
  deleteTag,
  getConversationTags,
  listTags,
  setConversationTags,
  updateTag,
} from '../../shared/tags/service';

export const handler = areaHandler('tags', tags, {
  listTags: async ({ access, query }) => ok(await listTags(await access(), query)),
  createTag: async ({ access, body }) => created(await createTag(await access(), body)),
  updateTag: async ({ access, params, body }) => ok(await updateTag(await access(), params.tagId, body)),
  deleteTag: async ({ access, params }) => {
    await deleteTag(await access(), params.tagId);
    return noContent();
  },
  getConversationTags: async ({ access, params }) =>
    ok(await getConversationTags(await access(), params.conversationId)),
  setConversationTags: async ({ access, params, body }) =>
    ok(await setConversationTags(await access(), params.conversationId, body.tagIds)),
});
