// Names compared the way people read them (in the spirit of Unicode TR39's skeletons): two names that
// render alike get the same key, whatever script, case, width or invisible characters they were typed with.
//
// - `nameKey`: the uniqueness key of role and team names. NFKC (folds fullwidth, mathematical
//   alphanumerics, ligatures, compatibility spaces), lowercase, NFD; blank-looking characters become one
//   space (trimmed, collapsed), default-ignorable and format characters are dropped, and each look-alike
//   of a Latin letter is replaced by that letter. Visible accents stay: `Résumé` and `Resume` are two
//   names, as they are in TR39; ASCII names keep the key they always had (`Sales Team` -> `sales team`).
// - `imitates`: whether a name reads as one of a few protected names. Stricter: also drops every
//   combining mark, tries the look-alikes of the name as typed (an uppercase Greek Eta reads as H, its
//   lowercase as n) and folds ASCII look-alikes (`rn` m, `vv` w, `cl` d, `0` o, `1`/`l`/`|` i).

/**
 * Latin letters and the characters that look like them, from Unicode's confusables.txt (UTS #39), kept to
 * single characters that NFKC and NFD leave alone (those are folded before the lookup), plus the small
 * capitals. A target with a combining mark keeps it (`ł` reads as l with a stroke). An uppercase source
 * that TR39 maps to `l` (Greek Iota, Cyrillic I) maps to `i` here, since keys are lowercase.
 */
const LOOKALIKES: Record<string, string> = {
  a: 'ɑΑαАаᎪᗅᴀ⍺ꓮꭺ𐊠𖽀',
  'a\u0332': '⍶',
  b: 'ƄʙΒВЬвᏏᏴᏼᖯᗷꓐꞴ𐊂𐊡𐌁',
  'b\u0304': 'ƂƃБ',
  'b\u0314': 'ɓ',
  'b\u0335': 'ƀѢѣҌҍ',
  c: 'СсᏟᴄⲤⲥꓚꮯ𐊢𐌂𐐕𐐽𐔜𑣩𑣲🝌',
  'c\u0326': 'Ҫҫ',
  'c\u0338': '¢ȼ',
  'c\u20eb': '₡',
  d: 'ԁᎠᏧᑯᗞᗪᴅꓒꓓꭰ',
  'd\u0304': 'ƌ',
  'd\u0314': 'ɗ',
  'd\u0328': 'ɖ',
  'd\u0335': 'ÐĐđƉ',
  'd\u0335\u0331': '₫',
  e: 'ΕЕеҽᎬᴇ℮⋿ⴹꓰꬲꭼ𐊆𑢦𑢮',
  'e\u0328': 'ҿ',
  'e\u0338': 'Ɇɇ',
  f: 'ϜքᖴẝꓝꜰꞘꞙꬵ𐊇𐊥𐔥𑢢𑣂𝈓',
  'f\u0326': 'Ƒƒ',
  'f\u0334': 'ᵮ',
  g: 'ƍɡɢԌԍցᏀᏳᏻᶃꓖꮐ',
  'g\u0314': 'ɠ',
  'g\u0335': 'Ǥǥ',
  h: 'ʜΗНнһհᎻᏂᕼⲎꓧꮋ𐋏',
  'h\u0314': 'ɦᏲꚕ',
  'h\u0326': 'ӇӉ',
  'h\u0329': 'ҢⱧ',
  'h\u0335': 'Ħħћ',
  i: 'ıƖɩɪΙιІіӀӏᎥ⍳Ⲓꙇꭵ𑣃',
  'i\u0332': '⍸',
  'i\u0335': 'ɨᵻᵼ',
  j: 'ͿϳЈјᎫᒍᴊꓙꞲꭻ',
  'j\u0335': 'Ɉɉ',
  k: 'ΚКᏦᛕᴋⲔꓗ𐔘',
  'k\u0314': 'ƙ',
  'k\u0329': 'ҚⱩ',
  'k\u0335': 'Ҟ₭Ꝁ',
  l: 'ǀʟ׀וןا١۱ߊᏞᒪᛁ∣⏽Ⳑⳑⵏꓡꓲꮮ𐊊𐌉𐌠𐐛𐑃𐔦𑢣𑢲𖼖𖼨𝈪𞣇',
  'l\u0328': 'ɭ',
  'l\u0334': 'ɫ',
  'l\u0335': 'Ɨƚ',
  'l\u0338': 'Łł',
  m: 'ΜϺМᎷᗰᛖᴍⲘꓟ𐊰𐌑',
  'm\u0326': 'Ӎ',
  n: 'ɴΝոռⲚꓠ𐔓',
  'n\u030a': '𐆎',
  'n\u0326': 'Ɲ',
  'n\u0328': 'ɳ',
  'n\u0329': 'ƞη',
  'n\u0334': 'ᵰ',
  o: 'ΟοσОоՕօסه٥ھہە۵߀०০੦૦ଠ୦௦౦೦ഠ൦๐໐ဝ၀ჿዐᴏᴑⲞⲟⵔ〇ꓳꬽ𐊒𐊫𐐄𐐬𐓂𐓪𐔖𑓐𑢵𑣈𑣗𑣠',
  'o\u0302': 'ۿ',
  'o\u031b': 'ꭴ',
  'o\u0335': 'ƟɵΘθѲѳӨөᎾᏫ⊖⊝⍬ⴱꝊꝋꮎꮻ𝈚🜔',
  'o\u0338': 'Øøⵁꬾ',
  p: 'ΡρРрᏢᑭᴘᴩ⍴Ⲣⲣꓑꮲ𐊕',
  'p\u0314': 'ƥ',
  'p\u0335': 'ᵽ',
  q: 'ԛգզⵕꞯ',
  'q\u0314': 'ʠ',
  r: 'ƦʀгᎡᏒᖇᴦⲅꓣꭇꭈꭱꮁꮢ𐒴𖼵𝈖',
  'r\u0328': 'ɽ',
  'r\u0329': 'ɼ',
  'r\u0334': 'ᵲ',
  'r\u0335': 'ɍғ',
  s: 'ƽЅѕՏᏕᏚꓢꜱꮪ𐊖𐐠𐑈𑣁𖼺',
  's\u0328': 'ʂ',
  's\u0334': 'ᵴ',
  t: 'ΤτТтᎢᴛ⊤⟙Ⲧꓔꭲ𐊗𐊱𐌕𑢼𖼊🝨',
  't\u0308': '⍡',
  't\u0314': 'ƭ',
  't\u0328': 'Ʈ',
  't\u0329': 'Ҭ',
  't\u0334': 'ᵵ',
  't\u0335': 'Ŧŧ',
  't\u0338': 'Ⱦ',
  't\u20eb': '₮',
  u: 'ʋυՍսሀᑌᴜ∪⋃ꓴꞟꭎꭒ𐓎𐓶𑢸𑣘𖽂',
  'u\u0335': 'ɄᏌᵾꮜ',
  v: 'νѴѵט٧۷Ꮩᐯᴠ∨⋁ⴸꓦꛟꮩ𐔝𑜆𑢠𑣀𖼈𝈍',
  'v\u0335': '𐆗',
  'v\u1de4': '🜈',
  w: 'ɯѡԜԝաᎳᏔᴡꓪꮃ𑜊𑜎𑜏𑣦𑣯',
  'w\u0307': '𑓅',
  'w\u0326': 'ꝡ',
  'w\u0335': '₩',
  x: '×ΧХхᕁᕽ᙭᙮ᚷ╳⤫⤬⨯ⲬⵝꓫꞳ𐊐𐊴𐌗𐌢𐔧𑣬',
  'x\u0307': '⨰',
  'x\u0329': 'Ҳ',
  'x\u0335': '𐆖',
  y: 'ɣʏΥγУуҮүყᎩᎽᶌỿⲨꓬꭚ𐊲𑢤𑣜𖽃',
  'y\u0314': 'ƴ',
  'y\u0335': '¥ɎɏҰұ',
  z: 'ΖᏃᴢꓜꮓ𐋵𑢩𑣄𑣥',
  'z\u0326': 'Ȥȥ',
  'z\u0328': 'ʐ',
  'z\u0334': 'ᵶ',
  'z\u0335': 'Ƶƶ',
};

const TABLE: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [latin, sources] of Object.entries(LOOKALIKES)) for (const ch of sources) map.set(ch, latin);
  // Keys lowercase before the lookup: a lowercase letter with no look-alike of its own reads as its
  // capital does in small print (Cyrillic `в` as B, `м` as M).
  for (const [ch, latin] of [...map]) {
    const lower = ch.toLowerCase();
    if (lower !== ch && !map.has(lower)) map.set(lower, latin);
  }
  return map;
})();

// Characters that show as blank space: white space, braille blank, Hangul fillers.
const BLANK = /[\p{White_Space}\u2800\u115F\u1160\u3164\uFFA0]+/gu;
// Characters that show as nothing: default-ignorable (zero-width, joiners, variation selectors, combining
// grapheme joiner, tags), format and control characters.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/gu;
const MARK = /\p{M}/gu;

function foldLookalikes(s: string): string {
  let out = '';
  for (const ch of s) out += TABLE.get(ch) ?? ch;
  return out;
}

/** NFKC, then NFD with blanks as single spaces and invisible characters gone. */
function visible(s: string, lower: boolean): string {
  const nfkc = s.normalize('NFKC');
  return (lower ? nfkc.toLowerCase() : nfkc).normalize('NFD').replace(BLANK, ' ').replace(INVISIBLE, '');
}

const tidy = (s: string) => s.replace(/ +/g, ' ').trim().normalize('NFC');

/** The key two names share when they read alike (uniqueness of role and team names). */
export function nameKey(name: string): string {
  return tidy(foldLookalikes(visible(name, true)));
}

/** ASCII look-alikes, applied only when comparing against protected names (never to stored keys). */
const asciiFold = (s: string) =>
  s.replace(/cl/g, 'd').replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1l|]/g, 'i');

/** The forms a name may be read as, for comparing with protected names. */
function readings(name: string): string[] {
  const plain = (s: string) => asciiFold(tidy(s.normalize('NFD').replace(MARK, '')));
  return [plain(nameKey(name)), plain(foldLookalikes(visible(name, false)).toLowerCase())];
}

/** Whether `name` reads as one of `protectedNames` (compared case-insensitively, look-alikes folded). */
export function imitates(name: string, protectedNames: readonly string[]): boolean {
  const targets = new Set(protectedNames.flatMap(readings));
  return readings(name).some((r) => targets.has(r));
}
