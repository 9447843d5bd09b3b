import {describe, expect, it} from 'vitest';
import {v6Detail, v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {PriceFeeds} from '../support/price-feeds.js';
import {onCleanup} from '../support/temp.js';

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
		expect(h.db.prepare('SELECT estimated_requests e, estimated_cost_usd c FROM daily_stats').get()).toEqual({e: 1, c: 0.11631});
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
