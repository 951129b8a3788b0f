// Handlers re-check the route's requirement on fresh (strongly consistent) data, because the
// authorizer's answer may come from a cache: a revoked permission stops working for writes at once.

import type { Access, Principal } from '../access';
import { loadAccessWith } from '../auth/access';
import { assertRouteAccess } from '../auth/route-access';
import { nowMs } from '../clock';
import { itemReader } from '../db/item-reader';
import { NotFound } from '../errors';
import type { RouteDef } from '../routes';
import type { Caller } from './caller';

export function principalOf(caller: Caller): Principal {
  if (caller.principalType === 'apiKey' && caller.keyHash) return { type: 'apiKey', keyHash: caller.keyHash };
  if (caller.principalType === 'user' && caller.userId) return { type: 'user', userId: caller.userId };
  throw new NotFound('Workspace');
}

/**
 * The caller's standing for a read: what the authorizer decided on (its context), without another read.
 * Bounded by the authorizer cache TTL like the decision itself. `undefined` when the context lacks it.
 */
export function accessFromAuthorizer(caller: Caller, wsId: string): Access | undefined {
  const m = caller.membership;
  // An answer cached by an older authorizer does not name the person behind the credential: decide again.
  if (!m?.workspace || !m.plan || !m.actor || m.workspaceId !== wsId || m.workspace.id !== wsId) return undefined;
  // A decision that counted a time-bound grant is not reused once that grant ends: decide again, fresh.
  if (decisionExpired(caller)) return undefined;
  return {
    workspace: m.workspace,
    memberId: m.memberId,
    roleId: m.roleId,
    userId: caller.userId,
    email: caller.email,
    permissions: m.permissions,
    plan: m.plan,
    source: caller.principalType === 'apiKey' ? 'apiKey' : 'app',
    actor: m.actor,
    companyAdmin: m.companyAdmin,
  };
}

/** Whether the authorizer's (possibly cached) decision counted a grant that has ended since. */
export function decisionExpired(caller: Caller): boolean {
  const end = caller.membership?.grantsEndAt;
  return end !== null && end !== undefined && Date.parse(end) <= nowMs();
}

/** The caller's standing read fresh (strongly consistent) and checked against the route: every write. */
export async function requireAccess(caller: Caller, route: RouteDef, wsId: string): Promise<Access> {
  return (await requireAccessWith(caller, route, wsId, [])).access;
}

/** `requireAccess`, with the items of `extraKeys` read fresh in the same round trip (see `loadAccessWith`). */
export async function requireAccessWith(
  caller: Caller,
  route: RouteDef,
  wsId: string,
  extraKeys: readonly { PK: string; SK: string }[],
): Promise<{ access: Access; extra: Record<string, unknown>[] }> {
  // The authorizer's role id is the likely one: read it in the same batch.
  const { access, extra } = await loadAccessWith(
    itemReader,
    wsId,
    principalOf(caller),
    true,
    caller.membership?.roleId,
    extraKeys,
  );
  if (!access) throw new NotFound('Workspace');
  if (route.access.kind === 'member') assertRouteAccess(access, route);
  return { access, extra };
}
