/**
 * CSV fields that a spreadsheet opens as data, never as a formula.
 *
 * Excel and LibreOffice run a cell as a formula when its text starts with
 * `=`, `+`, `-` or `@` (Excel in East Asian locales also takes the full-width
 * forms ＝ ＋ － ＠). Which characters start a cell depends on the separator
 * the spreadsheet assumes, and that depends on the reader's locale: `,` in
 * most, `;` where the decimal mark is a comma, tab when pasted. A field that
 * is one harmless cell under `,` can be several cells under `;`: in
 * `Review; =HYPERLINK(…)` the second one starts after the semicolon. Quoting
 * does not help there: the quote is not at the start of a cell in that
 * reading.
 *
 * So the guard considers every place where *some* reading could start a
 * cell: the start of the field and the character after each `,`, `;`, tab, CR
 * and LF. From there it skips spaces and double quotes (which a parser may
 * drop or a reader may trim), and if the next character is a formula trigger,
 * it inserts an apostrophe before it. An apostrophe already in such a place
 * gets one more, so that the guard can be undone exactly
 * (`unguardFormulaText`): `=SUM(A1)` → `'=SUM(A1)`, `a; -b` → `a; '-b`,
 * `'quoted` → `''quoted`. Text elsewhere is unchanged.
 *
 * Numeric columns (hours, rates, amounts — negative ones too) are written as
 * plain numbers without the guard, so they stay numbers.
 */
const GUARD = /(^|[,;\t\r\n])([ "]*)([=+\-@\uff1d\uff0b\uff0d\uff20'])/g;
const UNGUARD = /(^|[,;\t\r\n])([ "]*)'/g;

export function guardFormulaText(text: string): string {
  return text.replace(GUARD, "$1$2'$3");
}

/** The exact text before `guardFormulaText`: for importers and round-trip tests. */
export function unguardFormulaText(text: string): string {
  return text.replace(UNGUARD, '$1$2');
}

/**
 * One RFC 4180 text field: formula-guarded, and quoted when it holds a quote,
 * a separator of any locale (`,` `;` tab) or a line break.
 */
export function csvTextField(value: string): string {
  const safe = guardFormulaText(value);
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A field that is not free text (an id, a date, a number): never guarded, quoted only if it must be. */
export function csvPlainField(value: string): string {
  return /[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
