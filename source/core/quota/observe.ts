import {readAnthropicApiKey, readAnthropicUnified} from './anthropic-headers.js';
import {readCodexHeaders} from './codex-headers.js';
import type {QuotaHeaders} from './headers.js';
import {EMPTY_OBSERVATION, type QuotaObservation} from './types.js';

export type ObservedResponse = {
	provider: string | null;
	/** The upstream status CPA recorded (`fail.status_code`); null when there was no HTTP answer. */
	statusCode: number | null;
	headers: QuotaHeaders | null;
	/** `fail.body` of a 429, where Codex says when its usage limit resets. */
	failBody?: string | null;
	at: number;
};

/**
 * What one usage record says about its account's official quota. Headers count only from a
 * real upstream answer and only in the family of the provider that served the request: CPA
 * keeps one header holder per downstream request, so a record whose attempt failed before any
 * answer can carry an earlier attempt's headers, possibly another credential's.
 */
export function observeResponse(r: ObservedResponse): QuotaObservation {
	if (r.statusCode === null || r.statusCode < 100) return EMPTY_OBSERVATION;
	if (r.provider === 'claude') {
		if (!r.headers) return EMPTY_OBSERVATION;
		const unified = readAnthropicUnified(r.headers, r.at, r.statusCode);
		if (unified.windows.length > 0 || unified.cooldownUntil !== null) return unified;
		return readAnthropicApiKey(r.headers, r.at, r.statusCode);
	}
	if (r.provider === 'codex') {
		const observed = r.headers ? readCodexHeaders(r.headers, r.at, r.statusCode) : EMPTY_OBSERVATION;
		const limit = r.statusCode === 429 ? codexLimitReset(r.failBody ?? null, r.at) : null;
		if (limit === null) return observed;
		return {...observed, cooldownUntil: Math.max(observed.cooldownUntil ?? 0, limit)};
	}
	return EMPTY_OBSERVATION;
}

/** Codex's 429 for an exhausted plan: `{"error":{"type":"usage_limit_reached","resets_at":…,"resets_in_seconds":…}}`. */
export function codexLimitReset(body: string | null, at: number): number | null {
	if (!body || body.length > 16_384 || !body.includes('usage_limit_reached')) return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return null;
	}
	const error = (parsed as {error?: {type?: unknown; resets_at?: unknown; resets_in_seconds?: unknown}} | null)?.error;
	if (!error || error.type !== 'usage_limit_reached') return null;
	if (typeof error.resets_at === 'number' && error.resets_at > 0 && error.resets_at < 1e11) return Math.round(error.resets_at * 1000);
	if (typeof error.resets_in_seconds === 'number' && error.resets_in_seconds >= 0 && error.resets_in_seconds < 1e9) return at + Math.round(error.resets_in_seconds * 1000);
	return null;
}
