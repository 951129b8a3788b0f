// Extra permissions for a period (PRODUCT.md §10). A grant lives on the member item and, copied in the same
// transaction, on the membership pointer the authorizer reads: deciding still costs one BatchGetItem, and a
// grant stops counting the instant `until` passes (every decision compares it with the clock), whether or not
// the sweep (shared/jobs/grant-sweep.ts) has removed it yet. At most MAX_ACTIVE_GRANTS per member.

import type { Access } from '../access';
import { now, nowMs } from '../clock';
import { putNew } from '../db/ops';
import { NotFound } from '../errors';
import { assertMayGrantExtra, assertMayManage, grantEnd, isSelf, needsApproval } from '../grants/guard';
import { newId } from '../ids';
import { PERMISSION_BY_KEY, type Permission, type PermissionGrant, type PermissionSet } from '../permissions/catalog';
import { type ExtraGrant, effectiveGrants } from '../permissions/effective';
import type { Releases } from '../releases';
import { actorOf, auditItem } from '../table/audit/entry';
import * as repo from './repository';
import type { Member } from './schema';

/** `true` on a scoped permission means every conversation (`all`). */
export function grantSet(input: Partial<Record<Permission, true | PermissionGrant>>): PermissionSet {
  const out: PermissionSet = {};
  for (const [key, value] of Object.entries(input)) {
    const def = PERMISSION_BY_KEY.get(key);
    if (!def) continue;
    out[def.key] = def.scoped ? (value === true ? 'all' : value) : true;
  }
  return out;
}

async function memberOr404(access: Access, memberId: string): Promise<Member> {
  const m = await repo.getMember(access.workspace.id, memberId, true);
  if (!m) throw new NotFound('Member');
  return m;
}

/** The grant record written for `target` (checks included): used directly and by an approved request. */
export async function prepareGrant(
  access: Access,
  target: Member,
  input: { permissions: PermissionSet; until: string; reason: string },
  untilPath = 'body.until',
): Promise<ExtraGrant> {
  await assertMayGrantExtra(access, target, input.permissions, 'granting permissions for a period');
  return {
    id: newId('grant'),
    permissions: input.permissions,
    until: grantEnd(input.until, untilPath),
    reason: input.reason,
    grantedBy: access.memberId,
    grantedAt: now().toISOString(),
  };
}

/** The list a member holds after adding `grant`: expired ones are dropped on the way (the sweep's job too). */
export const grantsAfterAdding = (target: Member, grant: ExtraGrant): ExtraGrant[] => [
  ...effectiveGrants(target, nowMs()).grants,
  grant,
];

export function grantAudit(access: Access, target: Member, action: string, before: unknown, after: unknown) {
  return auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'member', id: target.id },
    before,
    after,
  });
}

export async function addGrant(
  access: Access,
  memberId: string,
  input: { permissions: PermissionSet; until: string; reason: string },
  /** requireApprovalFor: the checked grant is handed to this instead of taking effect (access requests). */
  toRequest?: (spec: { permissions: PermissionSet; until: string; reason: string }) => Promise<unknown>,
): Promise<ExtraGrant | { pending: unknown }> {
  const target = await memberOr404(access, memberId);
  const grant = await prepareGrant(access, target, input);
  if (toRequest && needsApproval(access, grant.permissions)) {
    return { pending: await toRequest({ permissions: grant.permissions, until: grant.until, reason: input.reason }) };
  }
  await repo.writeGrants(access.workspace.id, target, grantsAfterAdding(target, grant), [
    putNew(grantAudit(access, target, 'grant.create', null, grant)),
  ]);
  return grant;
}

export async function removeGrant(
  access: Access,
  memberId: string,
  grantId: string,
  releases: Releases,
): Promise<void> {
  const target = await memberOr404(access, memberId);
  const grant = (target.grants ?? []).find((g) => g.id === grantId);
  if (!grant) throw new NotFound('Grant');
  // Taking a grant away is a change of the member: the right to manage what they hold (oneself: always).
  if (!isSelf(access, target)) await assertMayManage(access, target, 'changed');
  const grants = (target.grants ?? []).filter((g) => g.id !== grantId);
  // A grant that let the member see an inbox (inboxes.private.access, messages.view) takes that reach with it:
  // what it was assigned there and can no longer work in is released in this transaction (reach-release.ts).
  const released = await releases.lostReach(
    access.workspace,
    actorOf(access),
    { members: [{ ...target, grants }], inboxIds: 'all' },
    GRANT_WRITE_ROOM,
  );
  await repo.writeGrants(access.workspace.id, target, grants, [
    putNew(grantAudit(access, target, 'grant.revoke', grant, null)),
    ...released.items,
  ]);
  await released.afterCommit();
}

/** Items a grant write leaves for releases (its own: the member, its pointer, the audit: ≤ 4). */
const GRANT_WRITE_ROOM = 90;
