// The one CSV writer for everything callshield sends out as CSV (regulator statistics, `dnc scrub`
// output, ...). Two jobs, in this order:
//
// 1. Formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//    carriage return is read as a formula by spreadsheet programs, so a caller who puts
//    `=HYPERLINK(...)` or `+cmd|'/C calc'!A0` into a field a regulator later exports could run
//    something on the regulator's machine. Such cells get a single quote in front, which makes every
//    spreadsheet show the text as text.
//    One deliberate exception: a cell that is only a signed number (`+8613800138000`, `-3`, `-0.25`)
//    is written unchanged. It cannot carry a formula (no operator, no function, no reference after
//    the sign), and E.164 numbers must stay usable by the next program (a scrub result fed back into
//    an import, a carrier's dialler) without a stray apostrophe.
// 2. Quoting per RFC 4180: a cell containing a comma, a double quote, CR or LF is put in double
//    quotes and its double quotes are doubled. Records end with LF (as the exports always have; RFC
//    4180 names CRLF, and spreadsheet programs and CSV libraries read both).

// NUL too: OWASP ASVS 5.0 requirement 1.2.10 lists it with = + - @ and tab.
const FORMULA_START = /^[=+\-@\t\r\0]/;
const SIGNED_NUMBER = /^[+-]\d+(?:\.\d+)?$/;

/** A cell's text with formula-leading content neutralised (OWASP), before RFC 4180 quoting. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell: null and undefined are empty; everything else as text, neutralised and quoted. */
export function csvCell(value: unknown): string {
  const text = neutraliseCell(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, terminated by a line feed. */
export function csvLine(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/** Rows of plain objects → CSV with a header row (columns in the order given). */
export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}
