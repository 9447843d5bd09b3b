import type {TokenBreakdown, TokenCounts} from '../cpa/usage-record.js';
import type {CompiledRates, Rates} from './price-table.js';
import type {TokenFamily} from './token-family.js';

/** The non-overlapping token buckets a request is billed on. */
export type BilledTokens = {uncached: number; cacheRead: number; cacheWrite: number; output: number; unclassified: number};

/**
 * CPA v7.2.97+'s `token_breakdown` is used when it classifies anything and is not marked
 * inconsistent; otherwise the raw counters are read with the family's semantics.
 */
export function usesBreakdown(b: TokenBreakdown | null): boolean {
	return b !== null && b.quality !== 'inconsistent' && b.inputUncached + b.inputCacheRead + b.inputCacheWrite + b.output > 0;
}

/**
 * Tokens known only as a total: a record whose counters are all zero but whose
 * `total_tokens` (or an all-unclassified `token_breakdown`) is not. Billed at the input rate.
 */
export function totalOnlyTokens(t: TokenCounts, b: TokenBreakdown | null): number {
	if (t.input + t.output + t.reasoning + t.cached + t.cacheRead + t.cacheCreation > 0) return 0;
	const u = b === null ? 0 : b.unclassified;
	return t.total > u ? t.total : u;
}

/** Why the token split makes a cost an estimate, whatever the price; null when it does not. */
export type TokenEstimate = 'total-only' | 'unclassified' | 'lower-bound';

/**
 * - `unclassified`: CPA's breakdown is used and left part of the total unclassified;
 * - `total-only`: nothing but a total is known;
 * - `lower-bound`: a Claude row without the read/creation split (CPA v6, 7.0.0–7.0.2), where
 *   `cached_tokens` is the read or, when there was none, the creation, billed as a read.
 */
export function tokenEstimate(family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): TokenEstimate | null {
	if (usesBreakdown(b)) return b!.unclassified > 0 ? 'unclassified' : null;
	if (family === 'claude' && t.cached > 0 && t.cacheRead + t.cacheCreation === 0) return 'lower-bound';
	return totalOnlyTokens(t, b) > 0 ? 'total-only' : null;
}

/** The buckets, for `prices show` and tests; `requestCostUsd` computes the same without allocating. */
export function billedTokens(family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): BilledTokens {
	if (b !== null && usesBreakdown(b)) {
		return {uncached: b.inputUncached, cacheRead: b.inputCacheRead, cacheWrite: b.inputCacheWrite, output: b.output, unclassified: b.unclassified};
	}
	const only = totalOnlyTokens(t, b);
	if (only > 0) return {uncached: 0, cacheRead: 0, cacheWrite: 0, output: 0, unclassified: only};
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
 * Unclassified tokens (a partial `token_breakdown`) and tokens known only as a total are
 * billed at the input rate (`tokenEstimate` says when a cost is an estimate for that reason).
 *
 * The hot path of collection: no allocation, no lookups beyond the compiled rates.
 */
export function requestCostUsd(p: CompiledRates, family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null): number {
	let uncached: number;
	let read: number;
	let write: number;
	let output: number;
	let other = 0;
	if (b !== null && usesBreakdown(b)) {
		uncached = b.inputUncached;
		read = b.inputCacheRead;
		write = b.inputCacheWrite;
		output = b.output;
		other = b.unclassified;
	} else if (t.input + t.output + t.reasoning + t.cached + t.cacheRead + t.cacheCreation === 0) {
		const u = b === null ? 0 : b.unclassified;
		return ((t.total > u ? t.total : u) * p.base.input) / 1e6;
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
export function ratesFor(p: CompiledRates, promptTokens: number): Rates {
	const tiers = p.tiers;
	for (let i = 0; i < tiers.length; i++) if (promptTokens > tiers[i]!.above) return tiers[i]!;
	return p.base;
}

/**
 * Legacy counter deltas carry only a total: all of it is billed at the base input rate (a
 * lower bound, since output costs more), and the result is always flagged estimated.
 */
export function tokenTotalCostUsd(p: CompiledRates, totalTokens: number): number {
	return (totalTokens * p.base.input) / 1e6;
}
