// Conversations, messages, comments and scheduled messages (PRODUCT.md §3, §7), decided with the one policy
// module: inbox visibility (`canSee`), the scope that reaches a conversation (`scopeNeeded`) and `decide`.
//
// For a conversation C in inbox I and a caller X needing permission P:
// - I is personal: X is its owner → everything is allowed (role restrictions never apply); anyone else → 404.
// - I is shared: X must see I (`canSee`) or be C's assignee, else 404 (existence does not leak); then P must
//   be held at a scope that reaches C (assigned ⊂ groups ⊂ all), else 403 naming P.
// Writes decide on fresh (strongly consistent) reads, and their transaction re-checks what the decision used
// (the conversation's inbox and assignee, the inbox's visibility, the caller's reach; an assignee's member item
// and reach; a message's contact not opted out), so a concurrent change makes the write a retry on fresh data
// rather than a wrong answer.

import type { Access } from '../access';
import { contactTalkedToInbox } from '../contacts/repository';
import { visibleOr404 as visibleContactOr404 } from '../contacts/service';
import { putNew, type TransactItem } from '../db/ops';
import { Conflict, Forbidden, InvalidRequest, NotFound, PlanLimit, SharedToPersonal } from '../errors';
import { effectivePermissionsOf } from '../grants/guard';
import { newId } from '../ids';
import { reachOf } from '../inboxes/service';
import { toMember } from '../members/repository';
import type { Member } from '../members/schema';
import { PERMISSION_BY_KEY, type Permission } from '../permissions/catalog';
import { canSee } from '../permissions/inbox-visibility';
import { decide, scopeNeeded } from '../permissions/policy';
import { actorOf, auditItem } from '../table/audit/entry';
import { conversationKey } from '../table/conversations/keys';
import { inboxKey } from '../table/inboxes/keys';
import { memberKey } from '../table/members/keys';
import { memberVersionIs } from '../table/members/version';
import { teamKey } from '../table/teams/keys';
import type { WorkspaceRecord } from '../workspaces/repository';
import type { InboxFacts } from './repository';
import * as repo from './repository';
import type {
  Conversation,
  ConversationRecord,
  Message,
  MessageRecord,
  ScheduledAuthor,
  ScheduledMessage,
  ScheduledMessageRecord,
} from './schema';
import { checkOutgoing, checkOutgoingWith, outgoingKeys } from './send-rules';
import { companyAdminOf, worksIn } from './work-in';

type Item = Record<string, unknown>;
type PageReq = { limit: number; cursor?: string | undefined };

/** The keys a write on conversation `id` reads with the caller's fresh access check (one round trip). */
export function conversationPrefetch(wsId: string, conversationId: string, memberId: string | undefined) {
  return [conversationKey(wsId, conversationId), ...(memberId ? [memberKey(wsId, memberId)] : [])];
}
/**
 * The keys a message send reads with the caller's fresh access check: the conversation's, and the two list items
 * the outgoing rules need (opt-outs, restricted words), so a send is one batch and one transaction.
 */
export function messagePrefetch(wsId: string, conversationId: string, memberId: string | undefined) {
  return [...conversationPrefetch(wsId, conversationId, memberId), ...outgoingKeys(wsId)];
}
/** The keys a write in inbox `id` (create a conversation) reads with the caller's fresh access check. */
export function inboxPrefetch(wsId: string, inboxId: string, memberId: string | undefined) {
  return [inboxKey(wsId, inboxId), ...(memberId ? [memberKey(wsId, memberId)] : [])];
}

// ---------------------------------------------------------------------------------------------- reach

/** Whether a member reaches an inbox (directly or through a team), and the conditions that prove it. */
interface Reach {
  reaches: boolean;
  proof: TransactItem[];
}
const NO_REACH: Reach = { reaches: false, proof: [] };

const TeamReach = (i: Item) => ({
  id: String(i.id),
  inboxIds: Array.isArray(i.inboxIds) ? i.inboxIds.map(String) : [],
});

async function reachOfInbox(wsId: string, member: Member | undefined, inboxId: string): Promise<Reach> {
  if (!member) return NO_REACH;
  if (member.inboxIds.includes(inboxId)) {
    return {
      reaches: true,
      proof: [repo.conditionCheck(memberKey(wsId, member.id), 'contains(inboxIds, :inbox)', { ':inbox': inboxId })],
    };
  }
  if (member.teamIds.length === 0) return NO_REACH;
  const teams = (
    await repo.batchGet(
      member.teamIds.map((t) => teamKey(wsId, t)),
      true,
    )
  ).map(TeamReach);
  const team = teams.find((t) => t.inboxIds.includes(inboxId));
  if (!team) return NO_REACH;
  return {
    reaches: true,
    proof: [
      repo.conditionCheck(memberKey(wsId, member.id), 'contains(teamIds, :team)', { ':team': team.id }),
      repo.conditionCheck(teamKey(wsId, team.id), 'contains(inboxIds, :inbox) AND contains(memberIds, :mem)', {
        ':inbox': inboxId,
        ':mem': member.id,
      }),
    ],
  };
}

/** Reach changes the answer only for a shared inbox the caller cannot see without it, or a `groups` grant. */
function reachMatters(who: Pick<Access, 'memberId' | 'permissions'>, inbox: InboxFacts, permission: Permission) {
  if (inbox.kind === 'personal') return false;
  return !canSee(who, inbox, new Set()) || who.permissions[permission] === 'groups';
}

// ------------------------------------------------------------------------------------------- deciding

function refuse(permission: Permission, d: ReturnType<typeof decide>): void {
  if (d.allowed) return;
  if (d.code === 'plan_limit') throw new PlanLimit(d.reason, { feature: d.feature });
  throw new Forbidden(d.reason, { permission, ...(d.scope ? { scope: d.scope } : {}) });
}

/**
 * The one decision for conversations (see the top of this file). `conversation` may be one about to exist
 * (unassigned, in `inbox`). Throws 404 or 403; returns when allowed.
 */
export function authorize(
  who: Pick<Access, 'memberId' | 'permissions' | 'plan'>,
  conversation: { inboxId: string; assigneeId: string | null },
  inbox: InboxFacts,
  reaches: boolean,
  permission: Permission,
  what = 'Conversation',
  /** Whether being the assignee makes the conversation visible (not for the inbox a conversation moves to). */
  assigneeSees = true,
): void {
  if (inbox.kind === 'personal') {
    if (inbox.ownerMemberId === who.memberId) return;
    throw new NotFound(what);
  }
  const reach = reaches ? new Set([inbox.id]) : new Set<string>();
  const seenAsAssignee = assigneeSees && conversation.assigneeId === who.memberId;
  if (!canSee(who, inbox, reach) && !seenAsAssignee) throw new NotFound(what);
  const scoped = PERMISSION_BY_KEY.get(permission)?.scoped === true;
  refuse(
    permission,
    decide(
      {
        permission,
        ...(scoped ? { scope: scopeNeeded(conversation, { memberId: who.memberId, inboxIds: reach }) } : {}),
      },
      { permissions: who.permissions, features: who.plan.features },
    ),
  );
}

/** Everything a write on a conversation decided on, and the conditions its transaction adds. */
interface Facts {
  conversation: ConversationRecord;
  inbox: InboxFacts;
  member: Member | undefined;
  reach: Reach;
  /** The items read with the access check when this attempt decided on them (the first), else undefined. */
  prefetched: Item[] | undefined;
}

const snapshotOf = (c: ConversationRecord): InboxFacts => ({
  id: c.inboxId,
  kind: c.inboxKind,
  visibility: c.inboxVisibility,
  ownerMemberId: c.inboxOwnerId,
});

/**
 * Reads what a decision on conversation `id` needs, fresh. With `prefetched` (the items read with the access
 * check), the inbox is taken from the conversation's snapshot of it (the transaction checks it still holds);
 * otherwise the inbox is read too.
 */
async function loadFacts(
  access: Access,
  conversationId: string,
  permission: Permission,
  prefetched: Item[] | undefined,
): Promise<Facts> {
  const wsId = access.workspace.id;
  const keys = conversationPrefetch(wsId, conversationId, access.memberId);
  const items = prefetched ?? (await repo.batchGet(keys, true));
  const convItem = repo.findItem(items, conversationKey(wsId, conversationId));
  if (!convItem) throw new NotFound('Conversation');
  const conversation = repo.parseConversation(convItem);
  const memberItem = repo.findItem(items, memberKey(wsId, access.memberId));
  const member = memberItem ? toMember(memberItem) : undefined;
  let inbox: InboxFacts;
  if (prefetched) inbox = snapshotOf(conversation);
  else {
    const found = (await repo.batchGet([inboxKey(wsId, conversation.inboxId)], true))[0];
    // A conversation whose inbox was deleted is gone with it.
    if (!found) throw new NotFound('Conversation');
    inbox = repo.parseInboxFacts(found);
  }
  const reach = reachMatters(access, inbox, permission) ? await reachOfInbox(wsId, member, inbox.id) : NO_REACH;
  return { conversation, inbox, member, reach, prefetched };
}

/** A refusal that is not a race: never retried. */
class Unworkable extends Conflict {}

/**
 * Runs a write on fresh facts; if its transaction meets a concurrent change (409), decides again on data read
 * afresh (the inbox included), at most three times in all.
 */
async function onConversation<T>(
  access: Access,
  conversationId: string,
  permission: Permission,
  prefetched: Item[] | undefined,
  write: (facts: Facts) => Promise<T>,
  /** A delivery decides each attempt on its author's access read again, so it asks for one here. */
  maxAttempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const facts = await loadFacts(access, conversationId, permission, attempt === 1 ? prefetched : undefined);
    authorize(access, facts.conversation, facts.inbox, facts.reach.reaches, permission);
    try {
      return await write(facts);
    } catch (err) {
      if (!(err instanceof Conflict) || err instanceof Unworkable || attempt >= maxAttempts) throw err;
    }
  }
}

/** The conditions a write adds for what its decision used: the inbox (and its visibility) and the caller's reach. */
const decisionChecks = (access: Access, f: Pick<Facts, 'inbox' | 'reach'>): TransactItem[] => [
  repo.inboxCheck(access.workspace.id, f.inbox),
  ...f.reach.proof,
];

const audit = (access: Access, action: string, id: string, before: unknown, after: unknown): TransactItem =>
  putNew(
    auditItem({
      workspaceId: access.workspace.id,
      actor: actorOf(access),
      action,
      target: { type: 'conversation', id },
      before,
      after,
    }),
  );

// ------------------------------------------------------------------------------------- inbox-level

async function inboxFor(access: Access, inboxId: string, prefetched: Item[] | undefined): Promise<InboxFacts> {
  const wsId = access.workspace.id;
  const items = prefetched ?? (await repo.batchGet([inboxKey(wsId, inboxId)], true));
  const item = repo.findItem(items, inboxKey(wsId, inboxId));
  if (!item) throw new NotFound('Inbox');
  return repo.parseInboxFacts(item);
}

export async function createConversation(
  access: Access,
  inboxId: string,
  input: { subject?: string | undefined; contactId?: string | undefined },
  prefetched?: Item[],
): Promise<Conversation> {
  const wsId = access.workspace.id;
  const inbox = await inboxFor(access, inboxId, prefetched);
  const memberItem = prefetched
    ? repo.findItem(prefetched, memberKey(wsId, access.memberId))
    : (await repo.batchGet([memberKey(wsId, access.memberId)], true))[0];
  const member = memberItem ? toMember(memberItem) : undefined;
  const reach = reachMatters(access, inbox, 'messages.send') ? await reachOfInbox(wsId, member, inbox.id) : NO_REACH;
  authorize(access, { inboxId, assigneeId: null }, inbox, reach.reaches, 'messages.send', 'Inbox');
  const also: TransactItem[] = [];
  if (input.contactId !== undefined) {
    // Linking needs seeing, as reading does: a contact the caller cannot see (another workspace's, none, or hidden
    // by `contactsVisibility: private`) is a 404; linking it would show it to everyone who sees this inbox.
    await visibleContactOr404(access, input.contactId);
    also.push(...contactTalkedToInbox(wsId, input.contactId, inbox.id));
  }
  const now = new Date().toISOString();
  const record: ConversationRecord = {
    id: newId('conv'),
    workspaceId: wsId,
    inboxId: inbox.id,
    subject: input.subject ?? null,
    contactId: input.contactId ?? null,
    assigneeId: null,
    status: 'open',
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
    createdBy: access.memberId,
    version: 1,
    inboxVisibility: inbox.visibility,
    inboxKind: inbox.kind,
    inboxOwnerId: inbox.ownerMemberId,
  };
  await repo.createConversation(record, [...decisionChecks(access, { inbox, reach }), ...also]);
  return repo.toConversation(record);
}

export async function listInboxConversations(access: Access, inboxId: string, page: PageReq) {
  const inbox = await inboxFor(access, inboxId, await repo.batchGet([inboxKey(access.workspace.id, inboxId)], false));
  // Reach is read only when it can change the answer (as for a single conversation): a page costs the inbox
  // read and one Query for a caller who sees the inbox by role.
  const reach = reachMatters(access, inbox, 'messages.view') ? await reachOf(access) : new Set<string>();
  authorize(access, { inboxId, assigneeId: null }, inbox, reach.has(inboxId), 'messages.view', 'Inbox');
  return repo.listInboxConversations(access.workspace.id, inboxId, page);
}

/** "Assigned to me": every conversation assigned to the caller sees them (an assignee always sees its own). */
export function listAssignedToMe(access: Access, page: PageReq) {
  return repo.listAssigned(access.workspace.id, access.memberId, page);
}

// --------------------------------------------------------------------------------------------- reads

/** A read on a conversation: eventually consistent, like every read behind the authorizer's cache. */
async function readable(access: Access, conversationId: string, permission: Permission) {
  const wsId = access.workspace.id;
  const conversation = await repo.getConversation(wsId, conversationId, false);
  if (!conversation) throw new NotFound('Conversation');
  const inboxItem = (await repo.batchGet([inboxKey(wsId, conversation.inboxId)], false))[0];
  if (!inboxItem) throw new NotFound('Conversation');
  const inbox = repo.parseInboxFacts(inboxItem);
  const reach = reachMatters(access, inbox, permission) ? await reachOf(access) : new Set<string>();
  authorize(access, conversation, inbox, reach.has(inbox.id), permission);
  return conversation;
}

export async function getConversation(access: Access, conversationId: string): Promise<Conversation> {
  return repo.toConversation(await readable(access, conversationId, 'messages.view'));
}

export async function listMessages(access: Access, conversationId: string, page: PageReq) {
  await readable(access, conversationId, 'messages.view');
  return repo.listMessages(access.workspace.id, conversationId, page);
}

export async function listScheduled(access: Access, conversationId: string, page: PageReq) {
  await readable(access, conversationId, 'scheduledMessages.manage');
  return repo.listScheduled(access.workspace.id, conversationId, page);
}

// ------------------------------------------------------------------------------------ administrative

/**
 * Whether a member can work in an inbox (be its conversations' assignee), by the one rule (work-in.ts `worksIn`)
 * with what it holds at this instant (its effective set: the role in force, grants in force; nothing once
 * deactivated). `proof`: the conditions the assignment's transaction adds so that it commits only on those facts:
 * the member item unchanged (its `version` moves with every change of role, grants, teams and status, so a
 * deactivation committed first makes the assignment fail and be decided again), the company-admin grant that
 * exempts it, or the reach that made the inbox visible. A grant ending at T stops counting at T, sweep or not.
 */
async function workIn(ws: WorkspaceRecord, member: Member, inbox: InboxFacts): Promise<Reach> {
  if (member.status === 'deactivated') return NO_REACH;
  const read = memberVersionIs(member);
  const unchanged = repo.conditionCheck(memberKey(ws.id, member.id), read.condition, read.values);
  const [{ permissions }, admin] = await Promise.all([
    effectivePermissionsOf(ws, member),
    inbox.kind === 'shared' ? companyAdminOf(ws, member) : { companyAdmin: false, proof: [] },
  ]);
  const who = { member, permissions, companyAdmin: admin.companyAdmin };
  if (worksIn(who, inbox, new Set())) return { reaches: true, proof: [unchanged, ...admin.proof] };
  if (!worksIn(who, inbox, new Set([inbox.id]))) return NO_REACH;
  const reach = await reachOfInbox(ws.id, member, inbox.id);
  return reach.reaches ? { reaches: true, proof: [unchanged, ...reach.proof] } : NO_REACH;
}

const unworkable = (member: Member) =>
  new Unworkable(
    member.status === 'deactivated' ? 'The member is deactivated' : 'The member cannot work in this inbox',
    { memberId: member.id },
  );

async function memberOr404(wsId: string, memberId: string): Promise<Member> {
  const item = (await repo.batchGet([memberKey(wsId, memberId)], true))[0];
  if (!item) throw new NotFound('Member');
  return toMember(item);
}

export async function assignConversation(
  access: Access,
  conversationId: string,
  memberId: string | null,
  prefetched?: Item[],
): Promise<Conversation> {
  let target = memberId === null ? undefined : await memberOr404(access.workspace.id, memberId);
  let attempts = 0;
  return onConversation(access, conversationId, 'conversations.assign', prefetched, async (f) => {
    // A retry decides on the assignee afresh too: what failed may be its member item (deactivated meanwhile).
    if (attempts++ > 0 && memberId !== null) target = await memberOr404(access.workspace.id, memberId);
    const before = f.conversation;
    const work = target ? await workIn(access.workspace, target, f.inbox) : undefined;
    if (target && !work?.reaches) throw unworkable(target);
    if (before.assigneeId === memberId) return repo.toConversation(before);
    const after: ConversationRecord = {
      ...before,
      assigneeId: memberId,
      version: before.version + 1,
      updatedAt: new Date().toISOString(),
    };
    // The caller may be its own assignee: checks on its member item become one.
    await repo.replaceConversation(before, after, [
      ...repo.mergeConditionChecks([...decisionChecks(access, f), ...(work?.proof ?? [])]),
      audit(
        access,
        memberId === null ? 'conversation.unassign' : 'conversation.assign',
        before.id,
        { assigneeId: before.assigneeId },
        { assigneeId: memberId },
      ),
    ]);
    return repo.toConversation(after);
  });
}

export function setStatus(
  access: Access,
  conversationId: string,
  status: 'open' | 'archived',
  prefetched?: Item[],
): Promise<Conversation> {
  return onConversation(access, conversationId, 'conversations.archive', prefetched, async (f) => {
    const before = f.conversation;
    if (before.status === status) return repo.toConversation(before);
    const after: ConversationRecord = {
      ...before,
      status,
      version: before.version + 1,
      updatedAt: new Date().toISOString(),
    };
    await repo.replaceConversation(before, after, [
      ...decisionChecks(access, f),
      audit(
        access,
        status === 'archived' ? 'conversation.archive' : 'conversation.reopen',
        before.id,
        { status: before.status },
        { status },
      ),
    ]);
    return repo.toConversation(after);
  });
}

/**
 * Moves a conversation to another inbox: the caller needs `conversations.move` on it where it is and where
 * it goes. An assignee who cannot work in the new inbox is unassigned (Front). A shared conversation never
 * moves into a personal inbox (409 `shared_to_personal`).
 */
export async function moveConversation(
  access: Access,
  conversationId: string,
  inboxId: string,
  prefetched?: Item[],
): Promise<Conversation> {
  const wsId = access.workspace.id;
  return onConversation(access, conversationId, 'conversations.move', prefetched, async (f) => {
    const before = f.conversation;
    if (before.inboxId === inboxId) return repo.toConversation(before);
    const dest = await inboxFor(access, inboxId, undefined);
    const destReach = reachMatters(access, dest, 'conversations.move')
      ? await reachOfInbox(wsId, f.member, dest.id)
      : NO_REACH;
    const moved = { inboxId: dest.id, assigneeId: before.assigneeId };
    authorize(access, moved, dest, destReach.reaches, 'conversations.move', 'Inbox', false);
    // A personal inbox is wholly its owner's: a shared conversation there would leave everyone else's reach, the
    // Owner's included (and give its mover rights it does not hold, like deleting messages). Out of a personal
    // inbox into a shared one is its owner's choice; into another member's personal inbox is a 404 above.
    if (f.inbox.kind === 'shared' && dest.kind === 'personal') throw new SharedToPersonal();
    let assigneeId = before.assigneeId;
    let assigneeProof: TransactItem[] = [];
    if (assigneeId !== null) {
      const assignee = (await repo.batchGet([memberKey(wsId, assigneeId)], true))[0];
      const work = assignee ? await workIn(access.workspace, toMember(assignee), dest) : NO_REACH;
      if (work.reaches) assigneeProof = work.proof;
      else assigneeId = null;
    }
    const now = new Date().toISOString();
    const after: ConversationRecord = {
      ...before,
      inboxId: dest.id,
      inboxVisibility: dest.visibility,
      inboxKind: dest.kind,
      inboxOwnerId: dest.ownerMemberId,
      assigneeId,
      version: before.version + 1,
      updatedAt: now,
    };
    // Reaching both inboxes may rest on the same member or team item: one check each in the transaction.
    await repo.replaceConversation(before, after, [
      ...repo.mergeConditionChecks([
        ...decisionChecks(access, f),
        ...decisionChecks(access, { inbox: dest, reach: destReach }),
        ...assigneeProof,
      ]),
      ...(before.contactId !== null ? contactTalkedToInbox(wsId, before.contactId, dest.id) : []),
      audit(
        access,
        'conversation.move',
        before.id,
        { inboxId: before.inboxId, assigneeId: before.assigneeId },
        { inboxId: dest.id, assigneeId },
      ),
    ]);
    return repo.toConversation(after);
  });
}

export async function deleteConversation(access: Access, conversationId: string, prefetched?: Item[]): Promise<void> {
  await onConversation(access, conversationId, 'conversations.delete', prefetched, (f) =>
    repo.deleteConversation(f.conversation, [
      ...decisionChecks(access, f),
      audit(access, 'conversation.delete', f.conversation.id, repo.toConversation(f.conversation), null),
    ]),
  );
  await repo.purgeConversation(access.workspace.id, conversationId);
}

// ----------------------------------------------------------------------------------------- messages

/**
 * A message (`messages.send`, through the outgoing rules) or an internal comment (`comments.send`, never sent
 * to the contact). Normally three DynamoDB round trips in all: the authorizer's batch, the fresh access check
 * that also reads the conversation, the caller's member item and (for a message, `messagePrefetch`) the
 * outgoing rules' two lists, and one transaction. `prefetchedOutgoing`: `prefetched` came from
 * `messagePrefetch`, so the lists are among them (an absent one was never written); otherwise they are read.
 */
export function send(
  access: Access,
  conversationId: string,
  kind: 'message' | 'comment',
  body: string,
  prefetched?: Item[],
  prefetchedOutgoing = false,
): Promise<Message> {
  return sendAs(access, conversationId, kind, body, prefetched, prefetchedOutgoing);
}

/**
 * THE decision and write of a send, for the send route and for a scheduled message's delivery (deliverScheduledAs).
 * `also`: what a delivery adds to the send's one transaction, on the facts decided on.
 */
function sendAs(
  access: Access,
  conversationId: string,
  kind: 'message' | 'comment',
  body: string,
  prefetched: Item[] | undefined,
  prefetchedOutgoing: boolean,
  delivery?: { also: (f: Facts, message: MessageRecord) => TransactItem[] },
): Promise<Message> {
  const permission: Permission = kind === 'message' ? 'messages.send' : 'comments.send';
  const write = async (f: Facts) => {
    // A message carries the condition that its contact has not opted out meanwhile: one racing an opt-out commits
    // before it, or fails and is decided again on the new list. Restricted words hold as read (send-rules.ts).
    let rules: TransactItem[] = [];
    if (kind === 'message') {
      rules =
        f.prefetched && prefetchedOutgoing
          ? checkOutgoingWith(access.workspace, f.prefetched, f.conversation, body)
          : await checkOutgoing(access.workspace, f.conversation, body);
    }
    const message: MessageRecord = {
      id: newId('msg'),
      workspaceId: access.workspace.id,
      conversationId,
      kind,
      body,
      authorMemberId: access.memberId,
      createdAt: new Date().toISOString(),
    };
    const checks = [...decisionChecks(access, f), ...rules];
    // The inbox check holds its visibility as decided on, and the send refreshes the conversation's snapshot.
    await repo.addMessage(
      f.conversation,
      message,
      f.inbox.visibility,
      delivery ? repo.mergeConditionChecks([...checks, ...delivery.also(f, message)]) : checks,
    );
    return repo.toMessage(message);
  };
  // A delivery's retry reads its author's access again (deliverDue), so each decision here is one attempt.
  return onConversation(access, conversationId, permission, prefetched, write, delivery ? 1 : 3);
}

/** Deletes one message or comment for good (`messages.delete`: the Owner among built-ins; a personal inbox's owner). */
export async function deleteMessage(
  access: Access,
  conversationId: string,
  messageId: string,
  prefetched?: Item[],
): Promise<void> {
  await onConversation(access, conversationId, 'messages.delete', prefetched, async (f) => {
    const message = await repo.getMessage(access.workspace.id, conversationId, messageId);
    if (!message) throw new NotFound('Message');
    // The audit keeps who wrote what kind of item when, never the deleted text.
    const { body: _body, ...kept } = repo.toMessage(message);
    await repo.deleteMessage(message, [
      ...decisionChecks(access, f),
      putNew(
        auditItem({
          workspaceId: access.workspace.id,
          actor: actorOf(access),
          action: 'message.delete',
          target: { type: 'message', id: messageId },
          before: kept,
          after: null,
        }),
      ),
    ]);
  });
}

// ------------------------------------------------------------------------------------ scheduled messages

const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600 * 1000;

/** Who a scheduled message is sent as at delivery: the user, or the API key, behind the caller. */
function authorOf(access: Access): ScheduledAuthor | undefined {
  if (access.source === 'apiKey') return { type: 'apiKey', keyId: access.memberId.replace(/^apikey_/, '') };
  return access.userId ? { type: 'user', userId: access.userId } : undefined;
}

/**
 * Schedules a message: `scheduledMessages.manage` on the conversation, and what sending it now would need, since
 * it will be sent as the caller: `messages.send` at a scope reaching the conversation (403 naming it) and the
 * outgoing rules (409 `opted_out`, 422 `restricted_word`), as a send decides them. Delivery decides all of it again
 * at `sendAt` (scheduled-delivery.ts). `prefetchedOutgoing`: `prefetched` came from `messagePrefetch`.
 */
export function scheduleMessage(
  access: Access,
  conversationId: string,
  input: { body: string; sendAt: string },
  prefetched?: Item[],
  prefetchedOutgoing = false,
): Promise<ScheduledMessage> {
  const sendAt = new Date(input.sendAt);
  const now = Date.now();
  if (sendAt.getTime() <= now || sendAt.getTime() > now + MAX_SCHEDULE_AHEAD_MS) {
    throw new InvalidRequest('The request is not valid', [
      { path: 'body.sendAt', message: 'Must be in the future, at most a year ahead' },
    ]);
  }
  const wsId = access.workspace.id;
  return onConversation(access, conversationId, 'scheduledMessages.manage', prefetched, async (f) => {
    // Reach read for messages.send where scheduledMessages.manage did not need it (a `groups` scope).
    const reach =
      f.reach.reaches || !reachMatters(access, f.inbox, 'messages.send')
        ? f.reach
        : await reachOfInbox(wsId, f.member, f.inbox.id);
    authorize(access, f.conversation, f.inbox, reach.reaches, 'messages.send');
    const rules =
      f.prefetched && prefetchedOutgoing
        ? checkOutgoingWith(access.workspace, f.prefetched, f.conversation, input.body)
        : await checkOutgoing(access.workspace, f.conversation, input.body);
    const author = authorOf(access);
    const record: ScheduledMessageRecord = {
      id: newId('sched'),
      workspaceId: wsId,
      conversationId,
      body: input.body,
      sendAt: sendAt.toISOString(),
      authorMemberId: access.memberId,
      ...(author ? { author } : {}),
      status: 'scheduled',
      createdAt: new Date(now).toISOString(),
    };
    await repo.createScheduled(record, [
      ...repo.mergeConditionChecks([...decisionChecks(access, { inbox: f.inbox, reach }), ...rules]),
      repo.conditionCheck(conversationKey(wsId, conversationId), 'inboxId = :inbox', {
        ':inbox': f.conversation.inboxId,
      }),
    ]);
    return repo.toScheduled(record);
  });
}

/**
 * Cancels a scheduled message: it stays, `cancelled`, and leaves the due index in the same write, conditioned on
 * it still being `scheduled` (a delivery committed first makes this a 409; cancelling a cancelled one is a 204).
 */
export async function cancelScheduled(access: Access, scheduledId: string): Promise<void> {
  const scheduled = await repo.getScheduled(access.workspace.id, scheduledId);
  if (!scheduled) throw new NotFound('Scheduled message');
  await onConversation(access, scheduled.conversationId, 'scheduledMessages.manage', undefined, async (f) => {
    const now = await repo.getScheduled(access.workspace.id, scheduledId);
    if (!now) throw new NotFound('Scheduled message');
    if (now.status === 'cancelled') return;
    if (now.status !== 'scheduled') {
      throw new Unworkable(`The scheduled message was already ${now.status}`, { status: now.status });
    }
    await repo.settleScheduledWith(now, { status: 'cancelled' }, new Date().toISOString(), [
      ...decisionChecks(access, f),
      putNew(
        auditItem({
          workspaceId: access.workspace.id,
          actor: actorOf(access),
          action: 'scheduledMessage.cancel',
          target: { type: 'scheduledMessage', id: scheduledId },
          before: { status: 'scheduled', sendAt: now.sendAt },
          after: { status: 'cancelled' },
        }),
      ),
    ]);
  });
}

/**
 * Sends a due scheduled message as its author (`author`: its access read afresh now): the send's own decision and
 * write (sendAs), in whose one transaction the scheduled message moves from `scheduled` to `sent` (conditioned:
 * of overlapping runs one commits, the others' transactions are cancelled), the author's member item is as read (a
 * deactivation or a change of role or grants committed meanwhile makes it decide again) and a
 * `scheduledMessage.sent` audit entry is written. Throws what a send would (404, 403, 409 `opted_out`, 422
 * `restricted_word`, Conflict on a race).
 */
export function deliverScheduledAs(author: Access, s: ScheduledMessageRecord): Promise<Message> {
  const wsId = author.workspace.id;
  return sendAs(author, s.conversationId, 'message', s.body, undefined, false, {
    also: (f, message) => {
      const read = f.member ? memberVersionIs(f.member) : undefined;
      return [
        ...(f.member && read ? [repo.conditionCheck(memberKey(wsId, f.member.id), read.condition, read.values)] : []),
        repo.settleScheduled(s, { status: 'sent', messageId: message.id }, message.createdAt),
        putNew(
          auditItem({
            workspaceId: wsId,
            actor: actorOf(author),
            action: 'scheduledMessage.sent',
            target: { type: 'scheduledMessage', id: s.id },
            before: { status: 'scheduled', sendAt: s.sendAt },
            after: { status: 'sent', messageId: message.id },
          }),
        ),
      ];
    },
  });
}
