// Inbox items another entity's write carries (assigning an inbox to a team or an invitation).
import { tableName } from '../../db/client';
import { inboxKey } from './keys';

/** Replaces the inbox list of a member or a team (assignment is a whole-list write). */
/** Assigning an inbox is conditioned on it still existing: a concurrent delete wins, never a dangling id. */
export const inboxStillExists = (wsId: string, inboxId: string) => ({
  ConditionCheck: { TableName: tableName, Key: inboxKey(wsId, inboxId), ConditionExpression: 'attribute_exists(PK)' },
});
