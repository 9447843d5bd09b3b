import {parse} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {csvField, toCsv} from '../../../source/core/report/csv.js';

describe('CSV (RFC 4180)', () => {
	it('quotes only fields that need it, doubling quotes', () => {
		expect(csvField('claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField(' padded')).toBe('" padded"');
		expect(csvField(12.5)).toBe('12.5');
		expect(csvField(null)).toBe('');
	});

	it('writes CRLF records that a real parser reads back unchanged', () => {
		const rows = [
			['2026-11-01', 12, 0.000123, 'gpt-5;claude "x", y'],
			['2026-11-02', 0, 1234.5, 'line\r\nbreak'],
		];
		const text = toCsv(['date', 'requests', 'cost', 'models'], rows);
		expect(text.startsWith('date,requests,cost,models\r\n')).toBe(true);
		const back = parse(text, {columns: true}) as Array<Record<string, string>>;
		expect(back).toEqual(rows.map(([date, requests, cost, models]) => ({date, requests: String(requests), cost: String(cost), models})));
	});

	it('guards formulas as OWASP recommends: a leading quote on text cells starting with = + - @ tab or CR, never on numbers', () => {
		const rows = [['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx', -5, 'claude-=-ok']];
		const text = toCsv(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], rows);
		const [back] = parse(text, {columns: true}) as Array<Record<string, string>>;
		expect(back).toEqual({a: `'=HYPERLINK("http://x","y")`, b: "'+1+1", c: "'-2+3", d: "'@SUM(A1)", e: "'\tx", f: "'\rx", g: '-5', h: 'claude-=-ok'});
	});
});
