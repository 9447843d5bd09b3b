import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import type {TokenCounts} from '../../../source/core/cpa/usage-record.js';
import {fromLiteLLM} from '../../../source/core/pricing/litellm.js';
import {readStoredTable} from '../../../source/core/pricing/price-file.js';
import {compilePrice, type ModelPrice} from '../../../source/core/pricing/price-table.js';
import {requestCostUsd} from '../../../source/core/pricing/request-cost.js';
import {priceRef, readPriceRef, serviceTierOf} from '../../../source/core/pricing/service-tier.js';

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({input: 0, output: 0, reasoning: 0, cached: 0, cacheRead: 0, cacheCreation: 0, total: 0, ...t});

/** Entries as LiteLLM's file has them (2026-07-24), per-token USD. */
const LITELLM = {
	'gpt-5': {
		cache_read_input_token_cost: 1.25e-7,
		cache_read_input_token_cost_flex: 6.25e-8,
		cache_read_input_token_cost_priority: 2.5e-7,
		input_cost_per_token: 1.25e-6,
		input_cost_per_token_flex: 6.25e-7,
		input_cost_per_token_priority: 2.5e-6,
		litellm_provider: 'openai',
		mode: 'chat',
		output_cost_per_token: 1e-5,
		output_cost_per_token_flex: 5e-6,
		output_cost_per_token_priority: 2e-5,
	},
	'gpt-5.4': {
		cache_read_input_token_cost: 2.5e-7,
		cache_read_input_token_cost_above_272k_tokens: 5e-7,
		cache_read_input_token_cost_priority: 5e-7,
		input_cost_per_token: 2.5e-6,
		input_cost_per_token_above_272k_tokens: 5e-6,
		input_cost_per_token_priority: 5e-6,
		litellm_provider: 'openai',
		mode: 'chat',
		output_cost_per_token: 1.5e-5,
		output_cost_per_token_above_272k_tokens: 2.25e-5,
		output_cost_per_token_priority: 3e-5,
	},
	'gemini-3-pro-preview': {
		cache_read_input_token_cost: 2e-7,
		cache_read_input_token_cost_above_200k_tokens: 4e-7,
		cache_read_input_token_cost_above_200k_tokens_priority: 7.2e-7,
		cache_read_input_token_cost_priority: 3.6e-7,
		input_cost_per_token: 2e-6,
		input_cost_per_token_above_200k_tokens: 4e-6,
		input_cost_per_token_above_200k_tokens_priority: 7.2e-6,
		input_cost_per_token_priority: 3.6e-6,
		litellm_provider: 'vertex_ai-language-models',
		mode: 'chat',
		output_cost_per_token: 1.2e-5,
		output_cost_per_token_above_200k_tokens: 1.8e-5,
		output_cost_per_token_above_200k_tokens_priority: 3.24e-5,
		output_cost_per_token_priority: 2.16e-5,
	},
	'claude-sonnet-4-5': {cache_creation_input_token_cost: 3.75e-6, cache_read_input_token_cost: 3e-7, input_cost_per_token: 3e-6, litellm_provider: 'anthropic', mode: 'chat', output_cost_per_token: 1.5e-5},
};

describe('service tiers from LiteLLM', () => {
	const table = fromLiteLLM(LITELLM, '2026-07-24');

	it('reads the _priority and _flex prices, long-context ones included, per million tokens', () => {
		expect(table.models['gpt-5']!.serviceTiers).toEqual({priority: {input: 2.5, output: 20, cacheRead: 0.25}, flex: {input: 0.625, output: 5, cacheRead: 0.0625}});
		expect(table.models['gemini-3-pro-preview']!.serviceTiers).toEqual({priority: {input: 3.6, output: 21.6, cacheRead: 0.36, tiers: [{above: 200_000, input: 7.2, output: 32.4, cacheRead: 0.72}]}});
		// the standard long-context tier is read as before, without the tier-suffixed fields
		expect(table.models['gemini-3-pro-preview']!.tiers).toEqual([{above: 200_000, input: 4, output: 18, cacheRead: 0.4}]);
		expect(table.models['claude-sonnet-4-5']!.serviceTiers).toBeUndefined();
	});

	it('keeps them through the stored shape (snapshot, cache) and refuses an unknown tier', () => {
		const stored = readStoredTable(JSON.parse(JSON.stringify(table)), 't');
		expect(stored.models['gemini-3-pro-preview']).toEqual(table.models['gemini-3-pro-preview']);
		const bad = {source: 'litellm', version: 'v', models: {m: {input: 1, output: 2, serviceTiers: {scale: {input: 3}}}}};
		expect(() => readStoredTable(bad, 't')).toThrow(FieldError);
		expect(() => readStoredTable(bad, 't')).toThrow('unknown service tier');
	});
});

describe('pricing a service tier', () => {
	const gpt5 = compilePrice(fromLiteLLM(LITELLM, 'v').models['gpt-5']!);
	// 10,000 uncached + 40,000 cached inside input 50,000; output 3,000
	const codex = tokens({input: 50_000, cached: 40_000, cacheRead: 40_000, output: 3000, reasoning: 1000});

	it('priority gpt-5 costs twice the standard price, flex half', () => {
		// standard: 10,000×1.25 + 40,000×0.125 + 3,000×10 = 12,500 + 5,000 + 30,000 = 47,500 µ$
		expect(requestCostUsd(gpt5, 'openai', codex, null)).toBeCloseTo(0.0475, 12);
		// priority: 10,000×2.5 + 40,000×0.25 + 3,000×20 = 25,000 + 10,000 + 60,000 = 95,000 µ$
		expect(requestCostUsd(gpt5.priority!, 'openai', codex, null)).toBeCloseTo(0.095, 12);
		// flex: 10,000×0.625 + 40,000×0.0625 + 3,000×5 = 6,250 + 2,500 + 15,000 = 23,750 µ$
		expect(requestCostUsd(gpt5.flex!, 'openai', codex, null)).toBeCloseTo(0.02375, 12);
	});

	it('bills a long prompt at the tier’s own long-context prices where the source has them', () => {
		const gemini = compilePrice(fromLiteLLM(LITELLM, 'v').models['gemini-3-pro-preview']!);
		// prompt 250,000 (50,000 cached) > 200k: 200,000×7.2 + 50,000×0.72 + (1,000 + 2,000)×32.4 = 1,440,000 + 36,000 + 97,200 µ$
		const t = tokens({input: 250_000, cached: 50_000, output: 1000, reasoning: 2000});
		expect(requestCostUsd(gemini.priority!, 'gemini', t, null)).toBeCloseTo(1.5732, 12);
		expect(gemini.flex).toBeNull();
	});

	it('falls back field by field to the standard price, as LiteLLM does', () => {
		const gpt54 = compilePrice(fromLiteLLM(LITELLM, 'v').models['gpt-5.4']!);
		// below 272k: priority's own 5 / 30 / 0.5; above: the standard long-context 5 / 22.5 / 0.5 (no priority figure there)
		expect(gpt54.priority).toEqual({
			base: {input: 5, output: 30, cacheRead: 0.5, cacheWrite: 5},
			tiers: [{above: 272_000, input: 5, output: 22.5, cacheRead: 0.5, cacheWrite: 5}],
		});
		const partial: ModelPrice = {input: 2, output: 8, cacheRead: 0.2, cacheWrite: 2.5, serviceTiers: {priority: {input: 4}}};
		expect(compilePrice(partial).priority!.base).toEqual({input: 4, output: 8, cacheRead: 0.2, cacheWrite: 2.5});
	});
});

describe('service tier of a record and the price reference', () => {
	it.each([
		['priority', 'priority'],
		['flex', 'flex'],
		[' Priority ', 'priority'],
		['default', null],
		['auto', null],
		['', null],
		['scale', null],
		['standard', null],
		[null, null],
	] as const)('%j → %j', (value, tier) => {
		expect(serviceTierOf(value)).toBe(tier);
	});

	it('says which prices applied and why a cost is an estimate, and reads back', () => {
		expect(priceRef('litellm@bundled-2026-07-24:gpt-5', 'priority', true, null)).toBe('litellm@bundled-2026-07-24:gpt-5#priority');
		expect(priceRef('litellm@bundled-2026-07-24:claude-sonnet-4-5', 'priority', false, null)).toBe('litellm@bundled-2026-07-24:claude-sonnet-4-5#priority=standard');
		expect(priceRef('litellm@v:gpt-5', 'flex', true, 'total-only')).toBe('litellm@v:gpt-5#flex!total-only');
		expect(priceRef('default@bundled:_default', null, false, 'default-price')).toBe('default@bundled:_default');
		expect(readPriceRef('litellm@v:gpt-5#flex!total-only')).toEqual({ref: 'litellm@v:gpt-5', tier: 'flex', tierPriced: true, estimate: 'total-only'});
		expect(readPriceRef('litellm@v:claude-sonnet-4-5#priority=standard!lower-bound')).toEqual({ref: 'litellm@v:claude-sonnet-4-5', tier: 'priority', tierPriced: false, estimate: 'lower-bound'});
		expect(readPriceRef('default@bundled:_default!total-only')).toMatchObject({estimate: 'default-price'});
		expect(readPriceRef('override@db-20261123T1015Z:my!model')).toEqual({ref: 'override@db-20261123T1015Z:my!model', tier: null, tierPriced: false, estimate: null});
	});
});
