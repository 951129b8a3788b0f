// Members: list, read, change role, remove, transfer ownership (PRODUCT.md §5). A removed member's conversations
// go back to the unassigned queue, as a deactivated member's do (shared/conversations/release.ts).

import type { Access } from '../access';
import { now } from '../clock';
import { type TransactItem, transact } from '../db/ops';
import { Conflict, Forbidden, InvalidRequest, NotFound, Unavailable } from '../errors';
import {
  assertMayChangeRole,
  assertMayManage,
  assertMayTransferOwnership,
  grantEnd,
  needsApproval,
} from '../grants/guard';
import { logger } from '../logging';
import type { Releases } from '../releases';
import { actorOf, auditItem } from '../table/audit/entry';
import type { RoleTerm } from './repository';
import * as repo from './repository';
import type { Member } from './schema';
import { assertNotManagedByScim } from './scim-settings';

async function memberOrNotFound(access: Access, memberId: string): Promise<Member> {
  const member = await repo.getMember(access.workspace.id, memberId, true);
  if (!member) throw new NotFound('Member');
  return member;
}

export function listMembers(access: Access, q: { limit: number; cursor?: string; roleId?: string }) {
  return repo.listMembers(access.workspace.id, q);
}

export function getMember(access: Access, memberId: string): Promise<Member> {
  return memberOrNotFound(access, memberId);
}

/** Tries of a role change that keeps losing to concurrent changes of the member before it answers 409. */
const ROLE_CHANGE_TRIES = 3;

/**
 * requireApprovalFor: writes the pending request a role change becomes (the access requests' `openRequest`, which
 * the handler passes in, as it does for grants and invitations: access requests read members, not the reverse).
 */
export type ToRequest<Pending> = (spec: { roleId: string; until?: string; reason: string }) => Promise<Pending>;

/**
 * Changes a member's role, for good or (with `until`) for a period after which the role held before comes
 * back. A term replacing a running term keeps the role the first one goes back to.
 *
 * The write lands only on the member's version it was decided on; if another change of the member landed
 * first, the whole change (guard included) is decided again on a fresh read, then 409. `also`: other writes of the
 * same request (a SCIM PUT's profile), in the role change's transaction, or alone when the role is already the one
 * asked (a `toRequest` that opens a request carries them itself).
 */
export async function changeRole<Pending>(
  access: Access,
  memberId: string,
  roleId: string,
  until: string | undefined,
  toRequest: ToRequest<Pending>,
  releases: Releases,
  also: TransactItem[] = [],
): Promise<Member | { pending: Pending }> {
  for (let attempt = 1; ; attempt++) {
    const target = await memberOrNotFound(access, memberId);
    const last = attempt >= ROLE_CHANGE_TRIES;
    const done = await changeRoleOf(access, target, roleId, until, toRequest, releases, last, also);
    if (done !== 'lost') return done;
  }
}

/** One try on the member as read; `lost` when its write met a concurrent change (not on the `last` try: 409). */
async function changeRoleOf<Pending>(
  access: Access,
  target: Member,
  roleId: string,
  until: string | undefined,
  toRequest: ToRequest<Pending>,
  releases: Releases,
  last: boolean,
  also: TransactItem[],
): Promise<Member | { pending: Pending } | 'lost'> {
  const memberId = target.id;
  // Roles of provisioned members come from the identity provider while settings.scim.rolesFrom is idp.
  assertNotManagedByScim(access, target, 'role');
  const role = await assertMayChangeRole(access, target, roleId);
  const end = until === undefined ? undefined : grantEnd(until, 'body.until');
  // requireApprovalFor: checked like a change by this actor, then left for someone else to approve.
  if (needsApproval(access, role.permissions, roleId)) {
    return {
      pending: await toRequest({
        roleId,
        ...(end ? { until: end } : {}),
        reason: 'requireApprovalFor: role change',
      }),
    };
  }
  const term: RoleTerm | undefined =
    end === undefined ? undefined : { until: end, previousRoleId: target.previousRoleId ?? target.roleId };
  if (term && term.previousRoleId === roleId) {
    throw new InvalidRequest('The member goes back to this role anyway', [
      { path: 'body.roleId', message: 'A role for a period must differ from the role held after it' },
    ]);
  }
  if (target.roleId === roleId && target.roleUntil === term?.until) {
    if (also.length > 0) await transact(also, 'The member changed meanwhile; reload and retry');
    return target;
  }
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: term ? 'member.role.grant' : 'member.role.change',
    target: { type: 'member', id: memberId },
    before: { roleId: target.roleId, roleUntil: target.roleUntil ?? null },
    after: { roleId: role.id, roleUntil: term?.until ?? null, previousRoleId: term?.previousRoleId ?? null },
  });
  const { roleUntil: _u, previousRoleId: _p, ...rest } = target;
  const changed: Member = {
    ...rest,
    roleId,
    version: (target.version ?? 1) + 1,
    ...(term ? { roleUntil: term.until, previousRoleId: term.previousRoleId } : {}),
  };
  try {
    await writeRoleChange(access, target, roleId, term, audit, releases, also);
  } catch (err) {
    if (err instanceof Conflict && !last) return 'lost';
    throw err;
  }
  return changed;
}

/**
 * Writes a member's role change checked by the caller (the guard, requireApprovalFor), audited by `audit`, with
 * `also` in its transaction: a change made directly and an approved access request both write here. A role that
 * no longer sees an inbox (inboxes.private.access taken, messages.view narrowed) releases what the member was
 * assigned there, in the same transaction (shared/conversations/reach-release.ts).
 */
export async function writeRoleChange(
  access: Access,
  target: Member,
  roleId: string,
  term: RoleTerm | undefined,
  audit: ReturnType<typeof auditItem>,
  releases: Releases,
  also: TransactItem[] = [],
): Promise<void> {
  const { roleUntil: _u, previousRoleId: _p, ...rest } = target;
  const changed: Member = {
    ...rest,
    roleId,
    ...(term ? { roleUntil: term.until, previousRoleId: term.previousRoleId } : {}),
  };
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    { members: [changed], inboxIds: 'all' },
    ROLE_CHANGE_ROOM - also.length,
  );
  await repo.changeMemberRole(access.workspace.id, target, target.roleId, roleId, [audit], term, [
    ...also,
    ...released.items,
  ]);
  await released.afterCommit();
}

/** Items a role change's transaction leaves for releases (its own: member items, role counters, audit: ≤ 10). */
const ROLE_CHANGE_ROOM = 90;

/** `also`: other writes of the same request (a SCIM user's document), in the removal's last transaction. */
export async function removeMember(
  access: Access,
  memberId: string,
  releases: Releases,
  also: TransactItem[] = [],
): Promise<void> {
  const target = await memberOrNotFound(access, memberId);
  assertNotManagedByScim(access, target, 'status');
  await assertMayManage(access, target, 'removed');
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'member.remove',
    target: { type: 'member', id: memberId },
    before: target,
    after: null,
  });
  await repo.deleteMember(access.workspace.id, target, now().toISOString(), [audit], also);
  try {
    await releases.assignments(access.workspace.id, memberId, actorOf(access), { departure: 'removed' });
  } catch (err) {
    // The member is gone: asked again, this request would be a 404 and release nothing. The marker the removal
    // wrote has the grant sweep finish the release (within its schedule), so the removal answers as done.
    if (!(err instanceof Unavailable)) throw err;
    logger.warn('release of a removed member left to the grant sweep', { error: err, memberId });
  }
}

export async function transferOwnership(
  access: Access,
  memberId: string,
  releases: Releases,
): Promise<{ owner: Member; previousOwner: Member }> {
  if (access.roleId !== 'owner') throw new Forbidden('Only the Owner transfers ownership');
  const owner = await memberOrNotFound(access, access.memberId);
  const target = await memberOrNotFound(access, memberId);
  assertMayTransferOwnership(access, target);
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'ownership.transfer',
    target: { type: 'member', id: memberId },
    before: { owner: owner.id, targetRoleId: target.roleId },
    after: { owner: target.id, previousOwnerRoleId: 'admin' },
  });
  // The previous Owner becomes an Admin, who does not work conversations (PRODUCT §4): what they were assigned and
  // can no longer work in is released in the same transaction, as any other role change releases it.
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    { members: [{ ...owner, roleId: 'admin' }], inboxIds: 'all' },
    ROLE_CHANGE_ROOM,
  );
  await repo.transferOwnership(access.workspace.id, owner, target, [audit], released.items);
  await released.afterCommit();
  return { owner: { ...target, roleId: 'owner' }, previousOwner: { ...owner, roleId: 'admin' } };
}
