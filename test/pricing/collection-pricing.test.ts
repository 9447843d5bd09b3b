import {describe, expect, it} from 'vitest';
import {v6Detail, v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {PriceFeeds} from '../support/price-feeds.js';
import {onCleanup} from '../support/temp.js';
import {dailyRows} from '../support/usage-read.js';

const day = Date.parse('2026-11-23T09:00:00Z');

type Row = {model: string; cost_usd: number; cost_estimated: number; price_ref: string};
const rows = (db: {prepare(sql: string): {all(): unknown[]}}) =>
	db.prepare('SELECT model, cost_usd, cost_estimated, price_ref FROM requests_full ORDER BY ts').all() as Row[];

describe('pricing at collection time', () => {
	it('stores each request with its cost, the estimated flag and the price it used', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		// Claude v7.2.140 with cache: 1,200×3 + 150,000×0.3 + 8,000×3.75 + 2,500×15 = 116,100 µ$
		cpa.enqueue(v7Record({at: day, model: 'claude-sonnet-4-5-20250929', provider: 'claude', input: 1200, cacheRead: 150_000, cacheCreation: 8000, output: 2500}));
		// an unknown model: 1,000×0.15 + 100×0.6 = 210 µ$ at _default, flagged
		cpa.enqueue(v7Record({at: day + 1, model: 'glm-99', alias: 'glm-99', provider: 'openai-compatibility', input: 1000, output: 100}));
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		const [claude, unknown] = rows(h.db);
		expect(claude).toMatchObject({cost_estimated: 0, price_ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929'});
		expect(claude!.cost_usd).toBeCloseTo(0.1161, 12);
		expect(unknown).toMatchObject({cost_estimated: 1, price_ref: 'default@bundled:_default'});
		expect(unknown!.cost_usd).toBeCloseTo(0.00021, 12);
		expect(dailyRows(h.db, h.config.zone)).toMatchObject([{estimated_requests: 1, estimated_cost_usd: 0.11631}]);
		expect(h.logs.filter(l => l.msg.startsWith('no price known for a model')).map(l => l['model'])).toEqual(['glm-99']);
	});

	it('prices v6 details, which carry no provider, by the model name', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		const h = collectorFor(cpa);
		// gemini-2.5-flash: input 1,000 includes 400 cached; thoughts 300 beside output 200
		// 600×0.3 + 400×0.03 + 500×2.5 = 180 + 12 + 1,250 = 1,442 µ$
		cpa.record('POST /v1beta/models', 'gemini-2.5-flash', {...v6Detail({at: day, input: 1000, output: 200, reasoning: 300}), tokens: {input_tokens: 1000, output_tokens: 200, reasoning_tokens: 300, cached_tokens: 400, total_tokens: 1500}});
		expect((await h.collector.trigger()).ok).toBe(true);
		const [row] = rows(h.db);
		expect(row).toMatchObject({cost_estimated: 0, price_ref: 'litellm@bundled-2026-07-24:gemini-2.5-flash'});
		expect(row!.cost_usd).toBeCloseTo(0.001442, 12);
	});

	it('prices a priority request from its tier and stores the tier, and says so when the model has no tier prices', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		// gpt-5, priority: 10,000×2.5 + 40,000×0.25 + 3,000×20 = 95,000 µ$ (47,500 at the standard prices)
		cpa.enqueue({...v7Record({at: day, model: 'gpt-5', provider: 'codex', input: 50_000, cacheRead: 40_000, output: 3000}, '7.0.3'), service_tier: 'priority', response_service_tier: 'priority'});
		// gpt-5-codex has no tier prices in LiteLLM: 47,500 µ$, the reference says standard prices applied
		cpa.enqueue({...v7Record({at: day + 1, model: 'gpt-5-codex', provider: 'codex', input: 50_000, cacheRead: 40_000, output: 3000}, '7.0.3'), service_tier: 'flex', response_service_tier: 'flex'});
		expect((await h.collector.trigger()).ok).toBe(true);
		const stored = h.db.prepare('SELECT model, cost_usd, cost_estimated, price_ref, service_tier FROM requests_full ORDER BY ts').all() as Array<Row & {service_tier: string}>;
		expect(stored.map(r => [r.model, r.service_tier, r.price_ref, r.cost_estimated])).toEqual([
			['gpt-5', 'priority', 'litellm@bundled-2026-07-24:gpt-5#priority', 0],
			['gpt-5-codex', 'flex', 'litellm@bundled-2026-07-24:gpt-5-codex#flex=standard', 0],
		]);
		expect(stored[0]!.cost_usd).toBeCloseTo(0.095, 12);
		expect(stored[1]!.cost_usd).toBeCloseTo(0.0475, 12);
	});

	it('never prices a total-only record at a silent $0: input price, flagged and counted', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa);
		// an upstream CPA cannot classify sends only a total (CPA's all-unclassified token_breakdown)
		const raw = v7Record({at: day, model: 'gpt-5', provider: 'codex', input: 0, output: 0}, '7.2.97');
		raw['tokens'] = {input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cached_tokens: 0, cache_read_tokens: 0, cache_read_tokens_present: false, cache_creation_tokens: 0, total_tokens: 12_000};
		raw['token_breakdown'] = {schema_version: 2, quality: 'unclassified', total_tokens: 12_000, input: {}, output: {}, unclassified_tokens: 12_000};
		cpa.enqueue(raw);
		expect((await h.collector.trigger()).ok).toBe(true);
		// 12,000 × $1.25 per 1M = 15,000 µ$
		const [row] = rows(h.db);
		expect(row).toMatchObject({cost_estimated: 1, price_ref: 'litellm@bundled-2026-07-24:gpt-5!total-only'});
		expect(row!.cost_usd).toBeCloseTo(0.015, 12);
		expect(dailyRows(h.db, h.config.zone)).toMatchObject([{estimated_requests: 1, estimated_cost_usd: 0.015}]);
	});

	it('v6 rows take their account’s provider from /auth-files: Antigravity’s Claude gets Gemini’s semantics', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		cpa.accounts = [
			{auth_index: 'a900000000000001', provider: 'antigravity', name: 'antigravity-ag1.json'},
			{auth_index: 'c100000000000001', provider: 'claude', name: 'claude-c1.json'},
		];
		const h = collectorFor(cpa);
		await h.accounts.refresh();
		// Antigravity: input 20,000 includes 15,000 cached, thoughts 500 beside output 1,000, at Claude Sonnet 4.5's prices
		// 5,000×3 + 15,000×0.3 + 1,500×15 = 15,000 + 4,500 + 22,500 = 42,000 µ$ (by the name: 79,500 µ$, thoughts dropped)
		const tokens = {input_tokens: 20_000, output_tokens: 1000, reasoning_tokens: 500, cached_tokens: 15_000, total_tokens: 21_500};
		cpa.record('sk-client-0123456789abcdef', 'claude-sonnet-4-5-20250929', {...v6Detail({at: day, authIndex: 'a900000000000001'}), tokens});
		// the Claude account: input 1,200 excludes cache, cached 8,000 may be writes: 1,200×3 + 8,000×0.3 + 2,500×15 = 43,500 µ$, a lower bound
		cpa.record('sk-client-0123456789abcdef', 'claude-sonnet-4-5-20250929', {
			...v6Detail({at: day + 1, authIndex: 'c100000000000001'}),
			tokens: {input_tokens: 1200, output_tokens: 2500, reasoning_tokens: 0, cached_tokens: 8000, total_tokens: 3700},
		});
		expect((await h.collector.trigger()).ok).toBe(true);
		const [antigravity, claude] = rows(h.db);
		expect(antigravity).toMatchObject({cost_estimated: 0, price_ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929'});
		expect(antigravity!.cost_usd).toBeCloseTo(0.042, 12);
		expect(claude).toMatchObject({cost_estimated: 1, price_ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929!lower-bound'});
		expect(claude!.cost_usd).toBeCloseTo(0.0435, 12);
		expect(dailyRows(h.db, h.config.zone)).toMatchObject([{estimated_requests: 1}]);
		// Counted as they are billed: Antigravity's output with its thoughts, its input less the cache; Claude's as sent.
		const [day0] = dailyRows(h.db, h.config.zone);
		expect(day0).toMatchObject({input_tokens: 5000 + 1200, cache_read_tokens: 15_000 + 8000, output_tokens: 1500 + 2500, reasoning_tokens: 500});
	});

	it('never holds a collection pass for a price fetch', async () => {
		const feeds = await new PriceFeeds().start();
		onCleanup(() => feeds.close());
		feeds.hold();
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, feeds.urls);
		h.prices.startAutoRefresh({firstCheckMs: 0, everyMs: 10});
		await waitFor(() => feeds.hits.length === 2); // both fetches are in flight, unanswered
		cpa.enqueue(v7Record({at: day, model: 'claude-sonnet-4-5-20250929', input: 100_000, output: 0}));
		const pass = await h.collector.trigger();
		expect(pass.inserted).toBe(1);
		expect(rows(h.db)[0]).toMatchObject({cost_usd: 0.3, price_ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929'});

		feeds.release();
		await waitFor(() => h.prices.book.match('claude-sonnet-4-5-20250929').ref.startsWith('litellm@2026-'));
		cpa.enqueue(v7Record({at: day + 1, model: 'claude-sonnet-4-5-20250929', input: 100_000, output: 0}));
		await h.collector.trigger();
		const [first, second] = rows(h.db);
		// the new price applies from now on; the stored request keeps the price it was given
		expect(first).toMatchObject({cost_usd: 0.3, price_ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929'});
		expect(second!.cost_usd).toBeCloseTo(0.25, 12);
		expect(second!.price_ref).toMatch(/^litellm@\d{4}-\d{2}-\d{2}:claude-sonnet-4-5-20250929$/);
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}
