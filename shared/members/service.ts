// Members: list, read, change role, remove, transfer ownership (PRODUCT.md §5).

import { actorOf, auditItem } from '../audit/audit';
import type { Access } from '../auth/access';
import { Forbidden, InvalidRequest, NotFound } from '../errors';
import { assertMayAssign, assertMayManage } from '../grants/guard';
import * as repo from './repository';
import type { Member } from './schema';

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

export async function changeRole(access: Access, memberId: string, roleId: string): Promise<Member> {
  if (memberId === access.memberId) throw new Forbidden('Nobody changes their own role');
  const target = await memberOrNotFound(access, memberId);
  await assertMayManage(access, target, 'changed');
  await assertMayAssign(access, roleId, 'assigning a role', 'body.roleId');
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
  return { ...target, roleId, version: (target.version ?? 1) + 1 };
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
