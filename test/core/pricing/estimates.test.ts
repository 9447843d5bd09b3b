import {describe, expect, it} from 'vitest';
import type {TokenBreakdown, TokenCounts} from '../../../source/core/cpa/usage-record.js';
import {compilePrice, type ModelPrice} from '../../../source/core/pricing/price-table.js';
import {billedTokens, requestCostUsd, tokenEstimate, type TokenEstimate} from '../../../source/core/pricing/request-cost.js';
import type {TokenFamily} from '../../../source/core/pricing/token-family.js';

const SONNET_45: ModelPrice = {input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75};
const GPT_5: ModelPrice = {input: 1.25, output: 10, cacheRead: 0.125};

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, total: 0, ...t});
const breakdown = (b: Partial<TokenBreakdown>): TokenBreakdown => ({quality: 'complete', inputUncached: 0, inputCacheRead: 0, inputCacheWrite: 0, output: 0, outputReasoning: 0, unclassified: 0, ...b});

/** Each case: the record as CPA sends it, the cost worked out by hand, and why it is an estimate. */
const CASES: Array<[name: string, price: ModelPrice, family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null, usd: number, why: TokenEstimate | null]> = [
	// only total_tokens: 12,000 × 1.25 = 15,000 µ$ (was $0)
	['a record with only total_tokens is billed at the input price', GPT_5, 'openai', tokens({total: 12_000}), null, 0.015, 'total-only'],
	// CPA's NewUnclassifiedTokenBreakdown for a provider it cannot classify: 12,000 × 1.25 = 15,000 µ$
	['an all-unclassified token_breakdown with no counters', GPT_5, 'openai', tokens({total: 12_000}), breakdown({quality: 'unclassified', unclassified: 12_000}), 0.015, 'total-only'],
	// the counters still price it when CPA only could not classify the breakdown: 1,000×1.25 + 500×10 = 6,250 µ$
	['an all-unclassified breakdown beside real counters prices from the counters', GPT_5, 'openai', tokens({input: 1000, output: 500, total: 1500}), breakdown({quality: 'unclassified', unclassified: 1500}), 0.00625, null],
	// partial: 1,000×1.25 + 500×10 + 300×1.25 = 6,625 µ$
	['a partly unclassified breakdown: the rest at the input price, flagged', GPT_5, 'openai', tokens({input: 1000, output: 500, total: 1800}), breakdown({quality: 'unclassified', inputUncached: 1000, output: 500, unclassified: 300}), 0.006625, 'unclassified'],
	// CPA v6 Claude: 1,200×3 + 8,000×0.3 + 2,500×15 = 43,500 µ$, a lower bound (71,100 if the 8,000 were writes)
	['CPA v6 / 7.0.0–7.0.2 Claude row with cached_tokens: a lower bound', SONNET_45, 'claude', tokens({input: 1200, cached: 8000, output: 2500, total: 3700}), null, 0.0435, 'lower-bound'],
	// v7.0.3+: the split is there, 1,200×3 + 8,000×3.75 + 2,500×15 = 71,100 µ$
	['Claude v7.0.3+ with the read/creation split is exact', SONNET_45, 'claude', tokens({input: 1200, cached: 8000, cacheCreation: 8000, output: 2500}), null, 0.0711, null],
	['Claude without any cache is exact', SONNET_45, 'claude', tokens({input: 1200, output: 2500, total: 3700}), null, 0.0411, null],
	// OpenAI's cached_tokens is a read inside input: 10,000×1.25 + 40,000×0.125 + 3,000×10 = 47,500 µ$
	['OpenAI cached_tokens is exact', GPT_5, 'openai', tokens({input: 50_000, cached: 40_000, output: 3000}), null, 0.0475, null],
	['a request with no tokens at all costs nothing and is not an estimate', GPT_5, 'openai', tokens({}), null, 0, null],
];

describe('costs that are estimates, and why', () => {
	it.each(CASES)('%s', (_name, price, family, t, b, usd, why) => {
		expect(requestCostUsd(compilePrice(price), family, t, b)).toBeCloseTo(usd, 12);
		expect(tokenEstimate(family, t, b)).toBe(why);
	});

	it('reports the total-only tokens as unclassified buckets', () => {
		expect(billedTokens('openai', tokens({total: 12_000}), null)).toEqual({uncached: 0, cacheRead: 0, cacheWrite: 0, output: 0, unclassified: 12_000});
	});
});
