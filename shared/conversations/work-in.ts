// Who can work in an inbox (be its conversations' assignee): the one rule. Assigning (conversations/service
// workIn) asks it with what the member holds now; a change that takes reach (reach-release.ts) asks it with what
// the change leaves, and releases what it answers no for. Two copies drifted before: releasing knew the company
// admin's exemption and assigning did not (the Owner could not assign a company admin a private inbox's
// conversation that it already read).
import type { TransactItem } from '../db/ops';
import type { Member } from '../members/schema';
import type { Permission, PermissionSet } from '../permissions/catalog';
import { canSee } from '../permissions/inbox-visibility';
import { companyAdminGrantKey } from '../table/organizations/keys';
import type { WorkspaceRecord } from '../workspaces/repository';
import * as repo from './repository';

/**
 * What working in an inbox is made of (`worksIn`, `canSee`): a change that takes none of them (an ended grant of
 * other permissions, a setting that changes what else a built-in role holds) takes nobody's reach.
 */
export const WORK_IN_PERMISSIONS: readonly Permission[] = [
  'messages.view',
  'inboxes.private.access',
  'inboxes.private.configure',
  'inboxes.public.configure',
];

export interface Worker {
  member: Pick<Member, 'id' | 'status'>;
  /** Its effective set (role in force, grants in force) as the decision takes it. */
  permissions: PermissionSet;
  /** A company admin of the workspace's organization (`companyAdminOf`). */
  companyAdmin: boolean;
}

/**
 * Whether `who` can work in `inbox` with the inboxes `reach` gives it (its own list and its teams'): nobody once
 * deactivated; a personal inbox is its owner's alone, whatever anyone holds; a company admin works in every shared
 * inbox (it sees them all with the Owner's permissions, the access loader's exemption); anyone else needs
 * `messages.view` and to see the inbox.
 */
export function worksIn(who: Worker, inbox: repo.InboxFacts, reach: ReadonlySet<string>): boolean {
  if (who.member.status === 'deactivated') return false;
  if (inbox.kind === 'personal') return inbox.ownerMemberId === who.member.id;
  if (who.companyAdmin) return true;
  return (
    who.permissions['messages.view'] !== undefined &&
    canSee({ memberId: who.member.id, permissions: who.permissions }, inbox, reach)
  );
}

/**
 * Whether the member is a company admin of the workspace's organization, as the access loader judges it (its
 * grant for this workspace, of the workspace's organization), and the condition that holds that fact in a
 * transaction (the grant still there, of that organization): an admin removed meanwhile makes it fail.
 */
export async function companyAdminOf(
  ws: WorkspaceRecord,
  member: Pick<Member, 'userId'>,
): Promise<{ companyAdmin: boolean; proof: TransactItem[] }> {
  if (ws.orgId === undefined || !member.userId) return { companyAdmin: false, proof: [] };
  const key = companyAdminGrantKey(member.userId, ws.id);
  const grant = (await repo.batchGet([key], true))[0];
  if (grant === undefined || grant.orgId !== ws.orgId) return { companyAdmin: false, proof: [] };
  return { companyAdmin: true, proof: [repo.conditionCheck(key, 'orgId = :org', { ':org': ws.orgId })] };
}
