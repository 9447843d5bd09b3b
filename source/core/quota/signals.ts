import {isQuotaHeader, MAX_QUOTA_HEADER_VALUE, type QuotaHeaders} from './headers.js';

/**
 * A record's allowed quota headers in a compact text form, cheap to carry, to compare and to
 * put through JSON.parse (nothing in it needs escaping): lower-case names joined by `;`, then
 * `|`, then the first value of each, likewise. Records of one account with the same names share
 * everything before `|`, so a batch keeps the newest record per name set and parses each once.
 * Header names are tokens (no `;` or `|` in the allowed ones); a value holding `;`, `|`, a quote,
 * a backslash or a control character is dropped (no quota header has one).
 */
export type QuotaSignals = string;

/** More than any real set of quota headers needs. */
export const MAX_SIGNALS_TEXT = 8192;

export function encodeSignals(names: readonly string[], values: readonly string[]): QuotaSignals | null {
	return names.length === 0 ? null : `${names.join(';')}|${values.join(';')}`;
}

/** The names part: equal for two records whose responses carried the same quota headers. */
export function signalNames(signals: QuotaSignals): string {
	const at = signals.indexOf('|');
	return at === -1 ? signals : signals.slice(0, at);
}

export function decodeSignals(signals: QuotaSignals): Map<string, string> {
	const out = new Map<string, string>();
	const at = signals.indexOf('|');
	if (at === -1) return out;
	const names = signals.slice(0, at).split(';');
	const values = signals.slice(at + 1).split(';');
	for (let i = 0; i < names.length && i < values.length; i++) if (!out.has(names[i]!)) out.set(names[i]!, values[i]!);
	return out;
}

/** Whether text looks like signals (as opposed to anything else a record's field could hold). */
export function isSignals(value: string): boolean {
	return value.length <= MAX_SIGNALS_TEXT && value.includes('|') && !/["\\\u0000-\u001f]/.test(value);
}

/** A usable header value: trimmed, not empty, not too long, nothing the compact form cannot carry. */
export function cleanValue(v: string): string | null {
	const t = v.trim();
	if (t === '' || t.length > MAX_QUOTA_HEADER_VALUE || /[;|"\\\u0000-\u001f\u007f]/.test(t)) return null;
	return t;
}

const keys = new Map<string, string | null>();

/** The lower-case name of an allowed header, else null; remembered, as a few dozen names repeat on every record. */
export function quotaKey(name: string): string | null {
	let key = keys.get(name);
	if (key === undefined) {
		key = isQuotaHeader(name) && !/[;|]/.test(name) ? name.toLowerCase() : null;
		// Outside text: the memo must not grow without bound.
		if (keys.size >= 4096) keys.clear();
		keys.set(name, key);
	}
	return key;
}

/**
 * From a header map as CPA sends it (Go's list of strings per name, or bare strings): names in
 * any case, the first usable value of each allowed one. Null when none is allowed, or the value
 * is not a map.
 */
export function signalsFromHeaders(value: unknown): QuotaSignals | null {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
	const names: string[] = [];
	const values: string[] = [];
	for (const [name, raw] of Object.entries(value)) {
		const key = quotaKey(name);
		if (key === null || names.includes(key)) continue;
		const first = firstValue(raw);
		if (first === null) continue;
		names.push(key);
		values.push(first);
	}
	return encodeSignals(names, values);
}

/** The allowed headers of a header map as a name → value map; null when none. */
export function pickQuotaHeaders(value: unknown): QuotaHeaders | null {
	const signals = signalsFromHeaders(value);
	return signals === null ? null : decodeSignals(signals);
}

function firstValue(raw: unknown): string | null {
	if (typeof raw === 'string') return cleanValue(raw);
	if (!Array.isArray(raw)) return null;
	for (const v of raw) {
		if (typeof v !== 'string') continue;
		const c = cleanValue(v);
		if (c !== null) return c;
	}
	return null;
}

const MEMBER_END = /"\]\}|\[\]\}/g;

/**
 * Where a `response_headers` member in Go's compact encoding (`{"Name":["v",…],…}`) ends, given
 * the index just after its `{`: after its first unescaped `"]}` (a JSON string cannot hold an
 * unescaped quote, and a header map does not nest) or `[]}` (an empty last list). `undefined`
 * when the text is not in that shape (another encoder; an end that would cross into the next
 * record), so the caller parses the member as JSON instead.
 */
export function headerMemberEnd(text: string, j: number): number | undefined {
	if (text.charCodeAt(j) === 125) return j + 1;
	if (text.charCodeAt(j) !== 34) return undefined;
	let close = -1;
	MEMBER_END.lastIndex = j;
	for (let m = MEMBER_END.exec(text); m !== null; m = MEMBER_END.exec(text)) {
		if (text.charCodeAt(m.index) === 91 || !escapedAt(text, m.index)) {
			close = m.index;
			break;
		}
	}
	if (close === -1) return undefined;
	const end = close + 3;
	const after = text.charCodeAt(end);
	if (after !== 44 && after !== 125) return undefined;
	// A record boundary inside means the end found belongs to a later record.
	const boundary = text.indexOf('},{', j);
	if (boundary !== -1 && boundary < close) return undefined;
	return end;
}

/** Whether a member's text names any allowed header family at all (cheap; the read decides). */
export function mayHoldQuotaHeaders(member: string): boolean {
	return QUOTA_FAMILY.test(member);
}

const QUOTA_FAMILY = /atelimit-|odex-|etry-a/i;

const PREFIXES = ['"Anthropic-Ratelimit-', '"X-Codex-', '"Retry-After"', '"anthropic-ratelimit-', '"x-codex-', '"retry-after"'];

/**
 * The allowed headers of one member's JSON text (`{"Name":["v",…],…}`, Go's compact form), read
 * without parsing the rest: only the allowed prefixes are looked for, so the other entries are
 * never read.
 */
export function signalsFromHeaderText(member: string): QuotaSignals | null {
	const names: string[] = [];
	const values: string[] = [];
	for (const prefix of PREFIXES) {
		let from = 0;
		for (;;) {
			const i = member.indexOf(prefix, from);
			if (i === -1) break;
			from = i + 1;
			// An entry starts after `{` or `,` (a list's second value does too: then `:[` does not follow).
			const before = member.charCodeAt(i - 1);
			if (before !== 123 && before !== 44) continue;
			const nameEnd = member.indexOf('"', i + 1);
			if (member.charCodeAt(nameEnd + 1) !== 58 || member.charCodeAt(nameEnd + 2) !== 91) continue;
			const key = quotaKey(member.slice(i + 1, nameEnd));
			if (key === null || names.includes(key)) continue;
			const value = firstListValue(member, nameEnd + 3);
			if (value === null) continue;
			names.push(key);
			values.push(value);
		}
	}
	return encodeSignals(names, values);
}

/** What a record carries: signals, or the raw JSON text of its member still to be read (it starts with `{`). */
export function readQuotaHeaders(carried: string): QuotaSignals | null {
	return carried.charCodeAt(0) === 123 ? signalsFromHeaderText(carried) : carried;
}

/** The first usable string of the list that starts at `k` (just after `[`). */
function firstListValue(text: string, k: number): string | null {
	while (text.charCodeAt(k) === 34) {
		let close = text.indexOf('"', k + 1);
		while (close !== -1 && escapedAt(text, close)) close = text.indexOf('"', close + 1);
		if (close === -1) return null;
		const raw = text.slice(k + 1, close);
		const value = raw.includes('\\') ? null : cleanValue(raw);
		if (value !== null) return value;
		if (text.charCodeAt(close + 1) !== 44) return null;
		k = close + 2;
	}
	return null;
}

/** Whether the quote at `k` is escaped: preceded by an odd run of backslashes. */
function escapedAt(text: string, k: number): boolean {
	let n = 0;
	while (text.charCodeAt(k - 1 - n) === 92) n++;
	return n % 2 === 1;
}
