import wrapAnsi from 'wrap-ansi';
import type {Alert} from './view-model.js';

/** An alert as drawn: its level and its lines, each no wider than the frame. */
export type FittedAlert = {level: Alert['level']; lines: string[]};

const mark = (a: Alert) => (a.level === 'error' ? '✖' : '▲');

/** The text wrapped at word boundaries (over-long words cut), as the frame draws it. */
export function wrapLines(text: string, width: number): string[] {
	return wrapAnsi(text, Math.max(1, width), {trim: true, hard: true}).split('\n');
}

/** Lines the alerts take when each wraps in full at `width` (their marks included). */
export function alertsHeight(alerts: readonly Alert[], width: number): number {
	return alerts.reduce((sum, a) => sum + wrapLines(`${mark(a)} ${a.text}`, width).length, 0);
}

/** `text` cut to `width` characters, ending in `…` when cut. */
function cut(text: string, width: number): string {
	const chars = [...text];
	return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The longest run of `words` ending at the last that wraps into `lines` lines at `width`,
 * starting no earlier than `from`: its first word's index.
 */
function suffixStart(words: readonly string[], from: number, width: number, lines: number): number {
	let lo = from;
	let hi = words.length - 1;
	// The fewer words, the fewer lines: the first start that fits, by bisection.
	while (lo < hi) {
		const mid = Math.floor((lo + hi) / 2);
		if (wrapLines(words.slice(mid).join(' '), width).length <= lines) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/**
 * One alert in at most `lines` lines of `width`. Messages say what is wrong, then the fix: when
 * the whole does not fit, the start stays on the first line (cut with `…`) and the end, the
 * fix, fills the others; on a single line, the start and the end with `…` between them.
 */
export function fitAlert(alert: Alert, width: number, lines: number): string[] {
	const text = `${mark(alert)} ${alert.text}`;
	const whole = wrapLines(text, width);
	if (whole.length <= lines || lines <= 0) return whole.slice(0, Math.max(0, lines));
	const words = text.split(' ');
	if (lines === 1) {
		// A third of the line for the start, the rest for the end.
		const headRoom = Math.max(4, Math.floor(width / 3));
		const head = cut(text, headRoom).replace(/…$/, '');
		const tailRoom = width - [...head].length - 3;
		let start = words.length - 1;
		while (start > 1 && [...words.slice(start - 1).join(' ')].length <= tailRoom) start--;
		const tail = words.slice(start).join(' ');
		return [cut(`${head.trimEnd()} … ${tail}`, width)];
	}
	// The first line's words, then as many of the last words as fit in the other lines.
	const firstLine = whole[0]!;
	const headWords = firstLine.split(' ').length;
	const start = suffixStart(words, Math.min(headWords, words.length - 1), width, lines - 1);
	const tail = wrapLines(words.slice(start).join(' '), width).slice(0, lines - 1);
	const head = [...firstLine].length < width ? `${firstLine}…` : cut(firstLine, width);
	return [head, ...tail];
}

/**
 * The alerts in `lines` lines: each gets a line first (most urgent first), then each in turn
 * the lines it needs to be read whole.
 */
export function fitAlerts(alerts: readonly Alert[], width: number, lines: number): FittedAlert[] {
	const shown = alerts.slice(0, Math.max(0, lines));
	const share = shown.map(() => 1);
	let left = lines - shown.length;
	shown.forEach((a, i) => {
		const want = wrapLines(`${mark(a)} ${a.text}`, width).length;
		const extra = Math.min(left, want - 1);
		share[i]! += extra;
		left -= extra;
	});
	return shown.map((a, i) => ({level: a.level, lines: fitAlert(a, width, share[i]!)}));
}
