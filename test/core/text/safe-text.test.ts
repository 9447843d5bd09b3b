import {describe, expect, it} from 'vitest';
import {dict, dictFrom} from '../../../source/core/text/dict.js';
import {isSafeText, metricLabel, safeJson, safeText, TEXT_LIMITS} from '../../../source/core/text/safe-text.js';

const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';

describe('safeText', () => {
	it('leaves ordinary names alone, wide and astral characters included', () => {
		for (const name of ['claude-sonnet-4-5-20250929', 'POST /v1/messages', 'gpt-5.1 (high)', 'モデル-名', 'emoji 😀 model']) {
			expect(safeText(name, 'model')).toBe(name);
			expect(isSafeText(name)).toBe(true);
		}
	});

	it('shows every escape sequence as inert text: no ESC, BEL or ST survives', () => {
		const cases: Array<[string, string]> = [
			[`evil${OSC52}`, 'evil␛]52;c;cm0gLXJmIH4=␇'],
			['\u001b]0;owned\u001b\\title', '␛]0;owned␛\\title'],
			['\u001b[2J\u001b[31mred', '␛[2J␛[31mred'],
			['\u001bP+q544e\u001b\\dcs', '␛P+q544e␛\\dcs'],
			['\u001b_apc\u001b\\\u001b^pm\u001b\\\u001bXsos\u001b\\', '␛_apc␛\\␛^pm␛\\␛Xsos␛\\'],
			['lone\u001b', 'lone␛'],
			['8-bit \u009b31m \u009d52;c;x\u009c \u0090dcs', '8-bit \\u{9b}31m \\u{9d}52;c;x\\u{9c} \\u{90}dcs'],
			['row\roverwrite\nnext\ttab\u0000nul\u007fdel', 'row␍overwrite␊next␉tab␀nul␡del'],
		];
		for (const [input, shown] of cases) {
			const out = safeText(input, 200);
			expect(out).toBe(shown);
			expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
		}
	});

	it('shows bidi overrides, zero-width and other invisible characters, and lone surrogates', () => {
		expect(safeText('abc\u202edcba\u202c', 100)).toBe('abc\\u{202e}dcba\\u{202c}');
		expect(safeText('a\u2066b\u2069c\u200bd\u200de\ufeff\u00adf', 100)).toBe('a\\u{2066}b\\u{2069}c\\u{200b}d\\u{200d}e\\u{feff}\\u{ad}f');
		expect(safeText('line\u2028sep\u2029', 100)).toBe('line\\u{2028}sep\\u{2029}');
		expect(safeText('tag\u{e0041}', 100)).toBe('tag\\u{e0041}');
		expect(safeText('half\ud800', 100)).toBe('half\\u{d800}');
	});

	it('cuts to the bound in code points, with an ellipsis, and is idempotent', () => {
		const long = 'm'.repeat(500);
		expect(Array.from(safeText(long, 'model'))).toHaveLength(TEXT_LIMITS.model);
		expect(safeText(long, 'model').endsWith('…')).toBe(true);
		expect(safeText('😀'.repeat(10), 10)).toBe('😀'.repeat(10));
		expect(safeText('😀'.repeat(11), 10)).toBe(`${'😀'.repeat(9)}…`);
		const once = safeText(`${OSC52}\u202e${'x'.repeat(300)}`, 'error');
		expect(safeText(once, 'error')).toBe(once);
	});

	it('makes metric labels single-line and bounded', () => {
		expect(metricLabel('a\nb"c')).toBe('a␊b"c');
		expect(Array.from(metricLabel('x'.repeat(1000)))).toHaveLength(TEXT_LIMITS.metricLabel);
	});
});

describe('safeJson', () => {
	it('parses back to the exact value, with nothing a terminal acts on left raw', () => {
		const value = {model: `evil${OSC52}\u009b\u202e\u2028\ud800😀`, n: 1};
		const text = safeJson(value, 2);
		expect(JSON.parse(text)).toEqual(value);
		// Only the layout's own newlines remain.
		expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
		expect(text).toContain('\\u009b');
		expect(text).toContain('\\u202e');
		expect(safeJson({tag: '\u{e0041}'})).toBe('{"tag":"\\udb40\\udc41"}');
		expect(JSON.parse(safeJson({tag: '\u{e0041}'}))).toEqual({tag: '\u{e0041}'});
	});
});

describe('dict', () => {
	it('keeps __proto__, constructor and toString as ordinary keys', () => {
		const d = dict<number>();
		for (const k of ['__proto__', 'constructor', 'toString']) {
			expect(d[k]).toBeUndefined();
			d[k] = (d[k] ?? 0) + 1;
		}
		expect(Object.keys(d).sort()).toEqual(['__proto__', 'constructor', 'toString']);
		expect(({} as Record<string, unknown>)['requests']).toBeUndefined();
		const parsed = dictFrom<number>(JSON.parse('{"__proto__": 1, "constructor": 2}'));
		expect(Object.getPrototypeOf(parsed)).toBeNull();
		expect(parsed['__proto__']).toBe(1);
		expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse('{"__proto__": 1, "constructor": 2}'));
	});
});
