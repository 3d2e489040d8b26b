import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvPlainField, csvTextField, guardFormulaText, unguardFormulaText } from './csv-fields.js';

const TRIGGERS = /^[=+\-@\uff1d\uff0b\uff0d\uff20]/;

/**
 * Every cell that some spreadsheet reading of `line` would produce: split at
 * `sep`, or at line breaks, quotes honoured or not; each cell's text as a
 * spreadsheet would see it, leading spaces and quotes dropped.
 */
function cellStarts(line: string): string[] {
  const cells: string[] = [];
  for (const sep of [',', ';', '\t']) {
    for (const piece of line.split(new RegExp(`[${sep === '\t' ? '\\t' : sep}\\r\\n]`))) cells.push(piece.replace(/^[ "]*/, ''));
    let rows: string[][] = [];
    try {
      rows = parse(line, { delimiter: sep, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch {
      // Not parseable with quotes under this separator: a spreadsheet falls back to something like the plain split above.
    }
    for (const cell of rows.flat()) cells.push(cell.replace(/^[ "]*/, ''));
  }
  return cells;
}

/** Text with formula triggers, separators, quotes and spaces in every position. */
const risky = fc
  .array(fc.oneof(fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', "'", ',', ';', '\t', '\r', '\n', '"', ' ', 'SUM(A1)', 'cmd|', '1'), fc.string({ maxLength: 4 })), { maxLength: 16 })
  .map((parts) => parts.join(''));

describe('CSV formula guard', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-2 hours', "'-2 hours"],
    ['@cmd', "'@cmd"],
    ['＝1+1', "'＝1+1"],
    ['Review; =HYPERLINK("http://evil")', 'Review; \'=HYPERLINK("http://evil")'],
    ['a,-b\t+c\n@d', "a,'-b\t'+c\n'@d"],
    ['  =x', "  '=x"],
    ['"=x"', '"\'=x"'],
    ["'quoted", "''quoted"],
    ['well-formed e-mail a@b.example, 3-4 hours', "well-formed e-mail a@b.example, 3-4 hours"],
    ['Plain text', 'Plain text'],
  ])('%j → %j', (text, guarded) => {
    expect(guardFormulaText(text)).toBe(guarded);
    expect(unguardFormulaText(guarded)).toBe(text);
  });

  it('random text: no reading with , ; or tab (quotes honoured or not) starts a cell with a formula, and the guard undoes exactly', () => {
    fc.assert(
      fc.property(risky, risky, (a, b) => {
        const line = ['b1b2c3d4-0000-4000-8000-000000000000', csvTextField(a), '12.50', csvTextField(b), '-3.75'].join(',');
        for (const cell of cellStarts(line)) {
          // The numeric column "-3.75" is meant as a number; every other cell must not start a formula.
          if (cell.startsWith('-3.75')) continue;
          expect(TRIGGERS.test(cell), `${JSON.stringify(line)} → ${JSON.stringify(cell)}`).toBe(false);
        }
        const [row] = parse(line, { relax_column_count: true }) as string[][];
        expect(row!.map((cell, i) => (i === 1 || i === 3 ? unguardFormulaText(cell) : cell))).toEqual([
          'b1b2c3d4-0000-4000-8000-000000000000',
          a,
          '12.50',
          b,
          '-3.75',
        ]);
      }),
      { numRuns: 1500 },
    );
  });

  it('numbers stay numbers: plain fields are never guarded', () => {
    for (const n of ['-12.50', '+3', '0.00', '1234.56']) expect(csvPlainField(n)).toBe(n);
    expect(csvPlainField('a,b')).toBe('"a,b"');
  });
});
