// Workspace lists: each is ONE item in the workspace partition (bounded by the schema so it fits one
// item and one transaction): `WS#ws / LIST#attributes`, `LIST#optOuts`, `LIST#restrictedWords`.
import { wsPk } from '../workspaces/keys';

export const LIST_NAMES = ['attributes', 'optOuts', 'restrictedWords'] as const;
export type ListName = (typeof LIST_NAMES)[number];

export const listKey = (wsId: string, name: ListName) => ({ PK: wsPk(wsId), SK: `LIST#${name}` });
