// The schemas of the tags Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  ConversationTags,
  ConversationTagsParams,
  CreateTagBody,
  ListTagsQuery,
  SetConversationTagsBody,
  Tag,
  TagPage,
  TagParams,
  UpdateTagBody,
} from '../../tags/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const tags = {
  listTags: { params: WorkspaceIdParams, query: ListTagsQuery, status: 200, response: TagPage },
  createTag: { params: WorkspaceIdParams, body: CreateTagBody, status: 201, response: Tag },
  updateTag: { params: TagParams, body: UpdateTagBody, status: 200, response: Tag },
  deleteTag: { params: TagParams, status: 204, response: z.null() },
  getConversationTags: { params: ConversationTagsParams, status: 200, response: ConversationTags },
  setConversationTags: {
    params: ConversationTagsParams,
    body: SetConversationTagsBody,
    status: 200,
    response: ConversationTags,
  },
} as const satisfies AreaContract<'tags'>;
