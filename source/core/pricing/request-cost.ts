import type {TokenBreakdown, TokenCounts} from '../cpa/usage-record.js';
import type {CompiledPrice, Rates} from './price-table.js';
import type {TokenFamily} from './token-family.js';

/** The non-overlapping token buckets a request is billed on. */
export type BilledTokens = {uncached: number; cacheRead: number; cacheWrite: number; output: number; unclassified: number};

/**
 * CPA v7.2.97+'s `token_breakdown` is used when it classifies anything and is not marked
 * inconsistent; otherwise the raw counters are read with the family's semantics.
 */
export function usesBreakdown(b: TokenBreakdown | null): b is TokenBreakdown {
	return b !== null && b.quality !== 'inconsistent' && b.inputUncached + b.inputCacheRead + b.inputCacheWrite + b.output > 0;
}

/** The buckets, for `prices show` and tests; `requestCostUsd` computes the same without allocating. */
export function billedTokens(family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): BilledTokens {
	if (usesBreakdown(b)) {
		return {uncached: b.inputUncached, cacheRead: b.inputCacheRead, cacheWrite: b.inputCacheWrite, output: b.output, unclassified: b.unclassified};
	}
	const split = t.cacheRead + t.cacheCreation > 0;
	const cacheRead = split ? t.cacheRead : t.cached;
	const cacheWrite = split ? t.cacheCreation : 0;
	if (family === 'claude') return {uncached: t.input, cacheRead, cacheWrite, output: t.output, unclassified: 0};
	return {
		uncached: Math.max(0, t.input - cacheRead - cacheWrite),
		cacheRead,
		cacheWrite,
		output: family === 'gemini' ? t.output + t.reasoning : t.output,
		unclassified: 0,
	};
}

/**
 * Cost in USD. A long-context tier applies to the whole request once the prompt (uncached +
 * cache read + cache write) exceeds its threshold, as LiteLLM and the providers bill it.
 * Unclassified tokens (a partial `token_breakdown`) are billed at the input rate.
 *
 * The hot path of collection: no allocation, no lookups beyond the compiled price.
 */
export function requestCostUsd(p: CompiledPrice, family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): number {
	let uncached: number;
	let read: number;
	let write: number;
	let output: number;
	let other = 0;
	if (usesBreakdown(b)) {
		uncached = b.inputUncached;
		read = b.inputCacheRead;
		write = b.inputCacheWrite;
		output = b.output;
		other = b.unclassified;
	} else {
		const split = t.cacheRead + t.cacheCreation > 0;
		read = split ? t.cacheRead : t.cached;
		write = split ? t.cacheCreation : 0;
		if (family === 'claude') {
			uncached = t.input;
			output = t.output;
		} else {
			uncached = t.input - read - write;
			if (uncached < 0) uncached = 0;
			output = family === 'gemini' ? t.output + t.reasoning : t.output;
		}
	}
	const r = ratesFor(p, uncached + read + write);
	return (uncached * r.input + read * r.cacheRead + write * r.cacheWrite + output * r.output + other * r.input) / 1e6;
}

/** The rates for a prompt of this many tokens: the highest tier it exceeds, else the base. */
export function ratesFor(p: CompiledPrice, promptTokens: number): Rates {
	const tiers = p.tiers;
	for (let i = 0; i < tiers.length; i++) if (promptTokens > tiers[i]!.above) return tiers[i]!;
	return p.base;
}

/**
 * Legacy counter deltas carry only a total: all of it is billed at the base input rate (a
 * lower bound, since output costs more), and the result is always flagged estimated.
 */
export function tokenTotalCostUsd(p: CompiledPrice, totalTokens: number): number {
	return (totalTokens * p.base.input) / 1e6;
}
