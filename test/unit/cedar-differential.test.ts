// Differential test: the policy module and an independent Cedar encoding of the same roles decide
// thousands of random requests identically.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, type PermissionSet, SCOPES, type Scope } from '../../shared/permissions/catalog';
import { FEATURES } from '../../shared/permissions/plans';
import { decide } from '../../shared/permissions/policy';
import { BUILTIN_ROLE_IDS, builtinPermissions } from '../../shared/permissions/roles';
import { TEMPLATES } from '../../shared/permissions/templates';
import { cedarModel } from '../fixtures/cedar-model';

const roles: Record<string, PermissionSet> = {};
for (const id of BUILTIN_ROLE_IDS) roles[id] = builtinPermissions(id, { agentsCanManageAttributes: false });
roles.agent_attrs = builtinPermissions('agent', { agentsCanManageAttributes: true });
for (const t of TEMPLATES) roles[t.id] = t.permissions;
roles.custom_groups = {
  'messages.view': 'groups',
  'messages.send': 'assigned',
  'contacts.update': true,
  'roles.manage': true,
};
roles.custom_analyst = {
  'analytics.view': true,
  'reports.manage': true,
  'sequences.access': true,
  'messages.view': 'all',
};

const model = cedarModel(roles);

describe('policy module vs Cedar', () => {
  it('agrees on 5,000 random decisions over built-in, template and custom roles', () => {
    let allowed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(roles)),
        fc.constantFrom(...PERMISSIONS.map((p) => p.key)),
        fc.option(fc.constantFrom<Scope>(...SCOPES), { nil: undefined }),
        fc.subarray([...FEATURES]),
        fc.option(fc.constantFrom(...FEATURES), { nil: undefined }),
        (roleId, permission, scope, features, routeFeature) => {
          const ours = decide(
            { permission, ...(scope ? { scope } : {}), ...(routeFeature ? { feature: routeFeature } : {}) },
            { permissions: roles[roleId]!, features },
          ).allowed;
          const theirs = model.stateful(roleId, permission, scope, features, routeFeature);
          expect(ours).toBe(theirs);
          if (ours) allowed++;
        },
      ),
      { numRuns: 5000 },
    );
    // Both answers occur: the comparison is not between two "deny everything" models.
    expect(allowed).toBeGreaterThan(500);
  });

  it('agrees with the stateless Cedar call too', () => {
    expect(model.decide('agent', 'messages.send', 'all', [])).toBe(true);
    expect(model.decide('admin', 'messages.send', 'all', [])).toBe(false);
    expect(model.decide('owner', 'analytics.view', undefined, [])).toBe(false);
    expect(model.decide('owner', 'analytics.view', undefined, ['analytics'])).toBe(true);
  });
});
