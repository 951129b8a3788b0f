// The one reading of time-bound grants every decision uses (shared/permissions/effective.ts): `until` is exclusive
// to the millisecond, a role term falls back to the previous role, extra grants add at the widest scope.
import { describe, expect, it } from 'vitest';
import { effectiveGrants, unionPermissions } from '../../shared/permissions/effective';

const T = Date.parse('2030-01-01T00:00:00.000Z');
const until = new Date(T).toISOString();

describe('effectiveGrants', () => {
  it('honours a grant until the millisecond before `until`, not at it', () => {
    const facts = { roleId: 'agent', grants: [{ id: 'g1', permissions: { 'logs.export': true as const }, until }] };
    expect(effectiveGrants(facts, T - 1).extra).toEqual({ 'logs.export': true });
    expect(effectiveGrants(facts, T - 1).expiresAt).toBe(until);
    expect(effectiveGrants(facts, T).extra).toEqual({});
    expect(effectiveGrants(facts, T).grants).toEqual([]);
  });

  it('a role term decides until `roleUntil`, then the previous role', () => {
    const facts = { roleId: 'admin', roleUntil: until, previousRoleId: 'agent' };
    expect(effectiveGrants(facts, T - 1)).toMatchObject({
      roleId: 'admin',
      roleGrant: { until, previousRoleId: 'agent' },
    });
    expect(effectiveGrants(facts, T)).toMatchObject({ roleId: 'agent' });
    expect(effectiveGrants(facts, T).roleGrant).toBeUndefined();
  });

  it('the nearest end of what is in force is reported', () => {
    const later = new Date(T + 1000).toISOString();
    const facts = {
      roleId: 'admin',
      roleUntil: later,
      previousRoleId: 'agent',
      grants: [{ id: 'g', permissions: {}, until }],
    };
    expect(effectiveGrants(facts, T - 1).expiresAt).toBe(until);
    expect(effectiveGrants(facts, T).expiresAt).toBe(later);
  });
});

describe('unionPermissions', () => {
  it('keeps the wider scope of a scoped permission and adds the rest', () => {
    expect(
      unionPermissions(
        { 'messages.view': 'groups', 'tags.apply': true },
        { 'messages.view': 'all', 'logs.export': true },
      ),
    ).toEqual({ 'messages.view': 'all', 'tags.apply': true, 'logs.export': true });
    expect(unionPermissions({ 'messages.view': 'all' }, { 'messages.view': 'assigned' })).toEqual({
      'messages.view': 'all',
    });
  });
});
