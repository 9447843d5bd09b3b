import {stringify} from 'csv-stringify/sync';

/** A CSV cell: numbers are written as JavaScript prints them, null as an empty field. */
export type CsvValue = string | number | boolean | null;

const OPTIONS = {
	record_delimiter: '\r\n',
	// OWASP's guard against CSV (formula) injection: a text cell starting with =, +, -, @, tab
	// or CR gets a leading ' so a spreadsheet shows it instead of running it. Numbers are left be.
	escape_formulas: true,
	// Keep leading and trailing spaces visible to parsers that trim unquoted fields.
	quoted_match: /^\s|\s$/,
	cast: {boolean: (value: boolean) => String(value), number: (value: number) => String(value)},
} as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled; formulas guarded. */
export function csvField(value: CsvValue): string {
	return stringify([[value]], {...OPTIONS, record_delimiter: '\n'}).slice(0, -1);
}

/** A header row, then one record per row, each line ended by CRLF as RFC 4180 has it. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
	return stringify([header as string[], ...(rows as CsvValue[][])], OPTIONS);
}
