import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolvePriceConfig, type PriceConfig} from '../../source/core/pricing/price-config.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {UsageRecord} from '../../source/core/cpa/usage-record.js';
import {FETCH_EVERY_MS, PriceService, RETRY_FAILED_FETCH_MS} from '../../source/pricing/price-service.js';
import {UserFacingError} from '../../source/runtime/exit-codes.js';
import {createLogger, type LogEntry} from '../../source/runtime/logger.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {PriceStore} from '../../source/store/prices.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {PriceFeeds, litellmPayload} from '../support/price-feeds.js';
import {onCleanup, tempDir} from '../support/temp.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');

async function feeds(): Promise<PriceFeeds> {
	const f = await new PriceFeeds().start();
	onCleanup(() => f.close());
	return f;
}

function database(): Db {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	return db;
}

function service(db: Db | null, env: Record<string, string>, clock = {now: T0}): {prices: PriceService; logs: LogEntry[]; clock: {now: number}} {
	const logs: LogEntry[] = [];
	const config: PriceConfig = resolvePriceConfig(env, (f, p) => new Error(`${f} ${p}`));
	const prices = new PriceService({db, config, logger: createLogger({level: 'debug', sink: e => logs.push(e)}), now: () => clock.now, fetchOptions: {timeoutMs: 2000}});
	onCleanup(() => prices.stop());
	return {prices, logs, clock};
}

/** 100,000 input tokens of Claude Sonnet 4.5: $0.30 at the published $3 per 1M. */
const sonnet = (salt = 's'): UsageRecord => readV7({at: T0, model: 'claude-sonnet-4-5-20250929', provider: 'claude', input: 100_000, output: 0, cacheRead: 0}, salt);
const record = (model: string, provider = 'openai-compatibility'): UsageRecord => readV7({at: T0, model, provider, input: 1_000_000, output: 1_000_000}, 's');

/** Nothing listens here: the connection is refused at once, as when the machine is offline. */
const OFFLINE = {PRICES_LITELLM_URL: 'http://127.0.0.1:9/litellm.json', PRICES_LLM_PRICES_URL: 'http://127.0.0.1:9/current-v1.json'};

describe('PriceService', () => {
	it('prices everything offline from the bundled snapshot, and a failed fetch changes nothing', async () => {
		const {prices, logs} = service(database(), OFFLINE);
		expect(prices.book.priceRecord(sonnet())).toEqual({costUsd: 0.3, estimated: false, ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929', estimate: null});
		const reports = await prices.update();
		expect(reports.map(r => [r.source, r.ok, r.version])).toEqual([
			['litellm', false, 'bundled-2026-07-24'],
			['llm-prices', false, 'bundled-2026-08-05'],
		]);
		expect(reports[0]!.error).toContain('cannot fetch http://127.0.0.1:9/litellm.json');
		expect(prices.book.priceRecord(sonnet()).ref).toBe('litellm@bundled-2026-07-24:claude-sonnet-4-5-20250929');
		expect(logs.filter(l => l.msg.startsWith('price fetch failed'))).toHaveLength(2);
	});

	it('swaps in a fetched table, caches it, and a later process offline prices from the cache', async () => {
		const f = await feeds();
		const db = database();
		const {prices} = service(db, f.urls);
		const [litellm, llm] = await prices.update();
		expect(litellm).toMatchObject({source: 'litellm', ok: true, version: '2026-11-23', previous: 'bundled-2026-07-24', models: 15});
		expect(litellm!.changes.find(c => c.model === 'claude-sonnet-4-5')).toMatchObject({before: {input: 3}, after: {input: 2.5}});
		expect(litellm!.changes.find(c => c.model === 'gpt-9')).toMatchObject({before: null, after: {input: 10}});
		expect(llm).toMatchObject({source: 'llm-prices', ok: true, version: '2026-11-21'});
		// 100,000 input tokens at the fetched $2.50 per 1M
		expect(prices.book.priceRecord(sonnet())).toEqual({costUsd: 0.25, estimated: false, ref: 'litellm@2026-11-23:claude-sonnet-4-5-20250929', estimate: null});
		expect(prices.book.priceRecord(record('glm-9')).ref).toBe('llm-prices@2026-11-21:glm-9');
		// models the fetch does not list still price from the bundled snapshot
		expect(prices.book.priceRecord(record('gemini-2.5-pro', 'gemini')).ref).toBe('litellm@bundled-2026-07-24:gemini-2.5-pro');

		await f.close();
		const later = service(db, f.urls);
		expect(later.prices.book.priceRecord(sonnet()).ref).toBe('litellm@2026-11-23:claude-sonnet-4-5-20250929');
	});

	it('keeps the last good copy when a later fetch fails or returns junk', async () => {
		const f = await feeds();
		const db = database();
		const {prices} = service(db, f.urls);
		await prices.update();
		f.status = 503;
		expect((await prices.update()).map(r => r.error)).toEqual([`${f.urls.PRICES_LITELLM_URL} answered HTTP 503`, `${f.urls.PRICES_LLM_PRICES_URL} answered HTTP 503`]);
		f.status = 200;
		f.litellm = '<html>captive portal</html>';
		f.llmPrices = {updated_at: '2026-11-22', prices: []};
		const reports = await prices.update();
		expect(reports.map(r => r.error)).toEqual([`${f.urls.PRICES_LITELLM_URL} did not send JSON`, `${f.urls.PRICES_LLM_PRICES_URL} listed only 0 usable models; kept the previous prices`]);
		expect(prices.book.priceRecord(sonnet()).ref).toBe('litellm@2026-11-23:claude-sonnet-4-5-20250929');
		expect(new PriceStore(db).cached().map(c => [c.source, c.table?.version, c.lastError !== null])).toEqual([
			['litellm', '2026-11-23', true],
			['llm-prices', '2026-11-21', true],
		]);
	});

	it('fetches at most daily, and retries a failure after 6 hours', async () => {
		const f = await feeds();
		const {prices, clock} = service(database(), f.urls);
		expect(prices.due(T0)).toEqual(['litellm', 'llm-prices']);
		await prices.update();
		expect(prices.due(T0 + FETCH_EVERY_MS - 1)).toEqual([]);
		expect(prices.due(T0 + FETCH_EVERY_MS)).toEqual(['litellm', 'llm-prices']);
		clock.now = T0 + FETCH_EVERY_MS;
		f.status = 500;
		await prices.update(['litellm']);
		expect(prices.due(clock.now + RETRY_FAILED_FETCH_MS - 1)).toEqual(['llm-prices']);
		expect(prices.due(clock.now + RETRY_FAILED_FETCH_MS)).toEqual(['litellm', 'llm-prices']);
	});

	it('refreshes in the background once, and shares one fetch between concurrent callers', async () => {
		const f = await feeds();
		const {prices} = service(database(), f.urls);
		f.hold();
		const [a, b] = [prices.update(), prices.update()];
		f.release();
		expect(await a).toBe(await b);
		expect(f.hits).toHaveLength(2);

		const other = service(database(), f.urls);
		other.prices.startAutoRefresh({firstCheckMs: 0, everyMs: 10});
		await waitFor(() => other.prices.book.priceRecord(sonnet()).ref.startsWith('litellm@2026-11-23'));
		const hits = f.hits.length;
		await new Promise(resolve => setTimeout(resolve, 100)); // several more ticks: nothing is due
		expect(f.hits.length).toBe(hits);
	});

	it('takes overrides in trust order: prices set, then PRICES_FILE, then fetched, then bundled', async () => {
		const db = database();
		const file = join(tempDir(), 'prices.json');
		writeFileSync(file, JSON.stringify({models: {'claude-sonnet-4-5': {input: 2}, 'glm-4.6': {input: 0.5, output: 2, cache_read: 0.1}, _default: {input: 3, output: 15}}}).replace('{"input":2}', '{"input":2,"output":12}'));
		const {prices} = service(db, {...OFFLINE, PRICES_FILE: file});
		// the file's input/output with the bundled cache prices below it
		expect(prices.book.match('claude-sonnet-4-5-20250929')).toMatchObject({source: 'override', key: 'claude-sonnet-4-5', price: {input: 2, output: 12, cacheRead: 0.3, cacheWrite: 3.75}});
		// an unknown model at the file's _default, still flagged estimated: 1M × 3 + 1M × 15
		expect(prices.book.priceRecord(record('mystery-1'))).toMatchObject({costUsd: 18, estimated: true});

		// `prices set` from another process wins over the file once this one notices
		new PriceStore(db).setOverride({model: 'claude-sonnet-4-5', input: 1, output: 5, cacheRead: null, cacheWrite: null, updatedAt: Date.parse('2026-11-23T10:15:00Z')});
		expect(prices.book.priceRecord(sonnet()).ref).toMatch(/^override@file-/);
		expect(prices.reload()).toBe(true);
		expect(prices.book.priceRecord(sonnet())).toEqual({costUsd: 0.1, estimated: false, ref: 'override@db-20261123T1015Z:claude-sonnet-4-5', estimate: null});
		expect(prices.reload()).toBe(false);
	});

	it('refuses a bad PRICES_FILE at start (exit 2), and keeps the old prices when it breaks later', () => {
		const file = join(tempDir(), 'prices.json');
		writeFileSync(file, JSON.stringify({models: {'glm-4.6': {input: '0.6', output: 2}}}));
		expect(() => service(null, {PRICES_FILE: file})).toThrow(UserFacingError);
		try {
			service(null, {PRICES_FILE: file});
		} catch (error) {
			expect((error as UserFacingError).exitCode).toBe(2);
			expect((error as Error).message).toContain('models["glm-4.6"].input must be a number of USD per million tokens, 0 or more (got "0.6")');
		}
		writeFileSync(file, JSON.stringify({models: {'glm-4.6': {input: 0.7, output: 2}}}));
		const {prices, logs} = service(null, {PRICES_FILE: file});
		expect(prices.book.match('glm-4.6').price.input).toBe(0.7);
		writeFileSync(file, '{"models": {');
		expect(prices.reload(true)).toBe(false);
		expect(prices.book.match('glm-4.6').price.input).toBe(0.7);
		expect(logs.at(-1)).toMatchObject({level: 'error', msg: 'price overrides not reloaded; the previous prices stay in use'});
	});

	it('says once per model that it priced an unknown model at _default', () => {
		const {prices, logs} = service(null, {});
		for (let i = 0; i < 3; i++) expect(prices.book.priceRecord(record('glm-99'))).toMatchObject({estimated: true, ref: 'default@bundled:_default'});
		expect(prices.book.priceTokenTotal('glm-99', 10)).toMatchObject({estimated: true});
		const warnings = logs.filter(l => l.level === 'warn');
		expect(warnings).toEqual([expect.objectContaining({model: 'glm-99', default: '$0.15/$0.6 per 1M tokens', fix: 'cliproxy-usage prices set glm-99 --input USD --output USD'})]);
		expect(prices.book.unknownModels()).toEqual(['glm-99']);
	});

	it('prices an unknown upstream id by the known model the client asked for', () => {
		const {prices} = service(null, {});
		const r = readV7({at: T0, model: 'my-proxy/sonnet-latest-v9', alias: 'claude-sonnet-4-5', provider: 'openai-compatibility', input: 100_000, output: 0}, 's');
		expect(prices.book.priceRecord(r)).toEqual({costUsd: 0.3, estimated: false, ref: 'litellm@bundled-2026-07-24:claude-sonnet-4-5', estimate: null});
		expect(prices.book.unknownModels()).toEqual([]);
	});

	it('prices a counter delta and flags it estimated even for a known model', () => {
		const {prices} = service(null, {});
		expect(prices.book.priceTokenTotal('gpt-4o', 2_000_000)).toEqual({costUsd: 5, estimated: true, ref: 'litellm@bundled-2026-07-24:gpt-4o!counter-only', estimate: 'counter-only'});
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

// Keep the helper honest: the default payload is the shape LiteLLM publishes.
it('serves LiteLLM-shaped data', () => {
	expect(litellmPayload()['claude-sonnet-4-5']).toMatchObject({litellm_provider: 'anthropic', mode: 'chat'});
});
