/**
 * The provider quota headers CPA copies into each usage record's `response_headers` (Go's
 * `http.Header`: canonical names, every value a list). Only an allow-list is ever read: the
 * rest of the map carries cookies, organisation and request ids, and opaque session state.
 * Of Anthropic's `unified-*` family only what a gauge reads is kept (the fallback percentage,
 * overage and upgrade hints are not).
 */

/** Lower-case header name → its first non-empty value (see signals.ts for how records carry them). */
export type QuotaHeaders = ReadonlyMap<string, string>;

/** Longest value kept; every allowed header is a number, a date, a token or a short name. */
export const MAX_QUOTA_HEADER_VALUE = 256;

const CODEX_SUFFIXES = ['-used-percent', '-window-minutes', '-reset-at', '-reset-after-seconds', '-limit-name', '-over-secondary-limit-percent', '-limit-reached', '-allowed'];
const CODEX_NAMES = new Set(['x-codex-plan-type', 'x-codex-active-limit']);
const API_KEY_FAMILY = /^anthropic-ratelimit-(?:requests|tokens|input-tokens|output-tokens)-(?:limit|remaining|reset)$/;
/** Of the unified family, what a window gauge reads: the overall status, and each window's status, reset and utilisation. */
const UNIFIED = /^anthropic-ratelimit-unified-(?:status|\d+[hd](?:_[a-z0-9_]+)?-(?:status|reset|utilization))$/;

export function isQuotaHeader(name: string): boolean {
	const n = name.toLowerCase();
	if (n.startsWith('anthropic-ratelimit-')) return UNIFIED.test(n) || API_KEY_FAMILY.test(n);
	if (n.startsWith('x-codex-')) {
		if (CODEX_NAMES.has(n) || n.startsWith('x-codex-credits-')) return true;
		return CODEX_SUFFIXES.some(s => n.endsWith(s));
	}
	return n === 'retry-after';
}
