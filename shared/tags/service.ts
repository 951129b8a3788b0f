// Tags: shared tags (managed with `tags.shared.manage`, audited) and private tags (a member's own: always
// free, seen and used by that member only; another member's private tag does not exist for you). Applying
// tags to a conversation needs `tags.apply` (the route) and a conversation the caller can see; a PUT sets
// the tags the caller sees (shared ones and their own private ones) and keeps other members' private tags.
import * as z from 'zod';
import type { Access } from '../access';
import * as conversations from '../conversations/repository';
import { authorize } from '../conversations/service';
import { type Page, readCursor, writeCursor } from '../db/pagination';
import { Forbidden, NotFound } from '../errors';
import { newId } from '../ids';
import { getMember } from '../members/repository';
import { normaliseRoleName } from '../permissions/roles';
import { actorOf, auditItem } from '../table/audit/entry';
import { inboxKey } from '../table/inboxes/keys';
import { getTeam } from '../teams/repository';
import * as repo from './repository';
import type { Tag, TagRecord } from './schema';

const toTag = (t: TagRecord): Tag => ({ id: t.id, name: t.name, kind: t.kind, createdAt: t.createdAt });

/** Shared tags are administrative: audited. A member's private tags are their own business. */
const audit = (access: Access, action: string, t: TagRecord, before: Tag | null, after: Tag | null) =>
  t.kind === 'shared'
    ? auditItem({
        workspaceId: access.workspace.id,
        actor: actorOf(access),
        action,
        target: { type: 'tag', id: t.id },
        before,
        after,
      })
    : null;

function requireSharedManage(access: Access) {
  if (access.permissions['tags.shared.manage'] === undefined) {
    throw new Forbidden('Your role does not have the permission "tags.shared.manage"', {
      permission: 'tags.shared.manage',
    });
  }
}

// The list is the shared tags, then the caller's private ones: two collections, one cursor that says which.
const TagCursor = z.object({ k: z.enum(['s', 'p']), c: z.string().min(1).max(2048).optional() });
const encode = (k: 's' | 'p', c: string | null) => writeCursor({ k, ...(c ? { c } : {}) });
const decode = (cursor: string | undefined): z.infer<typeof TagCursor> =>
  cursor === undefined ? { k: 's' } : readCursor(cursor, TagCursor);

export async function listTags(
  access: Access,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Tag>> {
  const wsId = access.workspace.id;
  const at = decode(page.cursor);
  const items: TagRecord[] = [];
  if (at.k === 's') {
    const shared = await repo.listSharedTags(wsId, { limit: page.limit, cursor: at.c });
    items.push(...shared.items);
    if (shared.nextCursor) return { items: items.map(toTag), nextCursor: encode('s', shared.nextCursor) };
    if (items.length === page.limit) return { items: items.map(toTag), nextCursor: encode('p', null) };
  }
  const own = await repo.listPrivateTags(wsId, access.memberId, {
    limit: page.limit - items.length,
    cursor: at.k === 'p' ? at.c : undefined,
  });
  items.push(...own.items);
  return { items: items.map(toTag), nextCursor: own.nextCursor ? encode('p', own.nextCursor) : null };
}

export async function createTag(access: Access, input: { name: string; kind: 'shared' | 'private' }): Promise<Tag> {
  if (input.kind === 'shared') requireSharedManage(access);
  const now = new Date().toISOString();
  const t: TagRecord = {
    id: newId('tag'),
    workspaceId: access.workspace.id,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    kind: input.kind,
    ownerMemberId: input.kind === 'private' ? access.memberId : null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await repo.createTag(t, audit(access, 'tag.create', t, null, toTag(t)));
  return toTag(t);
}

async function tagOr404(access: Access, tagId: string): Promise<TagRecord> {
  const t = await repo.getTagFor(access.workspace.id, tagId, access.memberId);
  if (!t) throw new NotFound('Tag');
  if (t.kind === 'shared') requireSharedManage(access);
  return t;
}

export async function updateTag(access: Access, tagId: string, input: { name: string }): Promise<Tag> {
  const before = await tagOr404(access, tagId);
  const after: TagRecord = {
    ...before,
    name: input.name,
    nameKey: normaliseRoleName(input.name),
    version: before.version + 1,
    updatedAt: new Date().toISOString(),
  };
  await repo.updateTag(before, after, audit(access, 'tag.update', after, toTag(before), toTag(after)));
  return toTag(after);
}

export async function deleteTag(access: Access, tagId: string): Promise<void> {
  const t = await tagOr404(access, tagId);
  await repo.deleteTag(t, audit(access, 'tag.delete', t, toTag(t), null));
}

/** Inboxes the caller reaches directly or through a team. */
async function reachOf(access: Access): Promise<Set<string>> {
  const member = await getMember(access.workspace.id, access.memberId, true);
  if (!member) return new Set();
  const teams = await Promise.all(member.teamIds.map((id) => getTeam(access.workspace.id, id)));
  return new Set([...member.inboxIds, ...teams.flatMap((t) => t?.inboxIds ?? [])]);
}

/** A conversation the caller may do `permission` on (the conversations' own decision), or 404/403. */
async function conversationFor(access: Access, conversationId: string, permission: 'tags.apply' | 'messages.view') {
  const wsId = access.workspace.id;
  const conversation = await conversations.getConversation(wsId, conversationId, true);
  if (!conversation) throw new NotFound('Conversation');
  const inboxItem = (await conversations.batchGet([inboxKey(wsId, conversation.inboxId)], true))[0];
  if (!inboxItem) throw new NotFound('Conversation');
  const inbox = conversations.parseInboxFacts(inboxItem);
  authorize(access, conversation, inbox, (await reachOf(access)).has(inbox.id), permission);
  return conversation;
}

/** The conversation's tags the caller sees (shared ones and their own private ones) that still exist. */
async function visibleTags(access: Access, refs: readonly { id: string; ownerMemberId: string | null }[]) {
  const mine = refs.filter((r) => r.ownerMemberId === null || r.ownerMemberId === access.memberId);
  const found = await repo.getTags(access.workspace.id, mine);
  return found.map(toTag).sort((a, b) => a.id.localeCompare(b.id));
}

export async function getConversationTags(access: Access, conversationId: string) {
  await conversationFor(access, conversationId, 'messages.view');
  const current = await repo.getConversationTags(access.workspace.id, conversationId, false);
  return { conversationId, tags: await visibleTags(access, current.tags) };
}

/**
 * Sets the tags the caller sees on a conversation. Each tag must be a shared tag or the caller's own
 * private tag (anything else, another workspace's included, is a 404 and nothing is written); the
 * transaction checks that the conversation and every added tag still exist. Ids of deleted tags are
 * dropped here.
 */
export async function setConversationTags(access: Access, conversationId: string, tagIds: string[]) {
  const wsId = access.workspace.id;
  await conversationFor(access, conversationId, 'tags.apply');
  const [tags, current] = await Promise.all([
    repo.getTagsFor(wsId, tagIds, access.memberId),
    repo.getConversationTags(wsId, conversationId, true),
  ]);
  const wanted = [...new Set(tagIds)];
  if (tags.length !== wanted.length) throw new NotFound('Tag');
  const others = current.tags.filter((t) => t.ownerMemberId !== null && t.ownerMemberId !== access.memberId);
  const refs = tags.map((t) => ({ id: t.id, ownerMemberId: t.ownerMemberId }));
  const had = new Set(current.tags.map((t) => t.id));
  await repo.setConversationTags(wsId, conversationId, [...others, ...refs], current.version, [
    repo.conversationStillExists(wsId, conversationId),
    ...refs.filter((r) => !had.has(r.id)).map((r) => repo.tagStillExists(wsId, r)),
  ]);
  return { conversationId, tags: tags.map(toTag).sort((a, b) => a.id.localeCompare(b.id)) };
}
