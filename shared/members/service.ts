// Members: list, read, change role, remove, transfer ownership (PRODUCT.md §5).

import { auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { Forbidden, InvalidRequest, NotFound } from '../http/errors';
import type { PermissionSet } from '../permissions/catalog';
import { describeExcess, grantExcess } from '../permissions/policy';
import { builtinPermissions, isBuiltinRoleId } from '../permissions/roles';
import { TEMPLATE_BY_ID } from '../permissions/templates';
import { getRole } from '../roles/repository';
import * as repo from './repository';
import type { Member } from './schema';

const actorOf = (a: Access) => ({ memberId: a.memberId, userId: a.userId, source: a.source });

/** The permission set of an assignable role of this workspace, or a 400 naming the field. */
export async function assignableRole(access: Access, roleId: string, path: string): Promise<PermissionSet> {
  const refuse = (message: string) => new InvalidRequest('Not an assignable role', [{ path, message }]);
  if (roleId === 'owner') throw refuse('Ownership moves only by POST /ownership');
  if (TEMPLATE_BY_ID.has(roleId)) throw refuse('Templates are starting points: clone one into a custom role first');
  if (isBuiltinRoleId(roleId)) return builtinPermissions(roleId, access.workspace.settings);
  const custom = await getRole(access.workspace.id, roleId);
  if (!custom) throw refuse(`No role "${roleId}" in this workspace`);
  return custom.permissions;
}

/** The no-escalation rule: granting `set` (inviting with it, assigning it) must not exceed the actor. */
export function assertMayGrant(access: Access, set: PermissionSet, what: string): void {
  const excess = grantExcess(
    { roleId: access.roleId, permissions: access.permissions, companyAdmin: access.companyAdmin },
    set,
  );
  if (excess.length > 0) {
    throw new Forbidden(`${describeExcess(excess)} (${what})`, { permission: excess[0]?.permission, exceeds: excess });
  }
}

async function memberOrNotFound(access: Access, memberId: string): Promise<Member> {
  const member = await repo.getMember(access.workspace.id, memberId, true);
  if (!member) throw new NotFound('Member');
  return member;
}

/** Touching a member needs the right to grant what they hold now; nobody but the Owner touches the Owner. */
async function assertMayManage(access: Access, target: Member, verb: string): Promise<void> {
  if (target.roleId === 'owner') {
    throw new Forbidden(`The Owner cannot be ${verb}; the Owner hands over ownership with POST /ownership`);
  }
  const current = isBuiltinRoleId(target.roleId)
    ? builtinPermissions(target.roleId, access.workspace.settings)
    : ((await getRole(access.workspace.id, target.roleId))?.permissions ?? {});
  assertMayGrant(access, current, `${verb} a member whose role holds more than yours`);
}

export function listMembers(access: Access, q: { limit: number; cursor?: string; roleId?: string }) {
  return repo.listMembers(access.workspace.id, q);
}

export function getMember(access: Access, memberId: string): Promise<Member> {
  return memberOrNotFound(access, memberId);
}

export async function changeRole(access: Access, memberId: string, roleId: string): Promise<Member> {
  if (memberId === access.memberId) throw new Forbidden('Nobody changes their own role');
  const target = await memberOrNotFound(access, memberId);
  await assertMayManage(access, target, 'changed');
  const next = await assignableRole(access, roleId, 'body.roleId');
  assertMayGrant(access, next, 'assigning a role');
  if (target.roleId === roleId) return target;
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'member.role.change',
    target: { type: 'member', id: memberId },
    before: { roleId: target.roleId },
    after: { roleId },
  });
  await repo.changeMemberRole(access.workspace.id, target, target.roleId, roleId, [audit]);
  return { ...target, roleId };
}

export async function removeMember(access: Access, memberId: string): Promise<void> {
  const target = await memberOrNotFound(access, memberId);
  await assertMayManage(access, target, 'removed');
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'member.remove',
    target: { type: 'member', id: memberId },
    before: target,
    after: null,
  });
  await repo.deleteMember(access.workspace.id, target, [audit]);
}

export async function transferOwnership(
  access: Access,
  memberId: string,
): Promise<{ owner: Member; previousOwner: Member }> {
  if (access.roleId !== 'owner') throw new Forbidden('Only the Owner transfers ownership');
  if (memberId === access.memberId)
    throw new InvalidRequest('You are already the Owner', [{ path: 'body.memberId', message: 'Pick another member' }]);
  const owner = await memberOrNotFound(access, access.memberId);
  const target = await memberOrNotFound(access, memberId);
  const audit = auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: 'ownership.transfer',
    target: { type: 'member', id: memberId },
    before: { owner: owner.id, targetRoleId: target.roleId },
    after: { owner: target.id, previousOwnerRoleId: 'admin' },
  });
  await repo.transferOwnership(access.workspace.id, owner, target, [audit]);
  return { owner: { ...target, roleId: 'owner' }, previousOwner: { ...owner, roleId: 'admin' } };
}
