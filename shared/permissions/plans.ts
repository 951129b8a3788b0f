// Plans are data: these defaults are seeded into DynamoDB (local setup, and in AWS a deploy-time custom
// resource) and read back from there; code only knows their shape.

export const FEATURES = ['analytics', 'apiKeys', 'sequences', 'auditExport', 'scim'] as const;
export type Feature = (typeof FEATURES)[number];

export const LIMITS = ['customRoles', 'seats'] as const;
export type Limit = (typeof LIMITS)[number];

export interface Plan {
  id: string;
  name: string;
  features: Feature[];
  /** `null` is unlimited. */
  limits: Record<Limit, number | null>;
}

export interface PlanCatalog {
  version: number;
  plans: Record<string, Plan>;
}

export const DEFAULT_PLAN_ID = 'basic';

export const DEFAULT_PLANS: PlanCatalog = {
  version: 1,
  plans: {
    basic: { id: 'basic', name: 'Basic', features: [], limits: { customRoles: 0, seats: 5 } },
    pro: { id: 'pro', name: 'Pro', features: ['analytics', 'apiKeys'], limits: { customRoles: 1, seats: 50 } },
    unlimited: {
      id: 'unlimited',
      name: 'Unlimited',
      features: ['analytics', 'apiKeys', 'sequences', 'auditExport', 'scim'],
      limits: { customRoles: null, seats: null },
    },
  },
};

/**
 * The plan a client-given id names, or `undefined`. Only the catalog's own entries count: a plain
 * object also answers to `toString`, `constructor` or `__proto__`, which are no plans.
 */
export function planById(catalog: PlanCatalog | undefined, id: string): Plan | undefined {
  const plans = catalog?.plans;
  if (!plans || !Object.hasOwn(plans, id)) return undefined;
  return plans[id];
}
