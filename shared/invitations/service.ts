// Invitations (PRODUCT.md §8): invite within the no-escalation rule, refresh instead of duplicating,
// resend, revoke, accept atomically, seats counted with pending invitations. Emails are not sent here:
// the write lands on the table's stream and the mailer sends one email per nonce.

import type { Access } from '../access';
import type { TransactItem } from '../db/ops';
import { Conflict, Forbidden, NotFound } from '../errors';
import { assertMayAssign, assertMayChangeInboxReach, needsApproval, resolveRole } from '../grants/guard';
import { newId } from '../ids';
import { getInbox, type InboxRecord } from '../inboxes/repository';
import { assignableInboxes } from '../inboxes/service';
import { getMember } from '../members/repository';
import type { Member } from '../members/schema';
import { planById } from '../permissions/plans';
import { getPlanCatalog } from '../plans/repository';
import { withSeat } from '../seats/limit';
import { actorOf, auditItem } from '../table/audit/entry';
import type { InvitationRecord } from '../table/invitations/record';
import { emailKeyOf } from '../table/members/items';
import { getWorkspace } from '../table/workspaces/read';
import * as repo from './repository';
import { assertIdentityProvider, assertInviteDomain } from './rules';
import type { CreateInvitationBody, Invitation, InvitationPreview } from './schema';
import { hashToken, invitationToken, newNonce } from './tokens';

export const INVITATION_TTL_DAYS = 7;
const expiry = (now: Date) => new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000).toISOString();

const isExpired = (r: InvitationRecord, now: Date) => Date.parse(r.expiresAt) <= now.getTime();

export function toInvitation(r: InvitationRecord, now = new Date()): Invitation {
  const expired = r.status === 'pending' && isExpired(r, now);
  return {
    id: r.id,
    email: r.email,
    roleId: r.roleId,
    inboxIds: r.inboxIds,
    status: expired ? 'expired' : r.status,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    invitedBy: r.invitedBy,
    sendCount: r.sendCount,
  };
}

export async function invite(
  access: Access,
  input: CreateInvitationBody,
  options: {
    /** requireApprovalFor: the checked invitation is handed to this (an access request) instead. */
    toRequest?: (input: CreateInvitationBody) => Promise<unknown>;
    /** Written in the invitation's transaction (an approved request closing). */
    also?: TransactItem[];
  } = {},
): Promise<{ invitation: Invitation; refreshed: boolean } | { pending: unknown }> {
  // An invitation grants its role and its inboxes to whoever accepts: both are checked as grants by this
  // inviter, whether the invitation is new or refreshes a pending one (which it then replaces whole).
  const role = await assertMayAssign(access, input.roleId, 'inviting with a role', 'body.roleId');
  assertInviteDomain(access.workspace.settings, input.email, 'invite');
  const inboxes = await assignableInboxes(access, input.inboxIds ?? [], 'body.inboxIds');
  assertMayChangeInboxReach(access, inboxes, 'inviting with inboxes');
  if (options.toRequest && needsApproval(access, role.permissions, input.roleId)) {
    return { pending: await options.toRequest(input) };
  }
  const also = options.also ?? [];
  const inboxIds = inboxes.map((i) => i.id);
  const ws = access.workspace;
  const emailKey = emailKeyOf(input.email);
  const { pendingId, isMember } = await repo.lookupEmail(ws.id, emailKey);
  if (isMember) throw new Conflict('This email already belongs to a member of the workspace');

  const now = new Date();
  const inviter = await getMember(ws.id, access.memberId);
  if (pendingId) {
    const before = await repo.getInvitation(ws.id, pendingId);
    if (before && before.status === 'pending') {
      const nonce = newNonce();
      const after: InvitationRecord = {
        ...before,
        roleId: input.roleId,
        inboxIds,
        nonce,
        tokenHash: hashToken(await invitationToken(ws.id, before.id, nonce)),
        expiresAt: expiry(now),
        updatedAt: now.toISOString(),
        invitedBy: access.memberId,
        inviterEmail: inviter?.email ?? before.inviterEmail,
        sendCount: before.sendCount + 1,
      };
      // One that gave its seat back at expiry takes a seat again, like a new invitation.
      const max = access.plan.limits.seats;
      await withSeat(ws.id, { planId: access.plan.id, max }, 'take', () =>
        repo.refreshInvitation(before, after, audit(access, 'invitation.refresh', before, after), max, also),
      );
      return { invitation: toInvitation({ ...after, seatReleased: undefined }, now), refreshed: true };
    }
  }

  const id = newId('inv');
  const nonce = newNonce();
  const record: InvitationRecord = {
    id,
    workspaceId: ws.id,
    workspaceName: ws.name,
    email: input.email.trim(),
    emailKey,
    roleId: input.roleId,
    inboxIds,
    status: 'pending',
    nonce,
    tokenHash: hashToken(await invitationToken(ws.id, id, nonce)),
    expiresAt: expiry(now),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    invitedBy: access.memberId,
    inviterEmail: inviter?.email ?? '',
    sendCount: 1,
  };
  const max = access.plan.limits.seats;
  await withSeat(ws.id, { planId: access.plan.id, max }, 'take', () =>
    repo.createInvitation(record, audit(access, 'invitation.create', null, record), max, also),
  );
  return { invitation: toInvitation(record, now), refreshed: false };
}

function audit(access: Access, action: string, before: InvitationRecord | null, after: InvitationRecord | null) {
  return auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'invitation', id: (after ?? before)?.id ?? '' },
    before: before && toInvitation(before),
    after: after && toInvitation(after),
  });
}

async function existingInboxes(r: InvitationRecord): Promise<InboxRecord[]> {
  const found = await Promise.all(r.inboxIds.map((id) => getInbox(r.workspaceId, id)));
  return found.filter((i): i is InboxRecord => i !== undefined);
}

async function pendingOr404(access: Access, id: string): Promise<InvitationRecord> {
  const r = await repo.getInvitation(access.workspace.id, id);
  if (!r) throw new NotFound('Invitation');
  if (r.status !== 'pending') throw new Conflict(`The invitation is ${r.status}`);
  return r;
}

export async function listInvitations(access: Access, q: { limit: number; cursor?: string }) {
  const page = await repo.listInvitations(access.workspace.id, q);
  const now = new Date();
  return { items: page.items.map((r) => toInvitation(r, now)), nextCursor: page.nextCursor };
}

/** Resending refreshes the token and the expiry; the previous link stops working. */
export async function resend(access: Access, id: string): Promise<Invitation> {
  const before = await pendingOr404(access, id);
  // Re-sending is inviting again with the same role and inboxes: the rule applies to the resender.
  await assertMayAssign(access, before.roleId, 'resending an invitation', 'roleId');
  assertInviteDomain(access.workspace.settings, before.email, 'invite');
  assertMayChangeInboxReach(access, await existingInboxes(before), 'resending an invitation with inboxes');
  const now = new Date();
  const nonce = newNonce();
  const after: InvitationRecord = {
    ...before,
    nonce,
    tokenHash: hashToken(await invitationToken(access.workspace.id, id, nonce)),
    expiresAt: expiry(now),
    updatedAt: now.toISOString(),
    sendCount: before.sendCount + 1,
  };
  const max = access.plan.limits.seats;
  await withSeat(access.workspace.id, { planId: access.plan.id, max }, 'take', () =>
    repo.refreshInvitation(before, after, audit(access, 'invitation.resend', before, after), max),
  );
  return toInvitation({ ...after, seatReleased: undefined }, now);
}

export async function revoke(access: Access, id: string): Promise<void> {
  const r = await pendingOr404(access, id);
  const now = new Date().toISOString();
  await repo.closeInvitation(r, 'revoked', now, audit(access, 'invitation.revoke', r, { ...r, status: 'revoked' }));
}

/**
 * The pending invitation a token from an email names. A wrong token and one replaced by a resend are the same
 * 404; a used, revoked or expired one says which (the holder of the link is its addressee). The token is
 * compared by hash only and never stored or logged.
 */
async function pendingByToken(token: string, now: Date): Promise<InvitationRecord> {
  const hash = hashToken(token);
  const found = await repo.findByToken(hash);
  const r = found && (await repo.getInvitation(found.workspaceId, found.invitationId));
  if (!r || r.tokenHash !== hash) throw new NotFound('Invitation');
  if (r.status !== 'pending') throw new Conflict(`The invitation is ${r.status}`);
  if (Date.parse(r.expiresAt) <= now.getTime()) {
    throw new Conflict('The invitation has expired; ask for a new one', { status: 'expired' });
  }
  return r;
}

/** What the accept page shows before sign-in: the workspace's and the role's names as they are now. */
export async function preview(token: string): Promise<InvitationPreview> {
  const r = await pendingByToken(token, new Date());
  const ws = await getWorkspace(r.workspaceId);
  const role = ws ? await resolveRole(ws, r.roleId) : undefined;
  return {
    workspace: { name: ws?.name ?? r.workspaceName },
    role: { id: r.roleId, name: role?.name ?? r.roleId },
    email: r.email,
    expiresAt: r.expiresAt,
  };
}

/** The signed-in user accepts with the token from the email; their verified email must be the invited one. */
export async function accept(
  user: {
    userId: string;
    email: string | null;
    emailVerified: boolean;
    signIn?: { issuer: string | null; idp: string | null; amr: string[] };
  },
  token: string,
): Promise<{ member: Member; workspace: { id: string; name: string } }> {
  const now = new Date();
  const r = await pendingByToken(token, now);
  if (!user.email || !user.emailVerified || emailKeyOf(user.email) !== r.emailKey) {
    throw new Forbidden('This invitation was sent to another email address; sign in with a verified account for it');
  }
  const member: Member = {
    id: newId('mem'),
    userId: user.userId,
    email: r.email,
    roleId: r.roleId,
    // Inboxes deleted since the invitation was sent are not given (the transaction checks the rest exist).
    inboxIds: (await existingInboxes(r)).map((i) => i.id),
    teamIds: [],
    joinedAt: now.toISOString(),
  };
  const entry = auditItem({
    workspaceId: r.workspaceId,
    actor: { memberId: member.id, userId: user.userId, source: 'app' },
    action: 'invitation.accept',
    target: { type: 'member', id: member.id },
    before: toInvitation(r, now),
    after: member,
  });
  // The seat the invitation held becomes the member's, checked against the plan the workspace is on now.
  const [ws, catalog] = await Promise.all([getWorkspace(r.workspaceId, true), getPlanCatalog()]);
  // The workspace's invitation rules as they are now (they may have changed since the invitation went out).
  assertInviteDomain(ws?.settings ?? {}, user.email, 'accept');
  assertIdentityProvider(ws?.settings ?? {}, user.signIn);
  const plan = ws ? planById(catalog, ws.planId) : undefined;
  const max = plan?.limits.seats ?? null;
  await withSeat(r.workspaceId, { planId: plan?.id ?? 'current', max }, 'handOver', () =>
    repo.acceptInvitation(r, member, now.toISOString(), entry, max),
  );
  return { member, workspace: { id: r.workspaceId, name: ws?.name ?? r.workspaceName } };
}

/** SES told us the invitation email bounced or was complained about. Returns the record if it changed. */
export async function markBounced(wsId: string, id: string, reason: string): Promise<InvitationRecord | undefined> {
  const r = await repo.getInvitation(wsId, id);
  if (r?.status !== 'pending') return undefined;
  const now = new Date().toISOString();
  const entry = auditItem({
    workspaceId: wsId,
    actor: { memberId: null, userId: null, source: 'app' },
    action: 'invitation.bounced',
    target: { type: 'invitation', id },
    before: toInvitation(r),
    after: { ...toInvitation(r), status: 'bounced', reason },
  });
  try {
    await repo.closeInvitation(r, 'bounced', now, entry);
  } catch (err) {
    if (err instanceof Conflict) return undefined;
    throw err;
  }
  return { ...r, status: 'bounced' };
}
