import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {narrowWidth} from '../../source/ui/narrow-width.js';

// The bundle answers string-width calls with narrowWidth whenever it gives a number, so every
// number it gives must be string-width's own.
describe('narrowWidth', () => {
	it('gives string-width\'s answer for every character it claims, up to U+FFFF', () => {
		let claimed = 0;
		for (let cp = 0; cp <= 0xffff; cp++) {
			if (cp >= 0xd800 && cp <= 0xdfff) continue;
			const ch = String.fromCodePoint(cp);
			const width = narrowWidth(ch);
			if (width === undefined) continue;
			claimed++;
			expect(width, `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).toBe(stringWidth(ch));
		}
		// ASCII, Latin-1, punctuation, arrows, box drawing, blocks, shapes, ⚠ and ✖.
		expect(claimed).toBe(95 + 95 + 24 + 47 + 112 + 253 + 2);
	});

	it('measures whole dashboard lines, colours included, as string-width does', () => {
		const lines = [
			'╭─\u001B[1m\u001B[32m Today \u001B[39m\u001B[22m──────────────╮',
			'\u001B[1m\u001B[32m$1,589.34\u001B[39m\u001B[22m  \u001B[33m▲ 182% \u001B[2mvs this time yesterday\u001B[22m\u001B[39m',
			'burn $27.61/h → \u001B[1m~$1,705.00\u001B[22m by midnight at this rate',
			'OpenAI Plus 5h   ████████████░░░░ 69% ↻6d4h ⚠ empty in 7h56m',
			'▂▂▁▁▃▃█████▇█▇▇█·  now $0.00/h · peak $151.0…',
			'\u001B[38;5;208m✖ CPA refused the key\u001B[39m × 3 µs – done',
			'',
		];
		for (const line of lines) expect(narrowWidth(line), line).toBe(stringWidth(line));
	});

	it('leaves everything else to string-width', () => {
		for (const text of ['日本', '👍', '⚡', '✅', '◽', 'e\u0301', 'a\u200Bb', 'soft\u00ADhyphen', '\u202Eevil', '👩‍💻', '\u001B]8;;https://x\u0007link\u001B]8;;\u0007', 'tab\there', 'ＡＢ']) {
			expect(narrowWidth(text), JSON.stringify(text)).toBeUndefined();
		}
		expect(narrowWidth('│ ok', {ambiguousIsNarrow: false})).toBeUndefined();
		expect(narrowWidth('\u001B[31mred\u001B[39m', {countAnsiEscapeCodes: true})).toBeUndefined();
		expect(narrowWidth(42)).toBeUndefined();
	});
});
