// The formula-safe CSV writer shared by exports: no cell starts a spreadsheet formula, and quoting keeps
// commas, quotes and line breaks inside their cell.
import { describe, expect, it } from 'vitest';
import { csvCell, neutralise, toCsv } from '../../shared/text/csv';
import { parseCsv } from '../fixtures/csv';

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];

describe('csvCell', () => {
  it.each(DANGEROUS.map((c) => [c]))('neutralises a text cell starting with %j', (c) => {
    const value = `${c}HYPERLINK("http://evil.test","x")`;
    expect(neutralise(value)).toBe(`'${value}`);
    expect(csvCell(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
    expect(parseCsv(`${csvCell(value)}\n`)).toEqual([[`'${value}`]]);
  });

  it.each(DANGEROUS.map((c) => [c]))('neutralises JSON and other values whose text starts with %j', (c) => {
    expect(csvCell(`${c}1+1`).startsWith(`"'`)).toBe(true);
    expect(csvCell(`${c}`)).toBe(`"'${c}"`);
  });

  it('leaves harmless text alone, including dangerous characters later in the cell', () => {
    for (const s of ['hello', 'a=b', "'=1+1", ' =1+1', 'x\t=1', 'mem_01H', '2026-01-01T00:00:00Z', ''])
      expect(parseCsv(`${csvCell(s)}\n`)).toEqual([[s]]);
  });

  it('quotes every cell so commas, quotes and line breaks stay inside it', () => {
    const value = 'Acme, "Support"\nDesk\r\nline 3';
    expect(csvCell(value)).toBe('"Acme, ""Support""\nDesk\r\nline 3"');
    expect(parseCsv(`${csvCell(value)},${csvCell('next')}\n`)).toEqual([[value, 'next']]);
  });

  it('writes finite numbers as they are, empty for null and undefined, JSON for objects', () => {
    expect(csvCell(-5)).toBe('"-5"');
    expect(csvCell(1.5)).toBe('"1.5"');
    expect(csvCell(-12n)).toBe('"-12"');
    expect(csvCell(-Infinity)).toBe(`"'-Infinity"`);
    expect(csvCell(true)).toBe('"true"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell({ name: 'A, "B"' })).toBe('"{""name"":""A, \\""B\\""""}"');
    expect(csvCell(['=1'])).toBe('"[""=1""]"');
  });
});

describe('toCsv', () => {
  it('writes a header of plain names, then one quoted, formula-safe line per row', () => {
    const csv = toCsv(
      ['id', 'name', 'odd, column'],
      [
        ['1', '=cmd|calc', { a: 1 }],
        ['2', '\tTAB', null],
        ['3', '\rCR', 'a\nb'],
      ],
    );
    expect(csv.split('\n')[0]).toBe('id,name,"odd, column"');
    expect(csv.endsWith('\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['id', 'name', 'odd, column'],
      ['1', "'=cmd|calc", '{"a":1}'],
      ['2', "'\tTAB", ''],
      ['3', "'\rCR", 'a\nb'],
    ]);
  });

  it('neutralises a column name that could start a formula', () => {
    expect(toCsv(['=x'], [])).toBe(`"'=x"\n`);
  });
});
