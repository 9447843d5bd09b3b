/** A CSV cell: numbers are written as JavaScript prints them, null as an empty field. */
export type CsvValue = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. */
export function csvField(value: CsvValue): string {
	if (value === null) return '';
	const text = String(value);
	return NEEDS_QUOTES.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row, then one record per row, each line ended by CRLF as RFC 4180 has it. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
	return [header, ...rows].map(row => `${row.map(csvField).join(',')}\r\n`).join('');
}
