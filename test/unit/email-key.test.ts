// Emails are compared by a key that lowercases ASCII letters only: no non-ASCII letter ever folds into an
// ASCII one (the Kelvin sign is not `k`), and invitations take ASCII addresses only.
import { describe, expect, it } from 'vitest';
import { CreateInvitationBody, Email } from '../../shared/invitations/schema';
import { emailKeyOf } from '../../shared/table/members/items';

describe('emailKeyOf', () => {
  it('keeps the key of ordinary addresses: case and surrounding spaces do not matter', () => {
    expect(emailKeyOf('Bob@Example.COM')).toBe('bob@example.com');
    expect(emailKeyOf('  bob@example.com\t')).toBe(emailKeyOf('BOB@EXAMPLE.COM'));
    expect(emailKeyOf("O'Neil+Sales_1@Mail-Host.Example.ORG")).toBe("o'neil+sales_1@mail-host.example.org");
  });

  it.each([
    ['\u212Aate@x.test', 'kate@x.test', 'Kelvin sign'],
    ['\u212Bsa@x.test', '\u00E5sa@x.test', 'Angstrom sign'],
    ['ro\u017Fe@x.test', 'rose@x.test', 'long s'],
    ['\u0130da@x.test', 'ida@x.test', 'I with dot above'],
    ['kate@x.te\u017Ft', 'kate@x.test', 'long s in the domain'],
    ['kate@x.test\u00A0', 'kate@x.test', 'no-break space'],
    ['\uFF4Bate@x.test', 'kate@x.test', 'fullwidth k'],
  ])('never makes %j the same address as %j (%s)', (lookalike, ascii) => {
    expect(emailKeyOf(lookalike)).not.toBe(emailKeyOf(ascii));
  });

  it('leaves every non-ASCII character as it is (so none can become an ASCII one)', () => {
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCharCode(cp);
      expect(emailKeyOf(`A${ch}b@X.test`), `U+${cp.toString(16)}`).toBe(`a${ch}b@x.test`);
    }
  });
});

describe('invitation emails', () => {
  it.each(['kate@x.test', 'Bob@Example.COM', 'bob@xn--bcher-kva.de'])('accepts the ASCII address %j', (email) => {
    expect(Email.safeParse(email).success).toBe(true);
  });

  it.each(['\u212Aate@x.test', 'k\u00E5te@x.test', 'bob@b\u00FCcher.de', '\u0430dmin@x.test'])(
    'refuses the non-ASCII address %j (SES sends to ASCII addresses only)',
    (email) => {
      const parsed = CreateInvitationBody.safeParse({ email, roleId: 'member' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['email']);
    },
  );
});
