// CSV for exports that people open in spreadsheets (the audit log; contacts and access reviews to come):
// RFC 4180 quoting, and cells that a spreadsheet would run as a formula are neutralised (OWASP "CSV
// injection"): a text cell starting with = + - @, TAB or CR gets a leading `'`, which spreadsheets show
// as text and do not evaluate. Every data cell is quoted, so commas, quotes and line breaks stay inside it.

/** What a spreadsheet may take as the start of a formula (some skip a leading TAB or CR before looking). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of a value: '' for null/undefined, strings as they are, numbers and booleans printed, anything else as JSON. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A text cell that cannot start a formula: `'` before a dangerous first character. */
export function neutralise(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/**
 * One cell, quoted, with quotes doubled. Text (and JSON) is neutralised; a number is written as it is
 * (`-5` is a number, not a formula, and cannot carry one; `-Infinity` is text).
 */
export function csvCell(value: unknown): string {
  const number = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint';
  const s = number ? String(value) : neutralise(text(value));
  return `"${s.replace(/"/g, '""')}"`;
}

/** A column name: written bare when it is a plain word (`targetId`), as a cell otherwise. */
function headerCell(name: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_ .]*$/.test(name) ? name : csvCell(name);
}

/** A whole CSV document: the header line, then one line per row, each line ending in `\n`. */
export function toCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [columns.map(headerCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
