// Role and team names that read alike are the same name; names that read as a built-in role are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imitatesBuiltinName, normaliseRoleName } from '../../shared/permissions/roles';
import { imitates, nameKey } from '../../shared/text/skeleton';

/** Names that imitate a built-in role with look-alike, blank or invisible characters. */
const IMITATIONS: [string, string][] = [
  ['\u0410dmin', 'Cyrillic capital A'],
  ['Admin\u3164', 'Hangul filler'],
  ['Owner\u2800', 'braille blank'],
  ['\u1D00dmin', 'small capital A'],
  ['\uFF21\uFF44\uFF4D\uFF49\uFF4E', 'fullwidth'],
  ['\u{1D400}\u{1D41D}\u{1D426}\u{1D422}\u{1D427}', 'mathematical bold'],
  ['Adm\u0131n', 'dotless i'],
  ['\u0391DM\u0399N', 'Greek capitals Alpha and Iota'],
  ['admi\u03B7', 'Greek small eta for n'],
  ['M\u0430n\u0430ger', 'Cyrillic small a'],
  ['Administrat\u043Er', 'Cyrillic small o'],
  ['M\u0435mb\u0435r', 'Cyrillic small e'],
  ['\u0410gent', 'Cyrillic A'],
  ['Own\u0435r\u034F', 'combining grapheme joiner'],
  ['Admin\uFE0F', 'variation selector'],
  ['Admin\u115F', 'Hangul choseong filler'],
  ['Admin\u1160', 'Hangul jungseong filler'],
  ['Admin\uFFA0', 'halfwidth Hangul filler'],
  ['\u3164Manager', 'leading Hangul filler'],
  ['Ad\u0308min', 'combining diaeresis'],
  ['A\u0111min', 'd with stroke'],
  ['Company\u3000admin', 'ideographic space'],
  ['Company\u2800\u2800admin', 'braille blanks between words'],
  ['Workspace \u041Ewner', 'Cyrillic capital O'],
  ['Adrnin', 'rn for m'],
  ['0wner', 'zero for O'],
  ['Admln', 'l for i'],
  ['\u13AAgent', 'Cherokee A'],
  ['\uA4EEdmin', 'Lisu A'],
];

describe('imitatesBuiltinName', () => {
  it.each(IMITATIONS)('refuses %j (%s)', (name) => {
    expect(imitatesBuiltinName(name)).toBe(true);
  });

  it.each(['Admin', ' admin ', 'ADMIN', 'Owner', 'Workspace owner', 'company  admin', 'Administrator', 'manager'])(
    'refuses the built-in name %j itself',
    (name) => {
      expect(imitatesBuiltinName(name)).toBe(true);
    },
  );

  it.each([
    'Admin assistant',
    'Team admin',
    'Agent 007',
    'Managers',
    'Member+',
    'Ad min',
    'Night Shift',
    'Support',
    'Billing',
    'Администратор',
    'Διαχειριστής',
    'Résumé writers',
    'Søren',
    '管理员',
  ])('accepts %j: containing or translating a built-in name is not imitating it', (name) => {
    expect(imitatesBuiltinName(name)).toBe(false);
  });
});

describe('normaliseRoleName (the uniqueness key of role and team names)', () => {
  it('gives names that read alike the same key', () => {
    const same: [string, string][] = [
      ['Sales', '\u0405ales'], // Cyrillic capital Dze
      ['Sales', 'sales'],
      ['Sales', '  SALES  '],
      ['Night shift', 'Night\u3000shift'],
      ['Night shift', 'Night \u2800 shift'],
      ['Night shift', 'Nig\u200Bht shift'],
      ['Night shift', '\uFF2E\uFF49\uFF47\uFF48\uFF54 shift'],
      ['Escalations', 'Esc\u0430l\u0430tions'],
      ['Tier 1', 'Tier 1\u3164'],
      ['Support', '\uA731upport'],
      ['Support', '\u0405upp\u043Ert'],
      ['Caf\u00E9', 'Cafe\u0301'],
      ['Вход', 'вход'], // case folds in every script
      ['Ομάδα', 'ΟΜΆΔΑ'],
    ];
    for (const [a, b] of same) expect(normaliseRoleName(b), `${a} / ${b}`).toBe(normaliseRoleName(a));
  });

  it('keeps names that read differently apart', () => {
    const apart: [string, string][] = [
      ['Sales', 'Sale'],
      ['Résumé', 'Resume'],
      ['Tier 1', 'Tier l'],
      ['Night shift', 'Nightshift'],
      ['Вход', 'Выход'],
    ];
    for (const [a, b] of apart) expect(normaliseRoleName(b), `${a} / ${b}`).not.toBe(normaliseRoleName(a));
  });

  it('keeps the key ASCII names always had (stored name locks stay valid)', () => {
    const before = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.\t'), maxLength: 30 }), (name) => {
        expect(nameKey(name)).toBe(before(name));
      }),
    );
  });

  it('is empty for a name made only of blank or invisible characters', () => {
    expect(nameKey('\u3164\u2800\u200B\uFE0F')).toBe('');
  });
});

describe('imitates', () => {
  it('compares with the protected names folded the same way', () => {
    expect(imitates('\u0405upport', ['Support'])).toBe(true);
    expect(imitates('Support team', ['Support'])).toBe(false);
  });
});
