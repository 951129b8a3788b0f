import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, type PermissionSet, SCOPES, type Scope } from '../../shared/permissions/catalog';
import { grantExcess } from '../../shared/permissions/policy';
import { BUILTIN_ROLE_IDS, type BuiltinRoleId, builtinPermissions } from '../../shared/permissions/roles';
import { TEMPLATES } from '../../shared/permissions/templates';
import { buildPermissionSet } from '../../shared/roles/service';

const roles = (setting: boolean) =>
  Object.fromEntries(
    BUILTIN_ROLE_IDS.map((id) => [id, builtinPermissions(id, { agentsCanManageAttributes: setting })]),
  ) as Record<BuiltinRoleId, PermissionSet>;

// PRODUCT.md §5: who may grant (invite with / assign) which built-in role. Ownership is never granted.
const MAY_GRANT: Record<BuiltinRoleId, BuiltinRoleId[]> = {
  owner: ['admin', 'manager', 'agent', 'member'],
  admin: ['admin', 'manager', 'agent', 'member'],
  manager: ['manager', 'agent', 'member'],
  agent: ['agent', 'member'],
  member: ['member'],
};

describe('no-escalation on the built-in roles', () => {
  for (const setting of [false, true]) {
    const r = roles(setting);
    for (const actor of BUILTIN_ROLE_IDS) {
      for (const target of BUILTIN_ROLE_IDS.filter((t) => t !== 'owner')) {
        const allowed = MAY_GRANT[actor].includes(target);
        it(`${actor} ${allowed ? 'may' : 'may not'} grant ${target} (agentsCanManageAttributes=${setting})`, () => {
          const excess = grantExcess({ roleId: actor, permissions: r[actor] }, r[target]);
          expect(excess.length === 0).toBe(allowed);
        });
      }
    }
  }

  it('names the permissions that exceed, with the scopes', () => {
    const excess = grantExcess(
      { roleId: 'custom', permissions: { 'messages.view': 'groups', 'teammates.invite': true } },
      { 'messages.view': 'all', 'billing.manage': true, 'teammates.invite': true },
    );
    expect(excess).toEqual([
      { permission: 'billing.manage', requested: true, held: null },
      { permission: 'messages.view', requested: 'all', held: 'groups' },
    ]);
  });

  it('lets a holder of teammates.manage grant any work permission at any scope, but no administrative one it lacks', () => {
    const actor = { roleId: 'x', permissions: { 'teammates.manage': true } satisfies PermissionSet };
    expect(grantExcess(actor, { 'messages.send': 'all', 'contacts.block': true, 'optOuts.view': true })).toEqual([]);
    expect(grantExcess(actor, { 'analytics.view': true }).map((e) => e.permission)).toEqual(['analytics.view']);
  });

  it('lets the Owner and company admins grant anything', () => {
    const everything = roles(false).owner;
    expect(grantExcess({ roleId: 'owner', permissions: {} }, everything)).toEqual([]);
    expect(grantExcess({ roleId: 'x', permissions: {}, companyAdmin: true }, everything)).toEqual([]);
  });
});

describe('built-in hierarchy (PRODUCT.md §4)', () => {
  const covers = (a: PermissionSet, b: PermissionSet) =>
    Object.entries(b).every(([k, v]) => {
      const held = a[k as keyof PermissionSet];
      if (held === undefined) return false;
      if (v === true || held === true) return true;
      return SCOPES.indexOf(held) >= SCOPES.indexOf(v as Scope);
    });
  it.each([false, true])(
    'Owner ⊇ every role; Manager ⊇ Agent ⊇ Member; Admin ⊇ Manager’s administration (setting %s)',
    (s) => {
      const r = roles(s);
      for (const id of BUILTIN_ROLE_IDS) expect(covers(r.owner, r[id])).toBe(true);
      expect(covers(r.manager, r.agent)).toBe(true);
      expect(covers(r.agent, r.member)).toBe(true);
      const managerAdmin = Object.fromEntries(
        Object.entries(r.manager).filter(([k]) => PERMISSIONS.find((p) => p.key === k)?.kind === 'administrative'),
      );
      expect(covers(r.admin, managerAdmin)).toBe(true);
    },
  );
});

describe('grants never exceed the grantor (property)', () => {
  const setArb = fc
    .subarray([...PERMISSIONS])
    .chain((defs) =>
      fc.tuple(
        ...defs.map((d) =>
          (d.scoped ? fc.constantFrom<Scope>(...SCOPES) : fc.constant(true as const)).map((g) => [d.key, g] as const),
        ),
      ),
    )
    .map((pairs) => Object.fromEntries(pairs) as PermissionSet);

  it('whatever is accepted is held by the actor (administrative) or within its scope (work), unless it manages teammates', () => {
    fc.assert(
      fc.property(setArb, setArb, (actorSet, grant) => {
        const excess = grantExcess({ roleId: 'custom', permissions: actorSet }, grant);
        const refused = new Set(excess.map((e) => e.permission));
        for (const def of PERMISSIONS) {
          const requested = grant[def.key];
          if (requested === undefined) continue;
          const held = actorSet[def.key];
          const manages = actorSet['teammates.manage'] !== undefined;
          const ok =
            (def.kind === 'work' && manages) ||
            (held !== undefined &&
              (!def.scoped ||
                SCOPES.indexOf(held as Scope) >= SCOPES.indexOf(requested === true ? 'all' : (requested as Scope))));
          expect(refused.has(def.key)).toBe(!ok);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('templates and role building', () => {
  it('keeps templates inside the catalog with valid scopes', () => {
    for (const t of TEMPLATES) {
      for (const [k, v] of Object.entries(t.permissions)) {
        const def = PERMISSIONS.find((p) => p.key === k);
        expect(def, `${t.id}: ${k}`).toBeDefined();
        expect(def?.scoped ? SCOPES.includes(v as Scope) : v === true).toBe(true);
      }
    }
  });

  it('applies clone base, then sections, then single permissions (false removes)', () => {
    const base: PermissionSet = { 'analytics.view': true, 'messages.view': 'groups', 'contacts.update': true };
    const out = buildPermissionSet(
      base,
      { analytics: 'none', presence: 'full' },
      {
        'messages.view': 'assigned',
        'contacts.update': false,
        'messages.send': true,
      },
    );
    expect(out).toEqual({
      'messages.view': 'assigned',
      'messages.send': 'all',
      'team.status.manage': true,
      'widget.visibility.manage': true,
    });
  });
});
