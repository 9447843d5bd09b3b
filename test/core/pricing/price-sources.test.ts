import {describe, expect, it} from 'vitest';
import {FieldError} from '../../../source/core/cpa/fields.js';
import {fromLiteLLM} from '../../../source/core/pricing/litellm.js';
import {fromLlmPrices} from '../../../source/core/pricing/llm-prices.js';
import {readOverridesFile, readStoredTable} from '../../../source/core/pricing/price-file.js';
import {canonicalModelId, normalizeModelId} from '../../../source/core/pricing/model-name.js';
import {bundledSnapshot} from '../../../source/pricing/bundled.js';

/** Entries shaped exactly like LiteLLM's file (reference §5.2), per-token USD. */
const LITELLM = {
	sample_spec: {input_cost_per_token: 0, litellm_provider: 'one of https://docs.litellm.ai/docs/providers', mode: 'one of: chat, embedding'},
	'claude-sonnet-4-5': {
		cache_creation_input_token_cost: 3.75e-6,
		cache_creation_input_token_cost_above_1hr: 6e-6,
		cache_read_input_token_cost: 3e-7,
		input_cost_per_token: 3e-6,
		input_cost_per_token_above_200k_tokens: 6e-6,
		output_cost_per_token_above_200k_tokens: 2.25e-5,
		cache_creation_input_token_cost_above_200k_tokens: 7.5e-6,
		cache_read_input_token_cost_above_200k_tokens: 6e-7,
		litellm_provider: 'anthropic',
		max_input_tokens: 200000,
		mode: 'chat',
		output_cost_per_token: 1.5e-5,
		supports_prompt_caching: true,
	},
	'gemini-2.5-pro': {input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-7, input_cost_per_token_above_200k_tokens: 2.5e-6, output_cost_per_token_above_200k_tokens: 1.5e-5, litellm_provider: 'vertex_ai-language-models', mode: 'chat'},
	'gemini/gemini-2.5-pro': {input_cost_per_token: 9e-6, output_cost_per_token: 9e-5, litellm_provider: 'gemini', mode: 'chat'},
	'gemini/gemini-2.5-flash-lite': {input_cost_per_token: 1e-7, output_cost_per_token: 4e-7, cache_read_input_token_cost: '1e-8', litellm_provider: 'gemini', mode: 'chat'},
	'deepseek/deepseek-r1': {input_cost_per_token: 5.5e-7, input_cost_per_token_cache_hit: 1.4e-7, output_cost_per_token: 2.19e-6, litellm_provider: 'deepseek', mode: 'chat'},
	'dashscope/qwen3-coder-plus': {
		litellm_provider: 'dashscope',
		mode: 'chat',
		tiered_pricing: [
			{cache_read_input_token_cost: 1e-7, input_cost_per_token: 1e-6, output_cost_per_token: 5e-6, range: [0, 32000]},
			{cache_read_input_token_cost: 1.8e-7, input_cost_per_token: 1.8e-6, output_cost_per_token: 9e-6, range: [32000, 128000]},
		],
	},
	'minimax/MiniMax-M2': {input_cost_per_token: 3e-7, output_cost_per_token: 1.2e-6, litellm_provider: 'minimax', mode: 'chat'},
	'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0': {input_cost_per_token: 3.3e-6, output_cost_per_token: 1.65e-5, litellm_provider: 'bedrock', mode: 'chat'},
	'openrouter/z-ai/glm-4.6': {input_cost_per_token: 4e-7, output_cost_per_token: 1.75e-6, litellm_provider: 'openrouter', mode: 'chat'},
	'text-embedding-3-small': {input_cost_per_token: 2e-8, output_cost_per_token: 0, litellm_provider: 'openai', mode: 'embedding'},
	'gpt-4o-audio-preview': {input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, litellm_provider: 'openai', mode: 'chat'},
	'ft:gpt-4o-mini-2024-07-18': {input_cost_per_token: 3e-7, output_cost_per_token: 1.2e-6, litellm_provider: 'openai', mode: 'chat'},
	'zai/glm-4.5-flash': {input_cost_per_token: 0, output_cost_per_token: 0, litellm_provider: 'zai', mode: 'chat'},
	'gpt-5-codex': {input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-7, litellm_provider: 'openai', mode: 'responses'},
};

describe('LiteLLM conversion', () => {
	const table = fromLiteLLM(LITELLM, '2026-11-20', 'https://example.test/litellm.json');

	it('converts per-token prices to per-million, with the 200k tier and both cache prices', () => {
		expect(table.models['claude-sonnet-4-5']).toEqual({input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5}]});
		expect(table.models['gpt-5-codex']).toEqual({input: 1.25, output: 10, cacheRead: 0.125});
		expect(table).toMatchObject({source: 'litellm', version: '2026-11-20', origin: 'https://example.test/litellm.json'});
	});

	it('keeps the unprefixed entry, strips provider prefixes otherwise, and reads string prices and cache_hit', () => {
		expect(table.models['gemini-2.5-pro']!.input).toBe(1.25);
		expect(table.models['gemini-2.5-flash-lite']).toEqual({input: 0.1, output: 0.4, cacheRead: 0.01});
		expect(table.models['deepseek-r1']).toEqual({input: 0.55, output: 2.19, cacheRead: 0.14});
		expect(table.models['minimax-m2']).toEqual({input: 0.3, output: 1.2});
	});

	it('turns DashScope tiered_pricing ranges into a base price and tiers', () => {
		expect(table.models['qwen3-coder-plus']).toEqual({input: 1, output: 5, cacheRead: 0.1, tiers: [{above: 32_000, input: 1.8, output: 9, cacheRead: 0.18}]});
	});

	it('leaves out resellers, embeddings, audio, fine-tunes and zero placeholders', () => {
		expect(Object.keys(table.models).sort()).toEqual(['claude-sonnet-4-5', 'deepseek-r1', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gpt-5-codex', 'minimax-m2', 'qwen3-coder-plus']);
	});

	it('refuses something that is not the price map', () => {
		expect(() => fromLiteLLM([1, 2], 'v')).toThrow(FieldError);
	});
});

describe('llm-prices.com conversion', () => {
	const raw = {
		updated_at: '2026-08-05',
		prices: [
			{id: 'gemini-2.5-pro', vendor: 'google', name: 'Gemini 2.5 Pro', input: 1.25, output: 10, input_cached: 0.125},
			{id: 'gemini-2.5-pro-200k', vendor: 'google', name: 'Gemini 2.5 Pro >200k', input: 2.5, output: 15, input_cached: 0.25},
			{id: 'claude-sonnet-4.5', vendor: 'anthropic', name: 'Claude Sonnet 4.5', input: 3, output: 15, input_cached: null},
			{id: 'claude-sonnet-4.5-200k', vendor: 'anthropic', name: 'Claude Sonnet 4.5 >200k', input: 6, output: 22.5, input_cached: null},
			{id: 'gpt-5.4', vendor: 'openai', name: 'GPT-5.4', input: 2.5, output: 15, input_cached: 0.25},
			{id: 'gpt-5.4-272k', vendor: 'openai', name: 'GPT-5.4 >272k', input: 5, output: 22.5, input_cached: 0.5},
			{id: 'qwen3.6-plus', vendor: 'qwen', name: 'Qwen 3.6 Plus', input: 0.5, output: 3, input_cached: null},
			{id: 'grok-4-fast', vendor: 'xai', name: 'Grok 4 Fast', input: 0.2, output: 0.5, input_cached: 0.05},
			{id: 'grok-4-fast', vendor: 'xai', name: 'Grok 4 Fast', input: 0.2, output: 0.5, input_cached: 0.05},
			{id: 'gpt-image-1', vendor: 'openai', name: 'no output price', input: 10, output: null, input_cached: null},
		],
	};
	const table = fromLlmPrices(raw, undefined, 'https://www.llm-prices.com/current-v1.json');

	it('folds the long-context ids into tiers of their base model', () => {
		expect(table.models['gemini-2.5-pro']).toEqual({input: 1.25, output: 10, cacheRead: 0.125, tiers: [{above: 200_000, input: 2.5, output: 15, cacheRead: 0.25}]});
		expect(table.models['gpt-5.4']!.tiers).toEqual([{above: 272_000, input: 5, output: 22.5, cacheRead: 0.5}]);
		expect(table.models['gemini-2.5-pro-200k']).toBeUndefined();
	});

	it("derives Anthropic's cache prices (0.1x read, 1.25x write) and says so", () => {
		expect(table.models['claude-sonnet-4.5']).toMatchObject({input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5}]});
		expect(table.models['claude-sonnet-4.5']!.note).toContain('derived');
	});

	it('leaves a missing cache price missing for other vendors, skips rows without prices, versions by updated_at', () => {
		expect(table.models['qwen3.6-plus']).toEqual({input: 0.5, output: 3});
		expect(table.models['gpt-image-1']).toBeUndefined();
		expect(table).toMatchObject({source: 'llm-prices', version: '2026-08-05'});
		expect(Object.keys(table.models)).toHaveLength(5);
	});
});

describe('the overrides file', () => {
	it('reads USD per million tokens, lower-cases names, keeps absent cache prices absent', () => {
		const t = readOverridesFile({models: {'GLM-4.6': {input: 0.6, output: 2.2, cache_read: 0.11}, _default: {input: 3, output: 15}}}, 'file-20261123T1015Z', '/etc/prices.json');
		expect(t).toEqual({source: 'override', version: 'file-20261123T1015Z', origin: '/etc/prices.json', models: {'glm-4.6': {input: 0.6, output: 2.2, cacheRead: 0.11}, _default: {input: 3, output: 15}}});
	});

	it.each([
		[{}, 'models', 'expected {"models"'],
		[{models: {x: {input: 1}}}, 'models["x"].output', 'must be a number of USD per million tokens'],
		[{models: {x: {input: '0.6', output: 1}}}, 'models["x"].input', '(got "0.6")'],
		[{models: {x: {input: 1, output: 2, cached: 0.1}}}, 'models["x"].cached', 'unknown field'],
		[{models: {x: {input: -1, output: 2}}}, 'models["x"].input', '0 or more'],
		[{models: {}, aliases: {}}, 'aliases', 'unknown field'],
	])('refuses %j, naming %s', (raw, field, problem) => {
		try {
			readOverridesFile(raw, 'v', 'f');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(FieldError);
			expect((error as FieldError).field).toBe(field);
			expect((error as FieldError).problem).toContain(problem);
		}
	});

	it('refuses a damaged stored table field by field', () => {
		expect(() => readStoredTable({source: 'litellm', version: 'v', models: {a: {input: 1, output: 'x'}}}, 't')).toThrow('t.models["a"].output');
		expect(() => readStoredTable({source: 'elsewhere', version: 'v', models: {}}, 't')).toThrow('unknown source');
	});
});

describe('the bundled snapshot', () => {
	const snap = bundledSnapshot();

	it('is present, dated, and says where its data came from', () => {
		expect(snap.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(snap.tables.map(t => [t.source, t.version])).toEqual([
			['litellm', 'bundled-2026-07-24'],
			['litellm', 'bundled-2026-02-24'],
			['llm-prices', 'bundled-2026-08-05'],
		]);
		for (const t of snap.tables) {
			expect(t.origin).toMatch(/sha256|commit/);
			expect(Object.keys(t.models).length).toBeGreaterThan(100);
		}
		expect(snap.tables[0]!.origin).toContain('88ab6bc21560e11882d52bfb6aa97a064de32b96');
		expect(snap.tables[0]!.origin).toContain('86135fc654882134c8def3c4f4dc4551f62bdc939c394081bcde5fc53eee47c4');
	});

	it('keeps in the older LiteLLM copy only the models the newer one lacks', () => {
		const newer = new Set(Object.keys(snap.tables[0]!.models).map(k => canonicalModelId(normalizeModelId(k))));
		const both = Object.keys(snap.tables[1]!.models).filter(k => newer.has(canonicalModelId(normalizeModelId(k))));
		expect(both).toEqual([]);
		expect(snap.tables[1]!.models['glm-4.6']).toMatchObject({input: 0.6, output: 2.2});
	});

	it('leaves out what the mirror wrote itself: its aliases and hand-made prices', () => {
		for (const key of ['claude-opus-4-8', 'gpt-5.3-codex-spark', 'codex-auto-review', 'claude-sonnet-5', 'kimi-k2.6', 'grok-4.5', 'gpt-5.6-terra']) {
			expect(snap.tables[0]!.models[key], key).toBeUndefined();
		}
	});

	it('carries the published prices of the models CPA serves most (USD per 1M)', () => {
		const litellm = snap.tables[0]!.models;
		expect(litellm['claude-sonnet-4-5']).toEqual({input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5}]});
		expect(litellm['claude-opus-4-1']).toMatchObject({input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75});
		// Opus and Sonnet 4.6 bill a 1M-token context at the base price since LiteLLM dropped their 200k tier (2026-03-30)
		expect(litellm['claude-opus-4-6']).toEqual({input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25});
		expect(litellm['claude-sonnet-4-6']).toEqual({input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75});
		// OpenAI's priority tier is 2x, flex 0.5x the standard price
		expect(litellm['gpt-5']).toEqual({input: 1.25, output: 10, cacheRead: 0.125, serviceTiers: {priority: {input: 2.5, output: 20, cacheRead: 0.25}, flex: {input: 0.625, output: 5, cacheRead: 0.0625}}});
		expect(litellm['gpt-4o-mini']).toMatchObject({input: 0.15, output: 0.6});
		expect(litellm['gemini-2.5-pro']).toMatchObject({input: 1.25, output: 10, cacheRead: 0.125});
		expect(litellm['gemini-2.5-flash']).toMatchObject({input: 0.3, output: 2.5, cacheRead: 0.03});
	});
});
