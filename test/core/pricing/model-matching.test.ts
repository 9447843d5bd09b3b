import {describe, expect, it} from 'vitest';
import {canonicalModelId, normalizeModelId} from '../../../source/core/pricing/model-name.js';
import {PriceIndex, type MatchHow} from '../../../source/core/pricing/price-index.js';
import type {PriceTable} from '../../../source/core/pricing/price-table.js';
import {bundledSnapshot} from '../../../source/pricing/bundled.js';

/** LiteLLM of 2026-07-24 (a filtered mirror), LiteLLM of 2026-02-24 for what that lacks, llm-prices.com. */
const L = 'litellm@bundled-2026-07-24';
const F = 'litellm@bundled-2026-02-24';
const P = 'llm-prices@bundled-2026-08-05';
const D = 'default@bundled:_default';

/**
 * Model names CPA reports (its model registry at v7.2.140 and earlier releases, Antigravity
 * and Codex effort variants, iFlow/Qwen/Kimi models, ids as other tools spell them), each
 * with the match the bundled snapshot must give. `null` how: priced at `_default`.
 */
const CASES: Array<[model: string, how: MatchHow, ref: string]> = [
	// Claude
	['claude-haiku-4-5-20251001', 'exact', `${L}:claude-haiku-4-5-20251001`],
	['claude-sonnet-4-5-20250929', 'exact', `${L}:claude-sonnet-4-5-20250929`],
	['claude-sonnet-4-6', 'exact', `${L}:claude-sonnet-4-6`],
	['claude-opus-4-6', 'exact', `${L}:claude-opus-4-6`],
	['claude-opus-4-7', 'exact', `${L}:claude-opus-4-7`],
	['claude-opus-4-8', 'exact', `${P}:claude-opus-4-8`],
	['claude-sonnet-5', 'exact', `${P}:claude-sonnet-5`],
	['claude-fable-5', 'exact', `${P}:claude-fable-5`],
	['claude-opus-4-5-20251101', 'exact', `${L}:claude-opus-4-5-20251101`],
	['claude-opus-4-1-20250805', 'exact', `${L}:claude-opus-4-1-20250805`],
	['claude-opus-4-20250514', 'exact', `${L}:claude-opus-4-20250514`],
	['claude-sonnet-4-20250514', 'exact', `${L}:claude-sonnet-4-20250514`],
	['claude-3-7-sonnet-20250219', 'exact', `${L}:claude-3-7-sonnet-20250219`],
	['claude-3-5-haiku-20241022', 'exact', `${F}:claude-3-5-haiku-20241022`],
	['claude-sonnet-4-5-thinking', 'prefix', `${L}:claude-sonnet-4-5`],
	['claude-opus-4-5-thinking-high', 'prefix', `${L}:claude-opus-4-5`],
	['claude-opus-4-6-thinking', 'prefix', `${L}:claude-opus-4-6`],
	['claude-4.5-sonnet', 'alias', `${L}:claude-sonnet-4-5`],
	['claude-sonnet-4.5', 'exact', `${L}:claude-sonnet-4-5`],
	['anthropic/claude-sonnet-4-5', 'normalized', `${L}:claude-sonnet-4-5`],
	['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'normalized', `${L}:claude-sonnet-4-5`],
	['claude-sonnet-4-5@20250929', 'normalized', `${L}:claude-sonnet-4-5`],
	['claude-opus-5', 'exact', `${L}:claude-opus-5`],
	['claude-opus-5-1', 'default', D],
	// Gemini 2.5 / 3
	['gemini-2.5-pro', 'exact', `${L}:gemini-2.5-pro`],
	['gemini-2.5-flash', 'exact', `${L}:gemini-2.5-flash`],
	['gemini-2.5-flash-lite', 'exact', `${L}:gemini-2.5-flash-lite`],
	['models/gemini-2.5-pro', 'normalized', `${L}:gemini-2.5-pro`],
	['gemini-2.5-pro-preview-06-05', 'normalized', `${L}:gemini-2.5-pro`],
	['gemini-3-pro-preview', 'exact', `${L}:gemini-3-pro-preview`],
	['gemini-3-pro', 'normalized', `${L}:gemini-3-pro-preview`],
	['gemini-3-flash-preview', 'exact', `${L}:gemini-3-flash-preview`],
	['gemini-3.1-pro-preview', 'exact', `${L}:gemini-3.1-pro-preview`],
	['gemini-3.1-pro-low', 'prefix', `${L}:gemini-3.1-pro-preview`],
	['gemini-3.1-flash-lite-preview', 'exact', `${L}:gemini-3.1-flash-lite-preview`],
	['gemini-3.5-flash', 'exact', `${L}:gemini-3.5-flash`],
	['gemini-3.5-flash-extra-low', 'prefix', `${L}:gemini-3.5-flash`],
	['gemini-3.6-flash-high', 'prefix', `${L}:gemini-3.6-flash`],
	['gemini-pro-latest', 'exact', `${L}:gemini-pro-latest`],
	['gemini-3-pro-image-preview', 'default', D],
	['gemini-3.7-flash', 'default', D],
	['gemini-pro-agent', 'default', D],
	// GPT-4o/4.1, o-series, GPT-5 and Codex, with effort suffixes
	['gpt-4o', 'exact', `${L}:gpt-4o`],
	['gpt-4o-mini', 'exact', `${L}:gpt-4o-mini`],
	['gpt-4o-mini-2024-07-18', 'exact', `${L}:gpt-4o-mini-2024-07-18`],
	['openai/gpt-4o', 'normalized', `${L}:gpt-4o`],
	['gpt-4.1', 'exact', `${L}:gpt-4.1`],
	['o3', 'exact', `${L}:o3`],
	['o4-mini', 'exact', `${L}:o4-mini`],
	['gpt-5', 'exact', `${L}:gpt-5`],
	['gpt-5-minimal', 'prefix', `${L}:gpt-5`],
	['gpt-5-codex', 'exact', `${L}:gpt-5-codex`],
	['gpt-5-codex-high', 'prefix', `${L}:gpt-5-codex`],
	['gpt-5.1-none', 'prefix', `${L}:gpt-5.1`],
	['gpt-5.1-codex-mini', 'exact', `${L}:gpt-5.1-codex-mini`],
	['gpt-5.1-codex-max-xhigh', 'prefix', `${L}:gpt-5.1-codex-max`],
	['gpt-5.2-codex', 'exact', `${L}:gpt-5.2-codex`],
	['gpt-5.3-codex', 'exact', `${L}:gpt-5.3-codex`],
	['gpt-5.4-mini', 'exact', `${L}:gpt-5.4-mini-2026-03-17`],
	['gpt-5.5', 'exact', `${L}:gpt-5.5`],
	['gpt-5.6-terra', 'exact', `${P}:gpt-5.6-terra`],
	['gpt-5-codex-mini', 'default', D],
	['gpt-5.3-codex-spark', 'default', D],
	['codex-auto-review', 'default', D],
	// iFlow, Qwen, Kimi, xAI and other OpenAI-compatible upstreams
	['glm-4.6', 'exact', `${F}:glm-4.6`],
	['kimi-k2', 'normalized', `${F}:kimi-k2-0905-preview`],
	['kimi-k2-0905', 'normalized', `${F}:kimi-k2-0905-preview`],
	['kimi-k2-thinking', 'exact', `${F}:kimi-k2-thinking`],
	['kimi-k2.5', 'exact', `${F}:kimi-k2.5`],
	['qwen3-coder-plus', 'exact', `${F}:qwen3-coder-plus`],
	['qwen3-max', 'exact', `${F}:qwen3-max`],
	['deepseek-v3.2', 'exact', `${F}:deepseek-v3.2`],
	['deepseek-r1', 'exact', `${F}:deepseek-r1`],
	['minimax-m2', 'exact', `${F}:minimax-m2`],
	['grok-4.5', 'exact', `${P}:grok-4.5`],
	['grok-code-fast-1', 'exact', `${F}:grok-code-fast-1`],
	['kimi-k2.6', 'default', D],
	['glm-5', 'default', D],
	['qwen3-coder', 'default', D],
	['deepseek-v3.1', 'default', D],
	['qwen3-235b-a22b-thinking-2507', 'default', D],
	['grok-4.6', 'default', D],
	['gpt-oss-120b-medium', 'default', D],
	['tstars2.0', 'default', D],
	['unknown', 'default', D],
];

describe('model matching against the bundled snapshot', () => {
	const index = new PriceIndex(bundledSnapshot().tables);

	it('covers at least 40 real model names', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
	});

	it.each(CASES)('%s → %s %s', (model, how, ref) => {
		const m = index.match(model);
		expect({how: m.how, ref: m.ref, estimated: m.estimated}).toEqual({how, ref, estimated: how === 'default'});
	});
});

/** A small table of our own: the rules, independent of what the data happens to list. */
const table = (models: PriceTable['models'], source: PriceTable['source'] = 'litellm', version = 'v1'): PriceTable => ({source, version, models});

describe('matching rules', () => {
	it('takes the longest match, never the first substring (the original priced gpt-4o-mini as gpt-4o)', () => {
		const index = new PriceIndex([table({'gpt-4o': {input: 2.5, output: 10}, 'gpt-4o-mini': {input: 0.15, output: 0.6}, 'claude-sonnet-4': {input: 3, output: 15}})]);
		expect(index.match('gpt-4o-mini-2024-07-18')).toMatchObject({key: 'gpt-4o-mini', how: 'normalized'});
		expect(index.match('gpt-4o-2024-08-06')).toMatchObject({key: 'gpt-4o', how: 'normalized'});
		// claude-sonnet-4-5 is a newer model, not a dated claude-sonnet-4
		expect(index.match('claude-sonnet-4-5-20250929')).toMatchObject({how: 'default', estimated: true});
	});

	it('never shortens a version or drops a size qualifier', () => {
		const index = new PriceIndex([table({'gpt-5': {input: 1.25, output: 10}, 'claude-opus-4': {input: 15, output: 75}, 'gemini-2.5-flash': {input: 0.3, output: 2.5}})]);
		for (const model of ['gpt-5.5', 'gpt-5-mini', 'claude-opus-4-7', 'claude-opus-4.7', 'gemini-2.5-flash-lite']) {
			expect(index.match(model).how, model).toBe('default');
		}
		expect(index.match('gpt-5-high').key).toBe('gpt-5');
	});

	it('finds spelling variants through the canonical alias', () => {
		const index = new PriceIndex([table({'claude-3-5-sonnet-20241022': {input: 3, output: 15}, 'gemini-3-1-pro-preview': {input: 2, output: 12}})]);
		expect(index.match('claude-3.5-sonnet')).toMatchObject({how: 'alias', key: 'claude-3-5-sonnet-20241022'});
		expect(index.match('claude-3-5-sonnet')).toMatchObject({how: 'normalized'});
		expect(index.match('gemini-3.1-pro-preview')).toMatchObject({how: 'alias', key: 'gemini-3-1-pro-preview'});
	});

	it('prices from the most trusted layer that knows the model, and an override covers dated ids', () => {
		const override = table({'claude-sonnet-4-5': {input: 2, output: 10}}, 'override', 'db-20261123T1015Z');
		const fetched = table({'claude-sonnet-4-5-20250929': {input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [{above: 200_000, input: 6}]}}, 'litellm', '2026-11-20');
		const bundled = table({'claude-sonnet-4-5': {input: 3.3, output: 16}, 'gpt-5': {input: 1.25, output: 10}}, 'litellm', 'bundled-2026-02-24');
		const index = new PriceIndex([override, fetched, bundled]);
		const m = index.match('claude-sonnet-4-5-20250929');
		expect(m).toMatchObject({ref: 'override@db-20261123T1015Z:claude-sonnet-4-5', inheritedFrom: 'litellm@2026-11-20:claude-sonnet-4-5-20250929'});
		// the override's own input/output, the cache prices of the source below, no tiers
		expect(m.price).toEqual({input: 2, output: 10, cacheRead: 0.3, cacheWrite: 3.75});
		expect(index.match('gpt-5').ref).toBe('litellm@bundled-2026-02-24:gpt-5');
		expect(new PriceIndex([fetched, bundled]).match('claude-sonnet-4-5').ref).toBe('litellm@2026-11-20:claude-sonnet-4-5-20250929');
	});

	it('uses the most trusted _default, and never matches _default as a model', () => {
		expect(new PriceIndex([]).match('mystery')).toMatchObject({ref: 'default@bundled:_default', estimated: true, price: {input: 0.15, output: 0.6}});
		const index = new PriceIndex([table({_default: {input: 3, output: 15}}, 'override', 'file-20261101T0000Z')]);
		expect(index.match('mystery')).toMatchObject({ref: 'override@file-20261101T0000Z:_default', estimated: true, price: {input: 3, output: 15}});
		expect(index.match('_default').how).toBe('default');
	});
});

describe('model-name forms', () => {
	it.each([
		['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'claude-sonnet-4-5'],
		['gpt-4o-mini-2024-07-18', 'gpt-4o-mini', 'gpt-4o-mini'],
		['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro', 'gemini-2-5-pro'],
		['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash', 'gemini-2-5-flash'],
		['vertex_ai/claude-opus-4-5@20251101', 'claude-opus-4-5', 'claude-opus-4-5'],
		['bedrock/eu.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet', 'claude-sonnet-3-7'],
		['openrouter/z-ai/glm-4.6:exacto', 'glm-4.6', 'glm-4-6'],
		['claude-4.5-haiku', 'claude-4.5-haiku', 'claude-haiku-4-5'],
		['kimi-k2-0905-preview', 'kimi-k2', 'kimi-k2'],
		['gemini-2.0-flash-001', 'gemini-2.0-flash', 'gemini-2-0-flash'],
		['claude-3-5-sonnet-latest', 'claude-3-5-sonnet', 'claude-sonnet-3-5'],
	])('%s → %s → %s', (id, normalized, canonical) => {
		expect(normalizeModelId(id)).toBe(normalized);
		expect(canonicalModelId(normalizeModelId(id))).toBe(canonical);
	});
});
