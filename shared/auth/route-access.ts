// A route's requirement (its permission, its plan feature) asked of a standing: by every handler's fresh check
// (shared/http/require-access.ts) and by the services that make a route's change on someone else's behalf, so
// both answer by the one policy module.

import type { Access } from '../access';
import { Forbidden, PlanLimit } from '../errors';
import { decide } from '../permissions/policy';
import type { RouteDef } from '../routes';

/**
 * Throws what the route's requirement (its permission, its plan feature) answers for this standing. Also used
 * where a route's change is made on someone else's behalf (approving a change request), so that the one making
 * it must pass the route exactly as if calling it.
 */
export function assertRouteAccess(access: Access, route: Pick<RouteDef, 'access'>): void {
  // Fail closed: only member routes carry a requirement a member's standing can pass.
  if (route.access.kind !== 'member') throw new Forbidden('This action is not made on behalf of a member');
  const decision = decide(route.access, { permissions: access.permissions, features: access.plan.features });
  if (!decision.allowed) {
    if (decision.code === 'plan_limit') throw new PlanLimit(decision.reason, { feature: decision.feature });
    throw new Forbidden(decision.reason, { permission: decision.permission });
  }
}
