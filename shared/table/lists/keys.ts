// Workspace lists: each is ONE item in the workspace partition (bounded by the schema so it fits one
// item and one transaction): `WS#ws / LIST#attributes`, `LIST#optOuts`, `LIST#restrictedWords`. Beside the
// opt-out list, one marker item per opted-out contact (`WS#ws / OPTOUT#<contactId>`), written and deleted in
// the transaction that changes the list: a message's transaction checks its own contact's marker, so sends
// never name an item every other send of the workspace names too.
import { wsPk } from '../workspaces/keys';

export const LIST_NAMES = ['attributes', 'optOuts', 'restrictedWords'] as const;
export type ListName = (typeof LIST_NAMES)[number];

export const listKey = (wsId: string, name: ListName) => ({ PK: wsPk(wsId), SK: `LIST#${name}` });

export const optOutMarkerKey = (wsId: string, contactId: string) => ({
  PK: wsPk(wsId),
  SK: `OPTOUT#${contactId}`,
});
