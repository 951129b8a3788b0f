// Tag items another entity's write carries (deleting a conversation deletes its tags).
import { tableName } from '../../db/client';
import type { TransactItem } from '../../db/ops';
import { conversationTagsKey } from './keys';

/** FOR CONVERSATIONS: put this in the transaction that deletes a conversation (its tags go with it). */
export const conversationTagsCleanup = (wsId: string, conversationId: string): TransactItem => ({
  Delete: { TableName: tableName, Key: conversationTagsKey(wsId, conversationId) },
});
