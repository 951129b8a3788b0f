// Inboxes (PRODUCT.md §7): public ones are seen by every member whose role works in inboxes, private
// ones by members assigned directly or through a team and by roles with `inboxes.private.access`;
// a personal inbox belongs to one member. Configuring needs `inboxes.public.configure` or
// `inboxes.private.configure` according to the inbox's visibility.

import type { Access } from '../access';
import { pageInMemory } from '../db/pagination';
import { Forbidden, InvalidRequest, NotFound } from '../errors';
import { assertMayChangeInboxReach } from '../grants/guard';
import { newId } from '../ids';
import { getMember, listAllMembers } from '../members/repository';
import type { Permission } from '../permissions/catalog';
import { canSee } from '../permissions/inbox-visibility';
import type { Releases } from '../releases';
import { actorOf, auditItem } from '../table/audit/entry';
import type { InboxRecord } from './repository';
import * as repo from './repository';
import type { Inbox } from './schema';

const toInbox = (r: InboxRecord): Inbox => ({
  id: r.id,
  name: r.name,
  visibility: r.visibility,
  kind: r.kind,
  ownerMemberId: r.ownerMemberId,
  createdAt: r.createdAt,
});

const holds = (access: Pick<Access, 'permissions'>, p: Permission) => access.permissions[p] !== undefined;
const configurePermission = (visibility: 'public' | 'private'): Permission =>
  visibility === 'public' ? 'inboxes.public.configure' : 'inboxes.private.configure';

function requireConfigure(access: Access, visibility: 'public' | 'private') {
  const permission = configurePermission(visibility);
  if (!holds(access, permission)) {
    throw new Forbidden(`Your role does not have the permission "${permission}"`, { permission });
  }
}

/** Inboxes the member reaches directly or through their teams. */
export async function reachOf(access: Access): Promise<Set<string>> {
  const member = await getMember(access.workspace.id, access.memberId, true);
  if (!member) return new Set();
  const teams = await Promise.all(member.teamIds.map((id) => repo.teamInboxIds(access.workspace.id, id)));
  return new Set([...member.inboxIds, ...teams.flat()]);
}

export async function listVisibleInboxes(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const [all, reach] = await Promise.all([repo.listInboxes(access.workspace.id), reachOf(access)]);
  const items = all.filter((i) => canSee(access, i, reach)).sort((a, b) => a.id.localeCompare(b.id));
  return pageInMemory(items.map(toInbox), page, (i) => i.id);
}

/** An inbox the caller can see, or 404 (an inbox you cannot see does not exist for you). */
async function visibleOr404(access: Access, inboxId: string): Promise<InboxRecord> {
  const inbox = await repo.getInbox(access.workspace.id, inboxId);
  if (!inbox || !canSee(access, inbox, await reachOf(access))) throw new NotFound('Inbox');
  return inbox;
}

const audit = (access: Access, action: string, id: string, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'inbox', id },
    before,
    after,
  });

export async function createInbox(
  access: Access,
  input: { name: string; visibility: 'public' | 'private'; kind: 'shared' | 'personal' },
): Promise<Inbox> {
  // A personal inbox is always its owner's own (every member may have one); shared ones need configure rights.
  if (input.kind === 'shared') requireConfigure(access, input.visibility);
  // Only a member has one (PRODUCT §7), as itself: an API key is a credential whose role is its ceiling (in a
  // personal inbox no role applies), and neither a key nor a company admin without a membership is anyone's owner
  // the workspace knows, so what such an inbox held would outlive the credential, seen and deletable by nobody.
  else if (access.actor.credential !== 'member') {
    throw new Forbidden('A personal inbox belongs to a member: sign in as the member to have one');
  }
  const now = new Date().toISOString();
  const inbox: InboxRecord = {
    id: newId('inbox'),
    workspaceId: access.workspace.id,
    name: input.name,
    visibility: input.kind === 'personal' ? 'private' : input.visibility,
    kind: input.kind,
    ownerMemberId: input.kind === 'personal' ? access.memberId : null,
    createdAt: now,
    updatedAt: now,
  };
  await repo.createInbox(inbox, audit(access, 'inbox.create', inbox.id, null, toInbox(inbox)));
  return toInbox(inbox);
}

export async function updateInbox(
  access: Access,
  inboxId: string,
  input: { name?: string | undefined; visibility?: 'public' | 'private' | undefined },
  releases: Releases,
): Promise<Inbox> {
  const before = await visibleOr404(access, inboxId);
  if (before.kind === 'shared') {
    requireConfigure(access, before.visibility);
    if (input.visibility) requireConfigure(access, input.visibility);
  } else if (input.visibility === 'public') {
    throw new InvalidRequest('A personal inbox stays private', [
      { path: 'body.visibility', message: 'Personal inboxes are private' },
    ]);
  }
  const after: InboxRecord = {
    ...before,
    name: input.name ?? before.name,
    visibility: input.visibility ?? before.visibility,
    updatedAt: new Date().toISOString(),
  };
  // Turned private: its assignees who do not reach it otherwise lose what they were assigned there, in this
  // transaction (shared/conversations/reach-release.ts).
  const hidden = before.kind === 'shared' && before.visibility === 'public' && after.visibility === 'private';
  const released = hidden
    ? await releases.lostReach(
        access.workspace,
        actorOf(access),
        {
          members: await listAllMembers(access.workspace.id),
          inboxIds: [inboxId],
          inboxes: new Map([[inboxId, after]]),
        },
        98,
      )
    : undefined;
  await repo.updateInbox(
    after,
    audit(access, 'inbox.update', inboxId, toInbox(before), toInbox(after)),
    released?.items,
  );
  await released?.afterCommit();
  return toInbox(after);
}

export async function deleteInbox(access: Access, inboxId: string): Promise<void> {
  const inbox = await visibleOr404(access, inboxId);
  if (inbox.kind === 'shared') requireConfigure(access, inbox.visibility);
  await repo.deleteInbox(access.workspace.id, inboxId, audit(access, 'inbox.delete', inboxId, toInbox(inbox), null));
  // Then drop it from whoever had it; a failure here leaves an id that no longer resolves, which
  // every reader ignores (visibility is decided on existing inboxes only).
  const wsId = access.workspace.id;
  const [members, teams] = await Promise.all([listAllMembers(wsId), repo.listTeamAssignments(wsId)]);
  for (const m of members.filter((x) => x.inboxIds.includes(inboxId))) {
    await repo.setAssignedInboxes(
      { type: 'member', wsId, id: m.id },
      m.inboxIds.filter((i) => i !== inboxId),
    );
  }
  for (const t of teams.filter((x) => x.inboxIds.includes(inboxId))) {
    await repo.setAssignedInboxes(
      { type: 'team', wsId, id: t.id },
      t.inboxIds.filter((i) => i !== inboxId),
    );
  }
}

/** Changes of inbox ids beyond this in one request are refused (each is an item of one transaction). */
export const MAX_INBOX_CHANGES = 90;

/**
 * The shared inboxes of this workspace that `inboxIds` names, deduplicated, or a 400 naming `path`. Reach
 * is granted by the caller of this (through the guard); this only checks the ids are assignable.
 */
export async function assignableInboxes(access: Access, inboxIds: string[], path: string): Promise<InboxRecord[]> {
  const unique = [...new Set(inboxIds)].sort();
  const inboxes = await Promise.all(unique.map((id) => repo.getInbox(access.workspace.id, id)));
  const bad = unique.filter((_, i) => inboxes[i]?.kind !== 'shared');
  if (bad.length > 0) {
    throw new InvalidRequest(
      'Unknown inboxes',
      bad.map((id) => ({ path, message: `No shared inbox "${id}"` })),
    );
  }
  return inboxes as InboxRecord[];
}

/** The inboxes whose reach a change from `before` to `after` gives or takes (those that still exist). */
export async function inboxesChanging(
  access: Access,
  before: readonly string[],
  after: readonly InboxRecord[],
  path: string,
): Promise<{ added: string[]; changed: InboxRecord[] }> {
  const afterIds = new Set(after.map((i) => i.id));
  const added = after.filter((i) => !before.includes(i.id));
  const removedIds = before.filter((id) => !afterIds.has(id));
  if (added.length + removedIds.length > MAX_INBOX_CHANGES) {
    throw new InvalidRequest('Too many inbox changes at once', [
      { path, message: `Add or remove at most ${MAX_INBOX_CHANGES} inboxes per request` },
    ]);
  }
  const removed = (await Promise.all(removedIds.map((id) => repo.getInbox(access.workspace.id, id)))).filter(
    (i): i is InboxRecord => i !== undefined,
  );
  return { added: added.map((i) => i.id), changed: [...added, ...removed] };
}

export async function setMemberInboxes(access: Access, memberId: string, inboxIds: string[], releases: Releases) {
  const member = await getMember(access.workspace.id, memberId, true);
  if (!member) throw new NotFound('Member');
  const inboxes = await assignableInboxes(access, inboxIds, 'body.inboxIds');
  const { added, changed } = await inboxesChanging(access, member.inboxIds, inboxes, 'body.inboxIds');
  // Taking a private inbox away is configuring it as much as giving it: both need its permission.
  assertMayChangeInboxReach(access, changed, "changing a member's inboxes");
  const ids = inboxes.map((i) => i.id);
  const entry = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'member.inboxes.set',
    target: { type: 'member', id: memberId },
    before: { inboxIds: member.inboxIds },
    after: { inboxIds: ids },
  });
  // Inboxes it loses: the conversations assigned to it there that it can no longer work in go in the same step.
  const lost = member.inboxIds.filter((id) => !ids.includes(id));
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    { members: [{ ...member, inboxIds: ids }], inboxIds: lost },
    100 - (added.length + 2),
  );
  await repo.setAssignedInboxes(
    { type: 'member', wsId: access.workspace.id, id: memberId },
    ids,
    entry,
    added,
    released.items,
  );
  await released.afterCommit();
  return { ...member, inboxIds: ids };
}
