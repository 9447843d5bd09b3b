import type {TokenBreakdown, TokenCounts} from '../cpa/usage-record.js';
import {usesBreakdown} from '../pricing/request-cost.js';
import type {TokenFamily} from '../pricing/token-family.js';

/**
 * The one token vocabulary every view uses, whatever the provider (docs/reports.md):
 * - `input`: prompt tokens not served from the cache;
 * - `cacheRead`, `cacheWrite`: prompt tokens read from and written to the provider's cache;
 * - `output`: completion tokens, reasoning included;
 * - `reasoning`: of which reasoning (thinking);
 * - `total`: as CPA reports it (for Claude it leaves the cache out, for OpenAI it counts it in).
 * These are the buckets a request is billed on (core/pricing/request-cost.ts), so no token is in
 * two of input, cache read, cache write and output. A record with only a total (no split at
 * all) counts it as input, as it is billed.
 */
export type Vocabulary = {input: number; cacheRead: number; cacheWrite: number; output: number; reasoning: number; total: number};

export function vocabulary(family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): Vocabulary {
	if (b !== null && usesBreakdown(b)) {
		return {input: b.inputUncached + b.unclassified, cacheRead: b.inputCacheRead, cacheWrite: b.inputCacheWrite, output: b.output, reasoning: b.outputReasoning, total: t.total};
	}
	if (t.input + t.output + t.reasoning + t.cached + t.cacheRead + t.cacheCreation === 0) {
		return {input: t.total, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: t.total};
	}
	const split = t.cacheRead + t.cacheCreation > 0;
	const cacheRead = split ? t.cacheRead : t.cached;
	const cacheWrite = split ? t.cacheCreation : 0;
	if (family === 'claude') return {input: t.input, cacheRead, cacheWrite, output: t.output, reasoning: t.reasoning, total: t.total};
	return {
		input: Math.max(0, t.input - cacheRead - cacheWrite),
		cacheRead,
		cacheWrite,
		output: family === 'gemini' ? t.output + t.reasoning : t.output,
		reasoning: t.reasoning,
		total: t.total,
	};
}

/**
 * The same in SQL, over `requests r` joined to `request_dims d` (whose `family` column holds the
 * token family): sums for the request rows at a range's edges, equal to summing `vocabulary`.
 */
export const VOCABULARY_SQL = (() => {
	const tb = `(r.tb_input_uncached IS NOT NULL AND coalesce(d.tb_quality, '') <> 'inconsistent' AND r.tb_input_uncached + r.tb_input_cache_read + r.tb_input_cache_write + r.tb_output > 0)`;
	const none = `(r.input_tokens + r.output_tokens + r.reasoning_tokens + r.cached_tokens + r.cache_read_tokens + r.cache_creation_tokens = 0)`;
	const split = `(r.cache_read_tokens + r.cache_creation_tokens > 0)`;
	const read = `(CASE WHEN ${split} THEN r.cache_read_tokens ELSE r.cached_tokens END)`;
	const write = `(CASE WHEN ${split} THEN r.cache_creation_tokens ELSE 0 END)`;
	return {
		input: `CASE WHEN ${tb} THEN r.tb_input_uncached + r.tb_unclassified WHEN ${none} THEN r.total_tokens WHEN d.family = 'claude' THEN r.input_tokens ELSE max(0, r.input_tokens - ${read} - ${write}) END`,
		cacheRead: `CASE WHEN ${tb} THEN r.tb_input_cache_read WHEN ${none} THEN 0 ELSE ${read} END`,
		cacheWrite: `CASE WHEN ${tb} THEN r.tb_input_cache_write WHEN ${none} THEN 0 ELSE ${write} END`,
		output: `CASE WHEN ${tb} THEN r.tb_output WHEN ${none} THEN 0 WHEN d.family = 'gemini' THEN r.output_tokens + r.reasoning_tokens ELSE r.output_tokens END`,
		reasoning: `CASE WHEN ${tb} THEN r.tb_output_reasoning ELSE r.reasoning_tokens END`,
		total: 'r.total_tokens',
	};
})();

/** What a request adds to the token columns the rollups sum (the token ceiling's unit). */
export function vocabularyWeight(v: Vocabulary): number {
	return v.input + v.cacheRead + v.cacheWrite + v.output + v.reasoning + v.total;
}
