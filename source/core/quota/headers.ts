/**
 * The provider quota headers CPA copies into each usage record's `response_headers` (Go's
 * `http.Header`: canonical names, every value a list). Only an allow-list is ever kept: the
 * rest of the map carries cookies, organisation and request ids, and opaque session state.
 */

/** Lower-case header name → its first non-empty value. */
export type QuotaHeaders = ReadonlyMap<string, string>;

/** Longest value kept; every allowed header is a number, a date, a token or a short name. */
export const MAX_QUOTA_HEADER_VALUE = 256;

const CODEX_SUFFIXES = ['-used-percent', '-window-minutes', '-reset-at', '-reset-after-seconds', '-limit-name', '-over-secondary-limit-percent', '-limit-reached', '-allowed'];
const CODEX_NAMES = new Set(['x-codex-plan-type', 'x-codex-active-limit']);
const API_KEY_FAMILY = /^anthropic-ratelimit-(?:requests|tokens|input-tokens|output-tokens)-(?:limit|remaining|reset)$/;

/** Whether a header (any case) may be kept. */
export function isQuotaHeader(name: string): boolean {
	const n = name.toLowerCase();
	if (n.startsWith('anthropic-ratelimit-unified-')) return true;
	if (n.startsWith('anthropic-ratelimit-')) return API_KEY_FAMILY.test(n);
	if (n.startsWith('x-codex-')) {
		if (CODEX_NAMES.has(n) || n.startsWith('x-codex-credits-')) return true;
		return CODEX_SUFFIXES.some(s => n.endsWith(s));
	}
	return n === 'retry-after';
}

/**
 * The allowed headers of one `response_headers` value: names matched case-insensitively,
 * values as Go's list of strings or a bare string, the first non-empty one kept (as CPA's
 * `Header.Get` does). `null` when nothing allowed is present or the value is not a header map.
 */
export function pickQuotaHeaders(value: unknown): QuotaHeaders | null {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
	let out: Map<string, string> | null = null;
	for (const [name, raw] of Object.entries(value)) {
		if (!isQuotaHeader(name)) continue;
		const first = firstValue(raw);
		if (first === null) continue;
		const key = name.toLowerCase();
		out ??= new Map();
		if (!out.has(key)) out.set(key, first);
	}
	return out;
}

function firstValue(raw: unknown): string | null {
	if (typeof raw === 'string') return clean(raw);
	if (!Array.isArray(raw)) return null;
	for (const v of raw) {
		if (typeof v !== 'string') continue;
		const c = clean(v);
		if (c !== null) return c;
	}
	return null;
}

function clean(v: string): string | null {
	const t = v.trim();
	return t === '' || t.length > MAX_QUOTA_HEADER_VALUE ? null : t;
}
