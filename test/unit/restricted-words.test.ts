// Restricted words are matched on the message as people read it: the skeleton of role and team names
// (shared/text/skeleton.ts) folds both the words and the message, so invisible characters inside a word and
// look-alike letters of other scripts do not let it through; whole words still (no match inside a longer word).
import { describe, expect, it } from 'vitest';
import { findRestrictedWord, foldWord } from '../../shared/contacts/list-service';
import { nameKey } from '../../shared/text/skeleton';

const HIDDEN: [string, string][] = [
  ['\u200B', 'zero-width space'],
  ['\u2060', 'word joiner'],
  ['\u00AD', 'soft hyphen'],
  ['\u200D', 'zero-width joiner'],
  ['\uFEFF', 'byte order mark'],
  ['\u200C', 'zero-width non-joiner'],
];

describe('restricted words: the message folded like role names', () => {
  it.each(HIDDEN)('a %j (%s) inside the word does not hide it', (ch) => {
    expect(findRestrictedWord(`Buy bit${ch}coin today`, ['bitcoin'])).toBe('bitcoin');
    expect(findRestrictedWord(`This is a s${ch}c${ch}am.`, ['scam'])).toBe('scam');
    expect(findRestrictedWord(`free${ch} money`, ['free money'])).toBe('free money');
  });

  it('Cyrillic and Greek look-alikes read as the Latin word', () => {
    expect(findRestrictedWord('Buy bitc\u043Ein now', ['bitcoin'])).toBe('bitcoin'); // Cyrillic о
    expect(findRestrictedWord('\u0455\u0441\u0430m alert', ['scam'])).toBe('scam'); // ѕса
    expect(findRestrictedWord('\u0405\u0421\u0410\u041C!', ['scam'])).toBe('scam'); // ЅСАМ
    expect(findRestrictedWord('\u03BF\u03C1\u03C4 out', ['opt'])).toBe('opt'); // Greek ο ρ τ
    // A word listed with look-alikes is found in plain Latin text too.
    expect(findRestrictedWord('a scam', ['\u0455\u0441\u0430m'])).toBe('\u0455\u0441\u0430m');
  });

  it('still whole words only, and nothing else is refused', () => {
    expect(findRestrictedWord('scam\u200Bpi for dinner', ['scam'])).toBeUndefined();
    expect(findRestrictedWord('\u0455\u0441\u0430mpi', ['scam'])).toBeUndefined();
    expect(findRestrictedWord('freemoney', ['free money'])).toBeUndefined();
    expect(findRestrictedWord('Résumé attached', ['resume'])).toBeUndefined();
    expect(findRestrictedWord('Hello\nthere', ['scam'])).toBeUndefined();
    expect(findRestrictedWord('line one\n\nfree\tmoney', ['free money'])).toBe('free money');
  });

  it('is the same skeleton as role and team names', () => {
    for (const s of ['bit\u200Bc\u043Ein', '\u0455\u0441\u0430m', 'Free\u00A0 Money', '\uFF53\uFF43\uFF41\uFF4D']) {
      expect(foldWord(s)).toBe(nameKey(s));
    }
  });
});
