import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission, type PermissionSet, SCOPES, type Scope } from '../../shared/permissions/catalog';
import { FEATURES } from '../../shared/permissions/plans';
import {
  decide,
  decodePermissions,
  encodePermissions,
  scopeNeeded,
  scopeReaches,
} from '../../shared/permissions/policy';

const grantArb = (scoped: boolean) => (scoped ? fc.constantFrom<Scope>(...SCOPES) : fc.constant(true as const));
const permissionSetArb: fc.Arbitrary<PermissionSet> = fc
  .subarray([...PERMISSIONS])
  .chain((defs) =>
    defs.length === 0
      ? fc.constant({})
      : fc
          .tuple(...defs.map((d) => grantArb(d.scoped).map((g) => [d.key, g] as const)))
          .map((pairs) => Object.fromEntries(pairs)),
  );

describe('permission encoding for the authorizer context', () => {
  it('round-trips any permission set', () => {
    fc.assert(
      fc.property(permissionSetArb, (set) => {
        expect(decodePermissions(encodePermissions(set))).toEqual(set);
      }),
    );
  });

  it('is one character per catalog permission', () => {
    expect(encodePermissions({})).toHaveLength(PERMISSIONS.length);
  });
});

describe('decide', () => {
  it('refuses a missing permission and names it', () => {
    const d = decide({ permission: 'billing.manage' }, { permissions: {}, features: [] });
    expect(d).toMatchObject({ allowed: false, code: 'forbidden', permission: 'billing.manage' });
    expect(d.reason).toContain('billing.manage');
  });

  it('refuses a plan feature before looking at permissions, even for a role holding everything', () => {
    const everything: PermissionSet = Object.fromEntries(
      PERMISSIONS.map((p) => [p.key, p.scoped ? ('all' as const) : true]),
    );
    const d = decide({ permission: 'analytics.view', feature: 'analytics' }, { permissions: everything, features: [] });
    expect(d).toMatchObject({ allowed: false, code: 'plan_limit', feature: 'analytics' });
  });

  it('honours scope order all ⊇ groups ⊇ assigned', () => {
    expect(scopeReaches('all', 'assigned')).toBe(true);
    expect(scopeReaches('groups', 'groups')).toBe(true);
    expect(scopeReaches('groups', 'all')).toBe(false);
    expect(scopeReaches('assigned', 'groups')).toBe(false);
    const d = decide(
      { permission: 'messages.view', scope: 'groups' },
      { permissions: { 'messages.view': 'assigned' }, features: [] },
    );
    expect(d).toMatchObject({ allowed: false, permission: 'messages.view', scope: 'groups' });
  });

  it('agrees with a naive reference model on random requests', () => {
    // PRODUCT.md §6, written out independently of the catalog.
    const featureOf: Record<string, string> = {
      'analytics.view': 'analytics',
      'reports.manage': 'analytics',
      'apiKeys.manage': 'apiKeys',
      'sequences.access': 'sequences',
    };
    const reference = (
      perm: Permission | undefined,
      scope: Scope | undefined,
      feature: string | undefined,
      set: PermissionSet,
      features: string[],
    ) => {
      if (feature && !features.includes(feature)) return false;
      if (!perm) return true;
      const implied = featureOf[perm];
      if (implied && !features.includes(implied)) return false;
      const g = set[perm];
      if (g === undefined) return false;
      if (!scope || g === true) return true;
      const order = ['assigned', 'groups', 'all'];
      return order.indexOf(g) >= order.indexOf(scope);
    };
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...PERMISSIONS.map((p) => p.key)), { nil: undefined }),
        fc.option(fc.constantFrom<Scope>(...SCOPES), { nil: undefined }),
        fc.option(fc.constantFrom(...FEATURES), { nil: undefined }),
        permissionSetArb,
        fc.subarray([...FEATURES]),
        (perm, scope, feature, set, features) => {
          const req = {
            ...(perm ? { permission: perm } : {}),
            ...(scope ? { scope } : {}),
            ...(feature ? { feature } : {}),
          };
          expect(decide(req, { permissions: set, features }).allowed).toBe(
            reference(perm, scope, feature, set, features),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('conversation scope as data', () => {
  const reach = { memberId: 'm1', inboxIds: new Set(['inbox_team', 'inbox_direct']) };
  it('finds the narrowest scope that reaches a conversation', () => {
    expect(scopeNeeded({ inboxId: 'inbox_other', assigneeId: 'm1' }, reach)).toBe('assigned');
    expect(scopeNeeded({ inboxId: 'inbox_team', assigneeId: null }, reach)).toBe('groups');
    expect(scopeNeeded({ inboxId: 'inbox_team', assigneeId: 'm2' }, reach)).toBe('groups');
    expect(scopeNeeded({ inboxId: 'inbox_other', assigneeId: 'm2' }, reach)).toBe('all');
  });

  it('lets an assigned-only role work its own conversations and nothing else', () => {
    const subject = { permissions: { 'messages.send': 'assigned' } satisfies PermissionSet, features: [] };
    const mine = scopeNeeded({ inboxId: 'inbox_other', assigneeId: 'm1' }, reach);
    const teams = scopeNeeded({ inboxId: 'inbox_team', assigneeId: null }, reach);
    expect(decide({ permission: 'messages.send', scope: mine }, subject).allowed).toBe(true);
    expect(decide({ permission: 'messages.send', scope: teams }, subject).allowed).toBe(false);
  });
});
