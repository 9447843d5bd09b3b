import * as real from '@alcalzone/ansi-tokenize';
import {describe, expect, it} from 'vitest';
import {narrowTokens, styledCharsToString, tokenize} from '../../source/ui/fast-tokenize.js';

const sgr = (open: string, close: string) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;
const c = {bold: sgr('1', '22'), dim: sgr('2', '22'), green: sgr('32', '39'), yellow: sgr('33', '39'), alert: sgr('41;37;1', '0'), orange: sgr('38;2;255;136;0', '39'), grey: sgr('38;5;244', '39')};

const LINES = [
	'',
	'plain ascii text, 1,234 requests · $12.34',
	`${c.bold(' Today ')}${'─'.repeat(30)} ${c.green('$12.34')} ${c.dim('~ estimated')}`,
	c.alert('✖ CPA unreachable') + c.yellow(' ⚠ retrying in 5s'),
	`│ ${c.orange('████▌    ')} 42% │ ${c.grey('5h')} ╰─╯`,
	'\u001B[1;3;31mcompound\u001B[0m \u001B[38;5;12mx\u001B[38;2;1;2;3my\u001B[39m\u001B[m',
	'\u001B[1m\u001B[2mbold and dim\u001B[22m after',
	'Latin-1: café über ñ ¿ « » ±',
	// Not narrow: the library reads these.
	'emoji 🚀 and ⏱️ and flags 🇩🇪',
	'CJK 中文字 and combining e\u0301',
	'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007 after',
	'erase \u001B[2K and a lone \u001B escape',
	'soft\u00ADhyphen and zero\u200Bwidth and tab\tthere',
];

/** Lines made of random pieces, from a fixed seed. */
function randomLines(count: number): string[] {
	let seed = 12_345;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
	const pieces = ['a', 'Z', ' ', '·', '─', '│', '█', '▏', '⚠', '✖', '$', '9', 'é', '\u001B[1m', '\u001B[22m', '\u001B[31m', '\u001B[39m', '\u001B[0m', '\u001B[2;4m', '\u001B[48;5;200m', '\u001B[49m', '\u001B[38;2;10;20;30m'];
	return Array.from({length: count}, () => Array.from({length: 1 + Math.floor(next() * 60)}, () => pieces[Math.floor(next() * pieces.length)]).join(''));
}

describe('fast tokenize (the bundle routes Ink through it)', () => {
	it('gives exactly the library tokens for every line, at every cut', () => {
		for (const line of [...LINES, ...randomLines(300)]) {
			expect(tokenize(line)).toEqual(real.tokenize(line));
			for (const end of [1, 5, 17]) expect(tokenize(line, end)).toEqual(real.tokenize(line, end));
		}
	});

	it('reads narrow text itself and leaves wide, combining, link and other escape text to the library', () => {
		expect(narrowTokens(LINES[2]!)).toBeDefined();
		expect(narrowTokens(LINES[5]!)).toBeDefined();
		for (const line of LINES.slice(8)) expect(narrowTokens(line)).toBeUndefined();
	});

	it('turns styled cells back into exactly the library text, also for rows pieced together from several lines', () => {
		const lines = [...LINES, ...randomLines(300)];
		const rows = lines.map(line => real.styledCharsFromTokens(real.tokenize(line)));
		for (const row of rows) expect(styledCharsToString(row)).toBe(real.styledCharsToString(row));
		// Ink's output grid: cells of different writes side by side, blank cells between them.
		const blank = {type: 'char' as const, value: ' ', fullWidth: false, styles: []};
		for (let i = 0; i + 1 < rows.length; i++) {
			const mixed = [...rows[i]!.slice(0, 7), blank, blank, ...rows[i + 1]!.slice(3), blank];
			expect(styledCharsToString(mixed)).toBe(real.styledCharsToString(mixed));
		}
	});
});
