/**
 * One CSV cell (RFC 4180). A cell that a spreadsheet would run as a formula
 * (= + - @) is quoted and prefixed with an apostrophe (OWASP CSV injection).
 */
function csvCell(value: string): string {
  const formula = /^[=+\-@]/.test(value);
  if (!formula && !/[",\r\n]/.test(value)) return value;
  return `"${(formula ? `'${value}` : value).replace(/"/g, '""')}"`;
}

/** A CSV file: CRLF lines, and a byte-order mark so spreadsheets read UTF-8 (Vietnamese names) as such. */
export function csvFile(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from(`\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
}
