// Tags (pure key builders).
// - a shared tag: `WS#ws / TAG#S#<id>`; a member's private tag: `WS#ws / TAG#P#<member>#<id>` (a member lists
//   the shared ones, then their own, each a collection of its own);
// - name locks: `TAGNAME#S#<name key>`, `TAGNAME#P#<member>#<name key>` (names that read alike are one name);
// - a conversation's tags: `WS#ws / CONVTAGS#<conversation>` (one small item: the ids and whose private tag each is).
import { wsPk } from '../workspaces/keys';

export const SHARED_TAG_PREFIX = 'TAG#S#';
export const privateTagPrefix = (memberId: string) => `TAG#P#${memberId}#`;

export const sharedTagKey = (wsId: string, tagId: string) => ({ PK: wsPk(wsId), SK: `${SHARED_TAG_PREFIX}${tagId}` });
export const privateTagKey = (wsId: string, memberId: string, tagId: string) => ({
  PK: wsPk(wsId),
  SK: `${privateTagPrefix(memberId)}${tagId}`,
});
export const tagNameKey = (wsId: string, owner: string | null, nameKey: string) => ({
  PK: wsPk(wsId),
  SK: owner === null ? `TAGNAME#S#${nameKey}` : `TAGNAME#P#${owner}#${nameKey}`,
});
export const conversationTagsKey = (wsId: string, conversationId: string) => ({
  PK: wsPk(wsId),
  SK: `CONVTAGS#${conversationId}`,
});
