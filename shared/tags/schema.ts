import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { DisplayName } from '../text/display-name';

const Id = z.string().min(1).max(64);

/** Tags one PUT may set on a conversation: its transaction checks each added tag (≤ 100 items). */
export const MAX_CONVERSATION_TAGS = 30;

export const TagKind = z.enum(['shared', 'private']);

export const CreateTagBody = z.strictObject({ name: DisplayName.max(50), kind: TagKind });
export const UpdateTagBody = z.strictObject({ name: DisplayName.max(50) });
export const TagParams = z.object({ ws: Id, tagId: Id });
export const ListTagsQuery = PageQuery.strict();
export const SetConversationTagsBody = z.strictObject({ tagIds: z.array(Id).max(MAX_CONVERSATION_TAGS) });
export const ConversationTagsParams = z.object({ ws: Id, conversationId: Id });

export const Tag = z
  .object({ id: z.string(), name: z.string(), kind: TagKind, createdAt: z.string() })
  .meta({ id: 'Tag' });
export type Tag = z.infer<typeof Tag>;
export const TagPage = z.object({ items: z.array(Tag), nextCursor: z.string().nullable() }).meta({ id: 'TagPage' });
export const ConversationTags = z
  .object({ conversationId: z.string(), tags: z.array(Tag) })
  .meta({ id: 'ConversationTags' });

export const TagRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  nameKey: z.string(),
  kind: TagKind,
  /** The member a private tag belongs to; null for a shared tag. */
  ownerMemberId: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TagRecord = z.infer<typeof TagRecord>;

/** The tags on one conversation: each id, and the member whose private tag it is (null: shared). */
export const ConversationTagsRecord = z.object({
  tags: z.array(z.object({ id: z.string(), ownerMemberId: z.string().nullable() })),
  version: z.number().int(),
});
export type ConversationTagsRecord = z.infer<typeof ConversationTagsRecord>;
