// Access requests (PRODUCT.md §10): a member asks for a role or permissions with a reason; someone who could
// grant it (the guard: teammates.manage, the right to manage the member, no escalation) and is not the one who
// asked approves or denies. Approval applies the grant in the transaction that closes the request; a request
// can be decided for 7 days. `requireApprovalFor` turns some grants by anyone but the Owner into requests
// (members/service, members/grants). Approvers are emailed from the table stream (mailing.ts).

import type { Access } from '../access';
import { getApiKey } from '../api-keys/repository';
import { keyOwnerOf } from '../auth/key-standing';
import { assertRouteAccess } from '../auth/route-access';
import type { ChangeRequest } from '../change-request';
import { now, nowMs } from '../clock';
import type { TransactItem } from '../db/ops';
import { putNew, transact } from '../db/ops';
import type { Page } from '../db/pagination';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../errors';
import {
  assertMayAssign,
  assertMayChangeRole,
  assertMayGrantExtra,
  assignableRole,
  grantEnd,
  isSelf,
} from '../grants/guard';
import { newId } from '../ids';
import { grantAudit, grantsAfterAdding, prepareGrant } from '../members/grants';
import * as members from '../members/repository';
import type { Member } from '../members/schema';
import { assertNotManagedByScim } from '../members/scim-settings';
import { writeRoleChange } from '../members/service';
import type { PermissionSet } from '../permissions/catalog';
import type { Releases } from '../releases';
import { type RouteId, routes } from '../routes';
import { COMPANY_ADMIN_OWNER_PREFIX } from '../table/api-keys/record';
import { actorOf, auditItem } from '../table/audit/entry';
import type { AccessRequestRecord } from './repository';
import * as repo from './repository';
import type { AccessRequest } from './schema';

export const REQUEST_TTL_MS = 7 * 86_400_000;

export function view(r: AccessRequestRecord): AccessRequest {
  const expired = r.status === 'pending' && Date.parse(r.expiresAt) <= nowMs();
  return {
    id: r.id,
    ...(r.memberId !== undefined ? { memberId: r.memberId } : {}),
    requestedBy: r.requestedBy,
    kind: r.kind,
    ...(r.email !== undefined ? { email: r.email } : {}),
    ...(r.inboxIds !== undefined ? { inboxIds: r.inboxIds } : {}),
    ...(r.roleId !== undefined ? { roleId: r.roleId } : {}),
    ...(r.permissions !== undefined ? { permissions: r.permissions } : {}),
    ...(r.until !== undefined ? { until: r.until } : {}),
    ...(r.change !== undefined ? { change: r.change } : {}),
    reason: r.reason,
    status: expired ? 'expired' : r.status,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    ...(r.decidedBy !== undefined ? { decidedBy: r.decidedBy } : {}),
    ...(r.decidedAt !== undefined ? { decidedAt: r.decidedAt } : {}),
  };
}

const audit = (access: Access, action: string, r: AccessRequestRecord, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'accessRequest', id: r.id },
    before,
    after,
  });

type Person = NonNullable<AccessRequestRecord['requester']>;

const requesterOfAccess = (access: Access): Person => ({
  userId: access.actor.userId,
  memberId: access.actor.memberId,
});

/**
 * The person behind a request's `requestedBy`, for requests made before `requester` was recorded: a member, a
 * company admin (`cadmin_<user>`), or the owner of the key that asked. `undefined` when it cannot be told any more.
 */
async function requesterOfCredential(wsId: string, requestedBy: string): Promise<Person | undefined> {
  if (requestedBy.startsWith(COMPANY_ADMIN_OWNER_PREFIX)) {
    return { userId: requestedBy.slice(COMPANY_ADMIN_OWNER_PREFIX.length), memberId: null };
  }
  let memberId = requestedBy;
  if (requestedBy.startsWith('apikey_')) {
    const key = await getApiKey(wsId, requestedBy.slice('apikey_'.length));
    const owner = key ? keyOwnerOf(key) : undefined;
    if (!owner) return undefined;
    if (owner.startsWith(COMPANY_ADMIN_OWNER_PREFIX)) return requesterOfCredential(wsId, owner);
    memberId = owner;
  }
  const m = await members.getMember(wsId, memberId, true);
  return { userId: m?.userId ?? null, memberId };
}

/** Whether `p` is the person acting (`isSelf` on a person instead of a member). */
const samePerson = (access: Access, p: Person): boolean =>
  (p.memberId !== null && (p.memberId === access.memberId || p.memberId === access.actor.memberId)) ||
  (p.userId !== null && p.userId === access.actor.userId);

export interface RequestSpec {
  roleId?: string;
  permissions?: PermissionSet;
  until?: string;
  reason: string;
}

/** Writes a pending request for `memberId`, asked by the caller. */
/** `also`: other writes of the same request (a SCIM PUT's profile), in the request's transaction. */
export async function openRequest(
  access: Access,
  memberId: string,
  spec: RequestSpec,
  also: TransactItem[] = [],
): Promise<AccessRequest> {
  const at = now();
  const r: AccessRequestRecord = {
    id: newId('areq'),
    workspaceId: access.workspace.id,
    memberId,
    requestedBy: access.memberId,
    requester: requesterOfAccess(access),
    kind: spec.roleId !== undefined ? 'role' : 'permissions',
    ...(spec.roleId !== undefined ? { roleId: spec.roleId } : {}),
    ...(spec.permissions !== undefined ? { permissions: spec.permissions } : {}),
    ...(spec.until !== undefined ? { until: grantEnd(spec.until, 'body.until') } : {}),
    reason: spec.reason,
    status: 'pending',
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + REQUEST_TTL_MS).toISOString(),
  };
  await repo.createAccessRequest(r, audit(access, 'accessRequest.create', r, null, view(r)), also);
  return view(r);
}

/** requireApprovalFor: an invitation the caller may send, waiting for someone else's approval. */
export async function openInvitationRequest(
  access: Access,
  input: { email: string; roleId: string; inboxIds?: string[] },
): Promise<AccessRequest> {
  const at = now();
  const r: AccessRequestRecord = {
    id: newId('areq'),
    workspaceId: access.workspace.id,
    requestedBy: access.memberId,
    requester: requesterOfAccess(access),
    kind: 'invitation',
    roleId: input.roleId,
    email: input.email,
    inboxIds: input.inboxIds ?? [],
    reason: 'requireApprovalFor: invitation',
    status: 'pending',
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + REQUEST_TTL_MS).toISOString(),
  };
  await repo.createAccessRequest(r, audit(access, 'accessRequest.create', r, null, view(r)));
  return view(r);
}

/**
 * requireApprovalFor: a change that grants (a role edited, a role's holders moved, a setting, an API key's
 * role), checked as the caller's and waiting for someone else's approval. Approving makes it as the approver.
 */
export async function openChangeRequest(access: Access, change: ChangeRequest): Promise<AccessRequest> {
  const at = now();
  const roleId =
    change.action === 'apiKey.create'
      ? String(change.body?.roleId ?? '')
      : change.action === 'scimToken.create'
        ? String(change.body?.maxRoleId ?? '')
        : change.action === 'role.delete'
          ? change.reassignTo
          : change.action === 'plan.change'
            ? 'member'
            : change.roleId;
  const r: AccessRequestRecord = {
    id: newId('areq'),
    workspaceId: access.workspace.id,
    requestedBy: access.memberId,
    requester: requesterOfAccess(access),
    kind: 'change',
    change,
    ...(roleId !== undefined ? { roleId } : {}),
    reason: `requireApprovalFor: ${change.action}`,
    status: 'pending',
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + REQUEST_TTL_MS).toISOString(),
  };
  await repo.createAccessRequest(r, audit(access, 'accessRequest.create', r, null, view(r)));
  return view(r);
}

/**
 * An API key with a role requireApprovalFor lists: created once its requester holds an approved, unused request
 * for that role (the item that uses it goes in the key's transaction); `undefined` when there is none.
 */
export async function keyApproval(
  access: Access,
  roleId: string,
  /** A SCIM token's ceiling is a credential's role too (scim/tokens.ts): its own approvals. */
  action: 'apiKey.create' | 'scimToken.create' = 'apiKey.create',
): Promise<TransactItem | undefined> {
  const [approval] = await repo.unusedKeyApprovals(access.workspace.id, access.memberId, roleId, action);
  return approval ? repo.consumeApproval(approval, now().toISOString()) : undefined;
}

/** A member asks for itself. */
export async function createAccessRequest(access: Access, spec: RequestSpec): Promise<AccessRequest> {
  if (access.source !== 'app' || access.companyAdmin) throw new Forbidden('Only members ask for access for themselves');
  const me = await members.getMember(access.workspace.id, access.memberId, true);
  if (!me) throw new NotFound('Member');
  if (spec.roleId !== undefined) {
    await assignableRole(access, spec.roleId, 'body.roleId');
    if (spec.roleId === me.roleId && spec.until === undefined) {
      throw new InvalidRequest('You hold this role already', [
        { path: 'body.roleId', message: 'Ask for another role' },
      ]);
    }
  }
  return openRequest(access, me.id, spec);
}

const managesAll = (access: Access) =>
  access.roleId === 'owner' || access.companyAdmin || access.permissions['teammates.manage'] !== undefined;

/** Requests the caller may see: every one with `teammates.manage`, else those about or by the caller. */
export async function listAccessRequests(
  access: Access,
  q: { limit: number; cursor?: string; status?: AccessRequest['status'] },
): Promise<Page<AccessRequest>> {
  const page = await repo.listAccessRequests(access.workspace.id, {
    ...q,
    ...(managesAll(access) ? {} : { concerning: access.memberId }),
    nowIso: now().toISOString(),
  });
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

async function decidable(access: Access, requestId: string) {
  const r = await repo.getAccessRequest(access.workspace.id, requestId);
  if (!r) throw new NotFound('Access request');
  const v = view(r);
  if (v.status === 'expired') throw new Conflict('The request expired: ask again');
  if (v.status !== 'pending') throw new Conflict(`The request was ${v.status} already`);
  // Requester ≠ approver compares persons: a member's own key is that member, whichever of the two asked.
  const requester = r.requester ?? (await requesterOfCredential(access.workspace.id, r.requestedBy));
  // Fail closed: an old request whose asker cannot be told any more (the key that asked was revoked) is decided
  // by nobody; it expires within its 7 days, and can be asked again.
  if (!requester) throw new Conflict('Who asked for this request cannot be told any more: ask again');
  const own = () => new Forbidden('Nobody decides their own request');
  if (r.requestedBy === access.memberId || samePerson(access, requester)) throw own();
  if (r.memberId !== undefined && isSelf(access, { id: r.memberId })) throw own();
  if (r.kind === 'invitation' || r.kind === 'change') return { r, target: undefined };
  const target = await members.getMember(access.workspace.id, r.memberId ?? '', true);
  if (!target) throw new NotFound('Member');
  if (isSelf(access, target)) throw own();
  return { r, target };
}

/** Deciding an invitation request needs what sending it needs: `teammates.invite` and its role (the guard). */
async function assertMayDecideInvitation(access: Access, r: AccessRequestRecord) {
  const exempt = access.roleId === 'owner' || access.companyAdmin;
  if (!exempt && access.permissions['teammates.invite'] === undefined) {
    throw new Forbidden('Your role does not have the permission "teammates.invite"', {
      permission: 'teammates.invite',
    });
  }
  await assertMayAssign(access, r.roleId ?? '', 'approving an invitation', 'roleId');
}

/** The route each change goes through when made directly. */
const CHANGE_ROUTE: Record<ChangeRequest['action'], RouteId> = {
  'role.update': 'updateRole',
  'role.delete': 'deleteRole',
  'workspace.update': 'updateWorkspace',
  'apiKey.create': 'createApiKey',
  'scimToken.create': 'createScimToken',
  'plan.change': 'changePlan',
};

/**
 * Deciding a change needs what making it directly needs, now: its route's permission and plan feature (which the
 * approve route, open to every member, does not check), and the guard's checks of its path. A role edit or
 * deletion and a settings change are then made as the approver through their own service, whose guard checks
 * the rest; an API key is made later by its requester, so the role it gives is checked here (assertMayAssign).
 */
async function assertMayDecideChange(access: Access, r: AccessRequestRecord) {
  const action = r.change?.action;
  const route = action === undefined ? undefined : routes.find((x) => x.id === CHANGE_ROUTE[action]);
  if (!route) throw new Forbidden('This request names no change that can be approved');
  assertRouteAccess(access, route);
  if (action === 'apiKey.create') {
    await assertMayAssign(access, String(r.change?.body?.roleId ?? ''), 'approving an API key with a role', 'roleId');
  }
  if (action === 'scimToken.create') {
    await assertMayAssign(access, String(r.change?.body?.maxRoleId ?? ''), 'approving a SCIM token ceiling', 'roleId');
  }
}

/** The approver must be able to grant what is asked, exactly as if granting it directly (the guard). */
async function assertMayDecide(access: Access, r: AccessRequestRecord, target: Member | undefined) {
  if (r.kind === 'change') return assertMayDecideChange(access, r);
  if (r.kind === 'invitation' || !target) return assertMayDecideInvitation(access, r);
  if (r.kind === 'role') {
    assertNotManagedByScim(access, target, 'role');
    await assertMayChangeRole(access, target, r.roleId ?? '');
  } else await assertMayGrantExtra(access, target, r.permissions ?? {}, 'approving an access request');
}

export async function approveAccessRequest(
  access: Access,
  requestId: string,
  /** What an approved role change releases (conversations' releases, passed in by the handler). */
  releases: Releases,
  /** Sends the invitation of an invitation request as the approver, with these items in its transaction. */
  sendInvitation?: (
    input: { email: string; roleId: string; inboxIds: string[] },
    also: TransactItem[],
  ) => Promise<unknown>,
  /**
   * Makes a change request's change as the approver, through its own path (whose guard checks the approver as
   * if changing it directly); an API key is not made here: its requester may create it once approved.
   */
  makeChange?: (change: ChangeRequest) => Promise<unknown>,
): Promise<AccessRequest> {
  const { r, target } = await decidable(access, requestId);
  await assertMayDecide(access, r, target);
  const at = now().toISOString();
  const close = repo.closeRequest(r, 'approved', access.memberId, at);
  const approved = { ...r, status: 'approved' as const, decidedBy: access.memberId, decidedAt: at };
  const closed = putNew(audit(access, 'accessRequest.approve', r, view(r), view(approved)));
  const message = 'The request was decided, or expired, or the member changed meanwhile';
  try {
    if (r.kind === 'change') {
      if (!makeChange || !r.change) throw new Conflict('Change requests are approved through the API');
      // Made first, then closed: a request decided meanwhile answers 409 with the change made (and audited)
      // as the approver's own, which they could make directly anyway.
      // A key or SCIM token (a secret shown once) is made later by its requester, using the approval.
      if (r.change.action !== 'apiKey.create' && r.change.action !== 'scimToken.create') await makeChange(r.change);
      await transact([close, closed], message);
    } else if (r.kind === 'invitation' || !target) {
      if (!sendInvitation) throw new Conflict('Invitation requests are approved through the API');
      await sendInvitation({ email: r.email ?? '', roleId: r.roleId ?? '', inboxIds: r.inboxIds ?? [] }, [
        close,
        closed,
      ]);
    } else if (r.kind === 'role') {
      const roleId = r.roleId ?? '';
      const term =
        r.until === undefined
          ? undefined
          : { until: grantEnd(r.until, 'until'), previousRoleId: target.previousRoleId ?? target.roleId };
      const change = auditItem({
        workspaceId: access.workspace.id,
        actor: actorOf(access),
        action: term ? 'member.role.grant' : 'member.role.change',
        target: { type: 'member', id: target.id },
        before: { roleId: target.roleId },
        after: { roleId, roleUntil: term?.until ?? null, accessRequestId: r.id },
      });
      // The path a direct role change writes through: what the new role no longer sees is released with it.
      await writeRoleChange(access, target, roleId, term, change, releases, [close, closed]);
    } else {
      const grant = await prepareGrant(
        access,
        target,
        { permissions: r.permissions ?? {}, until: r.until ?? '', reason: r.reason },
        'until',
      );
      await members.writeGrants(access.workspace.id, target, grantsAfterAdding(target, grant), [
        close,
        closed,
        putNew(grantAudit(access, target, 'grant.create', null, { ...grant, accessRequestId: r.id })),
      ]);
    }
  } catch (err) {
    if (err instanceof Conflict) throw new Conflict(message);
    throw err;
  }
  return view(approved);
}

export async function denyAccessRequest(access: Access, requestId: string): Promise<AccessRequest> {
  const { r, target } = await decidable(access, requestId);
  await assertMayDecide(access, r, target);
  const at = now().toISOString();
  const denied = { ...r, status: 'denied' as const, decidedBy: access.memberId, decidedAt: at };
  await repo.denyRequest(r, access.memberId, at, audit(access, 'accessRequest.deny', r, view(r), view(denied)));
  return view(denied);
}
