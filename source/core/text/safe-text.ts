/**
 * Text from outside (CPA fields and error bodies, import files, auth-files labels, price
 * feeds) made safe to show: the one sanitiser every view uses before a terminal, a table, a
 * CSV cell, a log line, a dashboard panel or a metric label. Stored values and JSON answers
 * keep the exact text; only what is shown changes.
 *
 * Nothing is removed silently: each character that could drive a terminal or hide text is
 * replaced by a visible stand-in, so an escape sequence shows up as inert text (`␛]52;c;…␇`)
 * and the user can see that something odd arrived.
 * - C0 controls (U+0000–U+001F) and DEL become their Control Pictures: `␛` `␇` `␍` `␊` `␉` `␡`.
 *   With ESC (and the 8-bit introducers below) replaced, no CSI, OSC (OSC 0 titles, OSC 52
 *   clipboard writes), DCS, APC, PM or SOS sequence can start, and `\r` cannot overwrite a row.
 * - C1 controls (U+0080–U+009F, the 8-bit CSI/OSC/DCS/ST among them), invisible format
 *   characters (bidi overrides and isolates, zero-width spaces and joiners, the BOM, soft
 *   hyphen, tags: Unicode category Cf), line and paragraph separators and lone surrogates
 *   become `\u{hex}`.
 * - Then the text is cut to a length bound (in code points) with `…`.
 */

/** Length bounds, in code points, for each kind of outside text (see docs/security.md). */
export const TEXT_LIMITS = {
	/** Model names, aliases. */
	model: 120,
	/** Endpoints ("POST /v1/messages"), masked client keys, sources, auth indexes. */
	endpoint: 120,
	/** Providers, executor types, tiers. */
	provider: 48,
	/** Account labels from `/auth-files` (file names, emails, project ids). */
	label: 80,
	/** CPA's version header. */
	version: 40,
	/** Error text quoted from CPA (its `error` field, a transport failure). */
	error: 300,
	/** A whole message that quotes outside text (an alert, a log line). */
	message: 1000,
	/** A Prometheus label value. */
	metricLabel: 128,
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

// C0, DEL, C1; format characters (Cf: bidi controls, zero-width, BOM, soft hyphen, tags);
// line/paragraph separators; lone surrogates (in `u` mode a paired surrogate is one code point).
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

function visible(ch: string): string {
	const cp = ch.codePointAt(0)!;
	if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
	if (cp === 0x7f) return '\u2421';
	return `\\u{${cp.toString(16)}}`;
}

/**
 * `text` with every unsafe character shown visibly and cut to `max` code points (a bound
 * from TEXT_LIMITS, or a number). Idempotent: what it returns passes through unchanged.
 */
export function safeText(text: string, max: TextKind | number = 'message'): string {
	const limit = typeof max === 'number' ? max : TEXT_LIMITS[max];
	const clean = UNSAFE.test(text) ? text.replace(UNSAFE_ALL, visible) : text;
	return clip(clean, limit);
}

/** `safeText` for a value that may be missing; `fallback` (ours, so trusted) stands in for it. */
export function safeOr(text: string | null | undefined, max: TextKind | number, fallback: string): string {
	return text === null || text === undefined || text === '' ? fallback : safeText(text, max);
}

/** Whether `text` needs no change to be shown (no unsafe character). */
export function isSafeText(text: string): boolean {
	return !UNSAFE.test(text);
}

/**
 * A Prometheus label value: unsafe characters shown visibly (a newline becomes `␊`, so no
 * sample can be split), cut to 128 code points. The exposition format's own escaping of `\`
 * and `"` is the renderer's job.
 */
export function metricLabel(text: string): string {
	return safeText(text, 'metricLabel');
}

// What JSON.stringify leaves raw and a terminal may act on: DEL, C1, Cf, U+2028/2029.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/**
 * JSON.stringify, with every character a terminal could act on written as a `\uXXXX`
 * escape (JSON.stringify already escapes C0 and lone surrogates). The parsed value is exactly
 * the same: this is for JSON printed to a terminal or served to one (`curl`).
 */
export function safeJson(value: unknown, space?: number): string {
	const text = JSON.stringify(value, null, space);
	if (text === undefined) return 'null';
	return text.replace(JSON_UNSAFE, ch => {
		// Cf reaches beyond the BMP (tags, U+E0001…): two UTF-16 escapes, as JSON writes them.
		let out = '';
		for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
		return out;
	});
}

function clip(text: string, max: number): string {
	if (text.length <= max) return text;
	const points = Array.from(text);
	return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
