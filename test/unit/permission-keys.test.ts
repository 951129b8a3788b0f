import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { Access } from '../../shared/access';
import type { AccessRequest } from '../../shared/access-requests/schema';
import { Forbidden } from '../../shared/errors';
import { needsApproval } from '../../shared/grants/guard';
import { type CreateGrantBody, GrantPermissionsInput, type Member } from '../../shared/members/schema';
import {
  ALWAYS_ALLOWED,
  isPermission,
  PERMISSION_BY_KEY,
  PERMISSION_KEYS,
  PERMISSIONS,
  type Permission,
  type PermissionSet,
} from '../../shared/permissions/catalog';
import type { Requirement } from '../../shared/permissions/policy';
import { CreateRoleBody } from '../../shared/roles/schema';
import type { RouteEntry } from '../../shared/routes';

// `Permission` is the union of the catalog's keys, so a key the catalog does not have fails to compile wherever
// it is written: `npm run typecheck` fails if any probe below stops being refused (the type loosened to `string`).
// @ts-expect-error not a catalog permission
const _typo: Permission = 'roles.manag';
const _route = {
  id: 'probe',
  method: 'GET',
  path: '/v1/workspaces/{ws}/probe',
  fn: 'docs',
  // @ts-expect-error a route requiring a permission that exists nowhere
  access: { kind: 'member', permission: 'roles.manag' },
  summary: 'Probe',
} satisfies RouteEntry;
// @ts-expect-error a role (built-in, template or custom) listing one
const _set: PermissionSet = { 'roles.manag': true };
// @ts-expect-error the policy asked about one
const _requirement: Requirement = { permission: 'roles.manag' };
// @ts-expect-error a refusal naming one
const _refusal = new Forbidden('probe', { permission: 'roles.manag' });
// What clients send is keyed by `Permission` once parsed (the schemas check the catalog), and so are stored maps.
type KeyOf<T> = keyof NonNullable<T>;
// @ts-expect-error a custom role's body
const _roleBody: KeyOf<CreateRoleBody['permissions']> = 'roles.manag';
// @ts-expect-error a grant's body
const _grantBody: KeyOf<z.infer<typeof CreateGrantBody>['permissions']> = 'roles.manag';
// @ts-expect-error a stored grant
const _memberGrant: KeyOf<NonNullable<Member['grants']>[number]['permissions']> = 'roles.manag';
// @ts-expect-error an access request
const _request: KeyOf<AccessRequest['permissions']> = 'roles.manag';
// What every member may do is not a permission: the two lists never share a key.
const _disjoint: [Extract<(typeof ALWAYS_ALLOWED)[number], Permission>] extends [never] ? true : false = true;

describe('permission keys', () => {
  it('are unique, and looked up by key', () => {
    expect(new Set(PERMISSION_KEYS).size).toBe(PERMISSIONS.length);
    for (const key of PERMISSION_KEYS) expect(PERMISSION_BY_KEY.get(key)?.key).toBe(key);
    for (const key of ALWAYS_ALLOWED) expect(isPermission(key), key).toBe(false);
    for (const key of ['roles.manag', 'constructor', '__proto__', 'toString'])
      expect(isPermission(key), key).toBe(false);
  });

  it('are checked against the catalog where clients send them', () => {
    const role = CreateRoleBody.safeParse({ name: 'R', permissions: { 'roles.manag': true, 'roles.manage': 'all' } });
    expect(role.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['permissions.roles.manag', 'Unknown permission "roles.manag"'],
      ['permissions.roles.manage', '"roles.manage" has no scope: use true or false'],
    ]);
    expect(GrantPermissionsInput.safeParse({}).error?.issues.map((i) => i.message)).toEqual([
      'Name at least one permission',
    ]);
    expect(GrantPermissionsInput.safeParse({ constructor: true }).error?.issues.map((i) => i.message)).toEqual([
      'Unknown permission "constructor"',
    ]);
    expect(GrantPermissionsInput.parse({ 'messages.view': 'groups', 'roles.manage': true })).toEqual({
      'messages.view': 'groups',
      'roles.manage': true,
    });
  });

  it('asks approval for a listed role or catalog permission only (requireApprovalFor)', () => {
    const by = (requireApprovalFor: string[]) =>
      ({
        roleId: 'manager',
        companyAdmin: false,
        workspace: { settings: { agentsCanManageAttributes: false, contactsVisibility: 'team', requireApprovalFor } },
      }) as unknown as Access;
    // Names no catalog permission: before, `set['constructor']` (Object.prototype's) made every grant a request.
    const odd = by(['constructor', 'toString', '__proto__', 'roles.manag']);
    expect(needsApproval(odd, { 'tags.apply': true }, 'agent')).toBe(false);
    expect(needsApproval(by(['tags.apply']), { 'tags.apply': true })).toBe(true);
    expect(needsApproval(by(['agent']), {}, 'agent')).toBe(true);
  });
});
