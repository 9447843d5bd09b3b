import {describe, expect, it} from 'vitest';
import {compilePrice, type ModelPrice} from '../../../source/core/pricing/price-table.js';
import {billedTokens, requestCostUsd, tokenTotalCostUsd} from '../../../source/core/pricing/request-cost.js';
import {familyOfEndpoint, familyOfModel, familyOfProvider, inferFamily, type TokenFamily} from '../../../source/core/pricing/token-family.js';
import type {TokenBreakdown, TokenCounts} from '../../../source/core/cpa/usage-record.js';

/** USD per million tokens, as published (Anthropic, Google, OpenAI price pages). */
const SONNET_45: ModelPrice = {input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5}]};
const GEMINI_25_PRO: ModelPrice = {input: 1.25, output: 10, cacheRead: 0.125, tiers: [{above: 200_000, input: 2.5, output: 15, cacheRead: 0.25}]};
const GPT_5_CODEX: ModelPrice = {input: 1.25, output: 10, cacheRead: 0.125};
const NO_CACHE_PRICE: ModelPrice = {input: 5, output: 15};
const QWEN_CODER_PLUS: ModelPrice = {input: 1, output: 5, cacheRead: 0.1, tiers: [{above: 32_000, input: 1.8, output: 9, cacheRead: 0.18}, {above: 128_000, input: 3, output: 15, cacheRead: 0.3}]};

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, total: 0, ...t});
const breakdown = (b: Partial<TokenBreakdown>): TokenBreakdown => ({quality: 'complete', inputUncached: 0, inputCacheRead: 0, inputCacheWrite: 0, output: 0, outputReasoning: 0, unclassified: 0, ...b});

/**
 * Each case: the price, the family, the record's tokens as CPA reports them, and the cost
 * worked out by hand (in the comment) from the published prices.
 */
const CASES: Array<[name: string, price: ModelPrice, family: TokenFamily, t: TokenCounts, b: TokenBreakdown | null, usd: number]> = [
	// 1,200×3 + 150,000×0.3 + 8,000×3.75 + 2,500×15 = 3,600 + 45,000 + 30,000 + 37,500 = 116,100 µ$
	['Claude v7, cache-heavy: input excludes cache; read and write priced apart', SONNET_45, 'claude', tokens({input: 1200, cacheRead: 150_000, cacheCreation: 8000, cached: 150_000, output: 2500, total: 161_700}), null, 0.1161],
	['Claude v7.2.97 token_breakdown, same request', SONNET_45, 'claude', tokens({input: 1200, cacheRead: 150_000, cacheCreation: 8000, output: 2500}), breakdown({inputUncached: 1200, inputCacheRead: 150_000, inputCacheWrite: 8000, output: 2500, outputReasoning: 900}), 0.1161],
	// writes only: CPA v7 sets cached_tokens = cache_creation when there was no read; not a read
	// 1,200×3 + 8,000×3.75 + 2,500×15 = 3,600 + 30,000 + 37,500 = 71,100 µ$
	['Claude v7, cache writes only (cached_tokens mirrors the creation)', SONNET_45, 'claude', tokens({input: 1200, cacheCreation: 8000, cached: 8000, output: 2500}), null, 0.0711],
	// v6: cached_tokens is the read, or the creation when there was no read; billed as a read
	// 1,200×3 + 150,000×0.3 + 2,500×15 = 3,600 + 45,000 + 37,500 = 86,100 µ$
	['Claude v6, cached_tokens as cache read', SONNET_45, 'claude', tokens({input: 1200, cached: 150_000, output: 2500}), null, 0.0861],
	// 1,200×3 + 8,000×0.3 + 2,500×15 = 43,500 µ$: a lower bound when those 8,000 were writes (71,100)
	['Claude v6, cached_tokens that were really cache writes: lower bound', SONNET_45, 'claude', tokens({input: 1200, cached: 8000, output: 2500}), null, 0.0435],
	// prompt 5,000 + 190,000 + 10,000 = 205,000 > 200k: whole request at the long-context rates
	// 5,000×6 + 190,000×0.6 + 10,000×7.5 + 4,000×22.5 = 30,000 + 114,000 + 75,000 + 90,000 = 309,000 µ$
	['Claude above 200k prompt tokens: every bucket at the tier rate', SONNET_45, 'claude', tokens({input: 5000, cacheRead: 190_000, cacheCreation: 10_000, output: 4000}), null, 0.309],
	// exactly 200,000 is not above: 200,000×0.3 + 1,000×15 = 60,000 + 15,000 = 75,000 µ$
	['Claude at exactly 200k prompt tokens stays on the base rates', SONNET_45, 'claude', tokens({cacheRead: 200_000, output: 1000}), null, 0.075],
	// Gemini: input 12,000 includes 8,000 cached; thoughts 9,500 beside output 800, at the output rate
	// 4,000×1.25 + 8,000×0.125 + (800 + 9,500)×10 = 5,000 + 1,000 + 103,000 = 109,000 µ$
	['Gemini, reasoning-heavy: thoughts beside output, cached inside input', GEMINI_25_PRO, 'gemini', tokens({input: 12_000, cached: 8000, cacheRead: 8000, output: 800, reasoning: 9500, total: 22_300}), null, 0.109],
	['Gemini v6 (cached_tokens only), same request', GEMINI_25_PRO, 'gemini', tokens({input: 12_000, cached: 8000, output: 800, reasoning: 9500}), null, 0.109],
	['Gemini token_breakdown: output.total already holds the thoughts', GEMINI_25_PRO, 'gemini', tokens({input: 12_000, cacheRead: 8000, output: 800, reasoning: 9500}), breakdown({inputUncached: 4000, inputCacheRead: 8000, output: 10_300, outputReasoning: 9500}), 0.109],
	// prompt 250,000 > 200k: 150,000×2.5 + 100,000×0.25 + (1,000 + 3,000)×15 = 375,000 + 25,000 + 60,000 = 460,000 µ$
	['Gemini above 200k prompt tokens', GEMINI_25_PRO, 'gemini', tokens({input: 250_000, cacheRead: 100_000, output: 1000, reasoning: 3000}), null, 0.46],
	// Codex: input 50,000 includes 40,000 cached; reasoning 2,000 is inside output 3,000
	// 10,000×1.25 + 40,000×0.125 + 3,000×10 = 12,500 + 5,000 + 30,000 = 47,500 µ$
	['OpenAI/Codex: cached inside input, reasoning inside output', GPT_5_CODEX, 'openai', tokens({input: 50_000, cached: 40_000, cacheRead: 40_000, output: 3000, reasoning: 2000, total: 53_000}), null, 0.0475],
	['OpenAI v6 (cached_tokens only), same request', GPT_5_CODEX, 'openai', tokens({input: 50_000, cached: 40_000, output: 3000, reasoning: 2000}), null, 0.0475],
	// a model without a cache price: cached tokens cost the input rate
	// 4,000×5 + 6,000×5 + 1,000×15 = 20,000 + 30,000 + 15,000 = 65,000 µ$
	['no cache price in the data: cached tokens at the input price', NO_CACHE_PRICE, 'openai', tokens({input: 10_000, cached: 6000, output: 1000}), null, 0.065],
	// partial breakdown: unclassified at the input rate: 1,000×1.25 + 500×10 + 300×1.25 = 1,250 + 5,000 + 375 = 6,625 µ$
	['partial token_breakdown: unclassified tokens at the input rate', GPT_5_CODEX, 'openai', tokens({input: 1000, output: 500, total: 1800}), breakdown({quality: 'unclassified', inputUncached: 1000, output: 500, unclassified: 300}), 0.006625],
	// inconsistent breakdown: the raw counters are used (10,000×1.25 + 40,000×0.125 + 3,000×10 = 47,500 µ$)
	['inconsistent token_breakdown falls back to the counters', GPT_5_CODEX, 'openai', tokens({input: 50_000, cacheRead: 40_000, output: 3000}), breakdown({quality: 'inconsistent', unclassified: 53_000}), 0.0475],
	// Antigravity serves Claude in Gemini's usage format: input 20,000 includes 15,000 cached, thoughts beside output
	// 5,000×3 + 15,000×0.3 + (1,000 + 500)×15 = 15,000 + 4,500 + 22,500 = 42,000 µ$
	['Claude model through Antigravity: Gemini token semantics, Claude prices', SONNET_45, 'gemini', tokens({input: 20_000, cacheRead: 15_000, cached: 15_000, output: 1000, reasoning: 500}), null, 0.042],
	// DashScope ranges: prompt 40,000 > 32,000: 40,000×1.8 + 2,000×9 = 72,000 + 18,000 = 90,000 µ$
	['DashScope tiered_pricing: the range the prompt falls in', QWEN_CODER_PLUS, 'openai', tokens({input: 40_000, output: 2000}), null, 0.09],
	// prompt 150,000 > 128,000: 150,000×3 + 1,000×15 = 465,000 µ$
	['DashScope tiered_pricing: the highest range exceeded', QWEN_CODER_PLUS, 'openai', tokens({input: 150_000, output: 1000}), null, 0.465],
];

describe('request cost per provider family, against hand-computed figures', () => {
	it.each(CASES)('%s', (_name, price, family, t, b, usd) => {
		expect(requestCostUsd(compilePrice(price), family, t, b)).toBeCloseTo(usd, 12);
	});

	it('bills the same buckets it reports', () => {
		expect(billedTokens('claude', tokens({input: 1200, cacheRead: 150_000, cacheCreation: 8000, cached: 150_000, output: 2500}), null)).toEqual({uncached: 1200, cacheRead: 150_000, cacheWrite: 8000, output: 2500, unclassified: 0});
		expect(billedTokens('gemini', tokens({input: 12_000, cached: 8000, output: 800, reasoning: 9500}), null)).toEqual({uncached: 4000, cacheRead: 8000, cacheWrite: 0, output: 10_300, unclassified: 0});
		expect(billedTokens('openai', tokens({input: 50_000, cached: 40_000, output: 3000, reasoning: 2000}), null)).toEqual({uncached: 10_000, cacheRead: 40_000, cacheWrite: 0, output: 3000, unclassified: 0});
	});

	it('never bills a negative uncached input when the cache count exceeds input', () => {
		expect(requestCostUsd(compilePrice(GPT_5_CODEX), 'openai', tokens({input: 100, cached: 400, output: 0}), null)).toBeCloseTo((400 * 0.125) / 1e6, 12);
	});

	it('prices a counter delta total at the input rate (1,000,000 × $3 = $3)', () => {
		expect(tokenTotalCostUsd(compilePrice(SONNET_45), 1_000_000)).toBe(3);
	});
});

describe('token family', () => {
	it.each([
		['claude', 'ClaudeExecutor', 'claude'],
		['codex', 'CodexExecutor', 'openai'],
		['gemini', null, 'gemini'],
		['gemini-cli', 'GeminiCLIExecutor', 'gemini'],
		['vertex', null, 'gemini'],
		['aistudio', null, 'gemini'],
		['antigravity', 'AntigravityExecutor', 'gemini'],
		['openai-compatibility', 'OpenAICompatExecutor', 'openai'],
		['openai-compatible-openrouter', null, 'openai'],
		['iflow', 'IFlowExecutor', 'openai'],
		['qwen', null, 'openai'],
		['kimi', null, 'openai'],
		['xai', null, 'openai'],
	] as const)('provider %s (%s) → %s', (provider, executor, family) => {
		expect(familyOfProvider(provider, executor)).toBe(family);
	});

	it('falls back to the model name for v6 rows that carry no provider', () => {
		expect(familyOfProvider('', null)).toBeNull();
		expect(familyOfModel('claude-sonnet-4-5-20250929')).toBe('claude');
		expect(familyOfModel('gemini-2.5-pro')).toBe('gemini');
		expect(familyOfModel('gpt-5-codex')).toBe('openai');
	});

	it.each([
		['POST /v1beta/models/*action', 'gemini'],
		['POST /v1internal:method', 'gemini'],
		['POST /v1/messages', 'claude'],
		['POST /v1/chat/completions', 'openai'],
		['POST /v1/responses', 'openai'],
		['POST /backend-api/codex/responses', 'openai'],
		['POST /v1/messages/count_tokens', 'claude'],
		['POST /v1/images/generations', null],
		['claude', null],
		[null, null],
	] as const)('the API path %j → %j', (endpoint, family) => {
		expect(familyOfEndpoint(endpoint)).toBe(family);
	});

	it('infers a v6 row: its account first, then a model name that says Claude or Gemini, then the path', () => {
		// Antigravity serves Claude models with Gemini's counters, whatever the client called
		expect(inferFamily('antigravity', 'claude-sonnet-4-5-thinking', 'POST /v1/messages')).toBe('gemini');
		expect(inferFamily('claude', 'claude-sonnet-4-5', 'POST /v1/messages')).toBe('claude');
		// CPA fills the counters from the upstream's answer before translating it: a Gemini model
		// asked for through the OpenAI API still reports Gemini's (thoughts beside output)
		expect(inferFamily(null, 'gemini-2.5-pro', 'POST /v1/chat/completions')).toBe('gemini');
		// a name that says neither: the path decides (GLM behind a Claude-compatible key, through Claude Code)
		expect(inferFamily(null, 'glm-4.6', 'POST /v1/messages')).toBe('claude');
		expect(inferFamily(null, 'glm-4.6', 'POST /v1beta/models/*action')).toBe('gemini');
		expect(inferFamily(null, 'glm-4.6', null)).toBe('openai');
		expect(inferFamily('', 'gpt-5', null)).toBe('openai');
	});
});
