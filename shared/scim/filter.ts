// SCIM filters (RFC 7644 §3.4.2.2), small and strict: `eq`, `co`, `sw` and `pr` on a whitelist of attributes,
// joined by `and`. Each filter compiles to ONE DynamoDB Query on an index item of the workspace partition
// (shared/table/scim/keys.ts): the driving term picks the index and key condition, every term is then checked on what
// that Query found. Anything else (or, not, parentheses, gt, another attribute) is 400 `invalidFilter`, never a
// Scan. Operators and attribute names are case-insensitive; values compare case-insensitively except `id` and
// `externalId` (caseExact in RFC 7643).
import { invalidFilter } from './errors';

export type ScimResourceType = 'User' | 'Group';
export type FilterAttr = 'id' | 'userName' | 'externalId' | 'displayName' | 'workEmail';
export type FilterOp = 'eq' | 'co' | 'sw' | 'pr';
export interface FilterTerm {
  attr: FilterAttr;
  op: FilterOp;
  value?: string;
}
export type Filter = FilterTerm[];

const ATTRS: Record<ScimResourceType, Record<string, FilterAttr>> = {
  User: {
    id: 'id',
    username: 'userName',
    externalid: 'externalId',
    displayname: 'displayName',
    'emails[type eq "work"].value': 'workEmail',
  },
  Group: { id: 'id', externalid: 'externalId', displayname: 'displayName' },
};
const URN = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:user:',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:group:',
};
export const CASE_EXACT: ReadonlySet<FilterAttr> = new Set(['id', 'externalId']);

type Token = { kind: 'word' | 'string'; text: string };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalidFilter('Unterminated string in filter');
      let text: string;
      try {
        text = JSON.parse(input.slice(i, j + 1)) as string;
      } catch {
        throw invalidFilter('Invalid string in filter');
      }
      out.push({ kind: 'string', text });
      i = j + 1;
      continue;
    }
    // An attribute path, possibly with one value filter: emails[type eq "work"].value
    let j = i;
    while (j < input.length && /[A-Za-z0-9_:.$-]/.test(input[j] as string)) j++;
    if (input[j] === '[') {
      const close = input.indexOf(']', j);
      if (close < 0) throw invalidFilter('Unterminated [ in filter');
      j = close + 1;
      while (j < input.length && /[A-Za-z0-9_.]/.test(input[j] as string)) j++;
    }
    if (j === i) throw invalidFilter(`Unexpected "${c}" in filter`);
    out.push({ kind: 'word', text: input.slice(i, j) });
    i = j;
  }
  return out;
}

function attrOf(type: ScimResourceType, path: string): FilterAttr {
  let p = path.toLowerCase();
  if (p.startsWith(URN[type])) p = p.slice(URN[type].length);
  // The value filter's own spacing and quoting, normalized: emails[type eq "work"].value
  p = p.replace(/\[\s*type\s+eq\s+"work"\s*\]/, '[type eq "work"]');
  const attr = ATTRS[type][p];
  if (!attr) throw invalidFilter(`Filtering on "${path}" is not supported`);
  return attr;
}

/** Parses a filter for `type`; throws 400 invalidFilter for anything outside the supported subset. */
export function parseFilter(type: ScimResourceType, input: string): Filter {
  if (input.length > 1000) throw invalidFilter('The filter is too long');
  const tokens = tokenize(input);
  const terms: Filter = [];
  let i = 0;
  for (;;) {
    const path = tokens[i];
    const op = tokens[i + 1];
    if (!path || path.kind !== 'word' || !op || op.kind !== 'word') throw invalidFilter('Expected: attribute op value');
    const attr = attrOf(type, path.text);
    const o = op.text.toLowerCase();
    if (o === 'pr') {
      terms.push({ attr, op: 'pr' });
      i += 2;
    } else if (o === 'eq' || o === 'co' || o === 'sw') {
      const value = tokens[i + 2];
      if (!value || value.kind !== 'string') throw invalidFilter(`"${op.text}" needs a quoted string value`);
      if (o !== 'eq' && attr === 'id') throw invalidFilter('id supports eq only');
      terms.push({ attr, op: o, value: value.text });
      i += 3;
    } else {
      throw invalidFilter(`The operator "${op.text}" is not supported (eq, co, sw, pr, and)`);
    }
    if (i === tokens.length) return terms;
    const join = tokens[i];
    if (join?.kind !== 'word' || join.text.toLowerCase() !== 'and') {
      throw invalidFilter(`Only "and" joins filter terms (got "${join?.text ?? ''}")`);
    }
    i++;
  }
}

/** The Query a filter compiles to: one index (or the resource's own key), exact, by prefix, or the whole index. */
export interface Lookup {
  attr: FilterAttr;
  mode: 'exact' | 'prefix' | 'all';
  value: string;
}

const PREFERENCE: readonly FilterAttr[] = ['id', 'userName', 'externalId', 'workEmail', 'displayName'];
const rank = (t: FilterTerm) => ({ eq: 0, sw: 1, pr: 2, co: 3 })[t.op] * 10 + PREFERENCE.indexOf(t.attr);

/** The driving term of a filter: the most selective one (an `eq` on the most unique attribute first). */
export function compile(filter: Filter): Lookup {
  const best = [...filter].sort((a, b) => rank(a) - rank(b))[0];
  if (!best) throw invalidFilter('Empty filter');
  if (best.op === 'eq') return { attr: best.attr, mode: 'exact', value: best.value ?? '' };
  if (best.op === 'sw') return { attr: best.attr, mode: 'prefix', value: best.value ?? '' };
  return { attr: best.attr, mode: 'all', value: '' };
}

/** The values of a filterable attribute on a resource. */
export type Attributes = Partial<Record<FilterAttr, readonly string[]>>;

/** Case folding of values: ASCII letters only, the same as the index keys (keys.ts `lowerKey`). */
const fold = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Whether a resource's attributes pass every term. */
export function matches(filter: Filter, attrs: Attributes): boolean {
  return filter.every((t) => {
    const values = (attrs[t.attr] ?? []).filter((v) => v !== '');
    if (t.op === 'pr') return values.length > 0;
    const exact = CASE_EXACT.has(t.attr);
    const want = exact ? (t.value ?? '') : fold(t.value ?? '');
    return values.some((raw) => {
      const v = exact ? raw : fold(raw);
      if (t.op === 'eq') return v === want;
      if (t.op === 'sw') return v.startsWith(want);
      return v.includes(want);
    });
  });
}
