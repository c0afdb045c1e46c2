// CSV for the bundle: RFC 4180 (CRLF after every record, double quotes doubled, a header row), UTF-8 without a
// BOM, with formula-injection protection so a spreadsheet never evaluates a synthetic cell.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /["\r\n,]|^\s|\s$/;

/** A cell a spreadsheet would read as a formula gets a leading single quote; anything else is unchanged. */
export function protectCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field: protected, then quoted if it holds a quote, comma, CR, LF or leading/trailing space. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const text = protectCell(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRecord(cells: readonly (string | null)[]): string {
  // A record of one empty field would be an empty line, which readers take as no record at all.
  if (cells.length === 1 && (cells[0] === null || cells[0] === '')) return '""';
  return cells.map(csvField).join(',');
}

/** The whole table as CSV text: header, then the rows, each record ended by CRLF. A null is an empty field. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const parts = [csvRecord(header)];
  for (const row of rows) parts.push(csvRecord(row));
  return `${parts.join('\r\n')}\r\n`;
}
