import {describe, expect, it} from 'vitest';
import type {UsageRecord} from '../../source/core/cpa/usage-record.js';
import type {PriceTable} from '../../source/core/pricing/price-table.js';
import {PriceBook} from '../../source/pricing/price-book.js';
import {readV7, v7Record} from '../support/fixtures.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');

/** USD per 1M tokens, as LiteLLM lists them (2026-07-24). */
const TABLE: PriceTable = {
	source: 'litellm',
	version: 'bundled-2026-07-24',
	models: {
		'gpt-5': {input: 1.25, output: 10, cacheRead: 0.125, serviceTiers: {priority: {input: 2.5, output: 20, cacheRead: 0.25}, flex: {input: 0.625, output: 5, cacheRead: 0.0625}}},
		'gpt-5-codex': {input: 1.25, output: 10, cacheRead: 0.125},
		'claude-sonnet-4-5': {input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75},
	},
};

/** A v7.0.3 record (no token_breakdown) with the service tier fields as CPA sends them. */
function tiered(model: string, provider: string, tier: {service_tier?: string; response_service_tier?: string}): UsageRecord {
	const raw = {...v7Record({at: T0, model, provider, input: 50_000, cacheRead: 40_000, output: 3000}, '7.0.3'), ...tier};
	return readQueueRecord(raw, 's', T0);
}

describe('PriceBook: service tiers', () => {
	const book = new PriceBook([TABLE]);
	// standard: 10,000×1.25 + 40,000×0.125 + 3,000×10 = 47,500 µ$

	it('prices a priority request from the priority prices: 95,000 µ$, twice the standard', () => {
		const r = book.priceRecord(tiered('gpt-5', 'codex', {service_tier: 'priority', response_service_tier: 'priority'}));
		expect(r).toMatchObject({estimated: false, ref: 'litellm@bundled-2026-07-24:gpt-5#priority', estimate: null});
		expect(r.costUsd).toBeCloseTo(0.095, 12);
	});

	it('prices a flex request from the flex prices: 23,750 µ$, half the standard', () => {
		const r = book.priceRecord(tiered('gpt-5', 'codex', {service_tier: 'flex'}));
		expect(r.ref).toBe('litellm@bundled-2026-07-24:gpt-5#flex');
		expect(r.costUsd).toBeCloseTo(0.02375, 12);
	});

	it('takes the tier the response was served in over the one asked for', () => {
		const r = book.priceRecord(tiered('gpt-5', 'codex', {service_tier: 'priority', response_service_tier: 'default'}));
		expect(r.ref).toBe('litellm@bundled-2026-07-24:gpt-5');
		expect(r.costUsd).toBeCloseTo(0.0475, 12);
	});

	it('prices default, auto and no tier at the standard prices', () => {
		for (const tier of [{service_tier: 'default'}, {service_tier: 'auto'}, {}]) {
			const r = book.priceRecord(tiered('gpt-5', 'codex', tier));
			expect(r.ref).toBe('litellm@bundled-2026-07-24:gpt-5');
			expect(r.costUsd).toBeCloseTo(0.0475, 12);
		}
	});

	it('falls back to the standard prices for a model without tier prices, and says so', () => {
		const r = book.priceRecord(tiered('gpt-5-codex', 'codex', {service_tier: 'priority', response_service_tier: 'priority'}));
		expect(r).toMatchObject({estimated: false, ref: 'litellm@bundled-2026-07-24:gpt-5-codex#priority=standard', estimate: null});
		expect(r.costUsd).toBeCloseTo(0.0475, 12);
	});
});

describe('PriceBook: why a cost is an estimate', () => {
	const book = new PriceBook([TABLE]);

	it('a total-only record is priced at the input price and flagged', () => {
		const raw = v7Record({at: T0, model: 'gpt-5', provider: 'codex', input: 0, output: 0}, '7.0.3');
		(raw['tokens'] as Record<string, number>)['total_tokens'] = 12_000;
		const r = book.priceRecord(readQueueRecord(raw, 's', T0));
		// 12,000 × 1.25 = 15,000 µ$
		expect(r).toMatchObject({estimated: true, estimate: 'total-only', ref: 'litellm@bundled-2026-07-24:gpt-5!total-only'});
		expect(r.costUsd).toBeCloseTo(0.015, 12);
	});

	it('a CPA 7.0.0 Claude row with cached_tokens is a lower bound, flagged', () => {
		const r = book.priceRecord(readV7({at: T0, model: 'claude-sonnet-4-5', provider: 'claude', input: 1200, cached: 8000, output: 2500}, 's', '7.0.0'));
		// 1,200×3 + 8,000×0.3 + 2,500×15 = 43,500 µ$
		expect(r).toMatchObject({estimated: true, estimate: 'lower-bound', ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5!lower-bound'});
		expect(r.costUsd).toBeCloseTo(0.0435, 12);
		// from 7.0.3 the read is told apart from the write: exact
		expect(book.priceRecord(readV7({at: T0, model: 'claude-sonnet-4-5', provider: 'claude', input: 1200, cacheRead: 8000, output: 2500}, 's', '7.0.3'))).toMatchObject({estimated: false, estimate: null});
	});

	it('an unknown model says default-price, its ref keeps the token reason too', () => {
		const raw = v7Record({at: T0, model: 'glm-99', alias: 'glm-99', provider: 'openai-compatibility', input: 0, output: 0}, '7.0.3');
		(raw['tokens'] as Record<string, number>)['total_tokens'] = 1000;
		const r = book.priceRecord(readQueueRecord(raw, 's', T0));
		expect(r).toMatchObject({estimated: true, estimate: 'default-price', ref: 'default@bundled:_default!total-only'});
		expect(r.costUsd).toBeCloseTo(0.00015, 12);
	});
});

describe('PriceBook: rows without a provider (CPA v6)', () => {
	/** A v6 detail as the legacy reader makes it: no provider, the endpoint when the api label is one. */
	const v6 = (model: string, authIndex: string, endpoint: string | null): UsageRecord => ({
		...readV7({at: T0, model, authIndex, input: 20_000, cached: 15_000, output: 1000, reasoning: 500}, 's', '6.10.8'),
		provider: null,
		executorType: null,
		endpoint,
	});

	it('takes its account’s provider: Antigravity serves Claude models with Gemini’s counters', () => {
		const book = new PriceBook([TABLE]);
		// by the name: Claude semantics, 20,000×3 + 15,000×0.3 + 1,000×15 = 79,500 µ$, thoughts dropped, a lower bound
		expect(book.priceRecord(v6('claude-sonnet-4-5', 'ag1', 'POST /v1/messages'))).toMatchObject({estimate: 'lower-bound'});
		book.setAccountProviders([['ag1', 'antigravity']]);
		const r = book.priceRecord(v6('claude-sonnet-4-5', 'ag1', 'POST /v1/messages'));
		// Gemini semantics: 5,000×3 + 15,000×0.3 + (1,000 + 500)×15 = 15,000 + 4,500 + 22,500 = 42,000 µ$
		expect(r).toMatchObject({estimated: false, estimate: null});
		expect(r.costUsd).toBeCloseTo(0.042, 12);
	});

	it('without a known account: the model name when it says Claude or Gemini, else the API path', () => {
		const book = new PriceBook([{...TABLE, models: {...TABLE.models, 'glm-4.6': {input: 0.6, output: 2.2, cacheRead: 0.11}}}]);
		// glm-4.6 through /v1/messages (a Claude-compatible key): Claude semantics, input excludes cache
		// 20,000×0.6 + 15,000×0.11 + 1,000×2.2 = 12,000 + 1,650 + 2,200 = 15,850 µ$
		expect(book.priceRecord(v6('glm-4.6', 'unknown', 'POST /v1/messages')).costUsd).toBeCloseTo(0.01585, 12);
		// through the OpenAI API: cached inside input: 5,000×0.6 + 15,000×0.11 + 1,000×2.2 = 3,000 + 1,650 + 2,200 = 6,850 µ$
		expect(book.priceRecord(v6('glm-4.6', 'unknown', 'POST /v1/chat/completions')).costUsd).toBeCloseTo(0.00685, 12);
		// a Claude model through the Gemini API is still Claude's counters, by its name
		expect(book.priceRecord(v6('claude-sonnet-4-5', 'unknown', 'POST /v1beta/models/*action')).costUsd).toBeCloseTo(0.0795, 12);
	});
});
