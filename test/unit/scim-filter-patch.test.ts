import { describe, expect, it } from 'vitest';
import { compile, matches, parseFilter } from '../../shared/scim/filter';
import { applyUserPatch, groupPatchPlan, parsePatch, type UserDoc } from '../../shared/scim/patch';

const invalidFilter = (f: string) => {
  try {
    parseFilter('User', f);
  } catch (err) {
    return (err as { scimType?: string; status?: number }).scimType;
  }
  return 'parsed';
};

describe('SCIM filter', () => {
  it('parses the supported subset, case-insensitively, and compiles to one key lookup', () => {
    expect(parseFilter('User', 'UserName EQ "Ada@x.test"')).toEqual([
      { attr: 'userName', op: 'eq', value: 'Ada@x.test' },
    ]);
    expect(
      parseFilter('User', 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ad" and externalId pr'),
    ).toEqual([
      { attr: 'userName', op: 'sw', value: 'ad' },
      { attr: 'externalId', op: 'pr' },
    ]);
    expect(parseFilter('User', 'emails[type eq "work"].value eq "a@b.c"')[0]?.attr).toBe('workEmail');
    expect(compile(parseFilter('User', 'displayName co "x" and externalId eq "e1"'))).toEqual({
      attr: 'externalId',
      mode: 'exact',
      value: 'e1',
    });
    expect(compile(parseFilter('Group', 'displayName co "x"'))).toEqual({
      attr: 'displayName',
      mode: 'all',
      value: '',
    });
  });

  it('refuses everything else with invalidFilter', () => {
    for (const f of [
      'title eq "x"',
      'userName gt "a"',
      'userName eq "a" or userName eq "b"',
      '(userName eq "a")',
      'not (userName eq "a")',
      'userName eq a',
      'userName eq "a" and',
      'emails[type eq "home"].value eq "x"',
      'userName eq "unterminated',
      '',
    ]) {
      expect(invalidFilter(f), f).toBe('invalidFilter');
    }
  });

  it('matches case-insensitively except externalId and id', () => {
    const attrs = { userName: ['Ada@X.test'], externalId: ['E1'], displayName: ['Ada Lovelace'] };
    expect(matches(parseFilter('User', 'userName eq "ada@x.TEST"'), attrs)).toBe(true);
    expect(matches(parseFilter('User', 'externalId eq "e1"'), attrs)).toBe(false);
    expect(matches(parseFilter('User', 'displayName co "LOVE" and userName sw "ada"'), attrs)).toBe(true);
  });
});

const ada: UserDoc = {
  userName: 'ada@x.test',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@x.test', type: 'work', primary: true }],
};

describe('SCIM PATCH', () => {
  it("takes Entra's capitalised ops, string booleans, dotted and URN-qualified keys", () => {
    const ops = parsePatch({
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName': 'Unua',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
          },
        },
        { op: 'Add', path: 'externalId', value: 'x1' },
      ],
    });
    expect(applyUserPatch(ada, ops)).toMatchObject({
      active: false,
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua' },
      externalId: 'x1',
    });
    expect(() => parsePatch({ Operations: [{ op: 'move', path: 'active' }] })).toThrow();
    expect(() =>
      applyUserPatch(ada, parsePatch({ Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] })),
    ).toThrow();
  });

  it('plans group member changes per member: value lists, filters, replace []', () => {
    expect(
      groupPatchPlan(
        parsePatch({
          Operations: [
            { op: 'Remove', path: 'members', value: [{ value: 'm1' }, { value: 'm2' }] },
            { op: 'remove', path: 'members[value eq "m3"]' },
            { op: 'add', path: 'members', value: [{ $ref: null, value: 'm4' }] },
            { op: 'replace', path: 'members', value: [] },
            { op: 'remove', path: 'members' },
          ],
        }),
      ).members,
    ).toEqual([
      { kind: 'remove', ids: ['m1', 'm2'] },
      { kind: 'remove', ids: ['m3'] },
      { kind: 'add', ids: ['m4'] },
      { kind: 'set', ids: [] },
      { kind: 'clear' },
    ]);
  });
});
