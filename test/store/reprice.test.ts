import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {PriceTable} from '../../source/core/pricing/price-table.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {PriceBook} from '../../source/pricing/price-book.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {repriceRange} from '../../source/store/reprice.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {dailyRows, storedTotals} from '../support/usage-read.js';
import {expectSameRollups, fiveMinutesFromRows, rollupState} from './rollup-helpers.js';

const H = 3_600_000;
const zone: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const start = Date.parse('2026-11-20T00:00:00Z');
const v1: PriceTable = {source: 'litellm', version: '2026-11-01', models: {'claude-sonnet-4-5': {input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75}, 'gpt-4o': {input: 2.5, output: 10}}};
const v2: PriceTable = {source: 'litellm', version: '2026-11-25', models: {'claude-sonnet-4-5': {input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5}, 'glm-4.6': {input: 0.6, output: 2.2}, 'gpt-4o': {input: 5, output: 10}}};

function history(): {db: Db} {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, zone, salt, new PriceBook([v1]));
	const records = [];
	for (let i = 0; i < 240; i++) {
		// one request every 30 minutes for 5 days: claude, and glm-4.6, unknown to v1
		const model = i % 4 === 0 ? 'glm-4.6' : 'claude-sonnet-4-5';
		// OpenAI-shaped APIs count the cache inside input_tokens: 11,000 is 1,000 uncached and the 10,000 read.
		records.push(readV7({at: start + i * 30 * 60_000 + 1, model, provider: i % 4 === 0 ? 'openai-compatibility' : 'claude', input: i % 4 === 0 ? 11_000 : 1000, output: 100, cacheRead: 10_000}, salt));
	}
	writer.ingest(records, start);
	writer.ingest([], start, batch =>
		writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/chat/completions', model: 'gpt-4o', requests: 4, tokens: 1_000_000}], {start: start + 46 * H, end: start + 50 * H}, start),
	);
	return {db};
}

const costs = (db: Db, from: number, to: number) =>
	db.prepare('SELECT count(*) n, sum(cost_usd) cost, sum(cost_estimated) est, group_concat(DISTINCT price_ref) refs FROM requests_full WHERE ts >= ? AND ts < ?').get(from, to) as {n: number; cost: number; est: number; refs: string};

describe('repriceRange', () => {
	it('re-prices only the range, on purpose, and moves the rollups by what changed', () => {
		const {db} = history();
		const outside = costs(db, start + 72 * H, start + 120 * H);
		const from = Date.parse('2026-11-20T23:00:00Z'); // 2026-11-21 00:00 in Berlin
		const to = Date.parse('2026-11-22T23:00:00Z');
		const beforeIn = costs(db, from, to);
		// v1: claude 1,000×3 + 10,000×0.3 + 100×15 = 7,500 µ$; glm-4.6 at _default 0.15/0.6: 1,000×0.15 + 10,000×0.15 + 100×0.6 = 1,710 µ$
		expect(beforeIn).toMatchObject({n: 96, est: 24});
		expect(beforeIn.cost).toBeCloseTo(72 * 0.0075 + 24 * 0.00171, 9);

		const result = repriceRange(db, new PriceBook([v2]), zone, from, to);
		// v2: claude 1,000×2 + 10,000×0.2 + 100×10 = 5,000 µ$; glm-4.6 1,000×0.6 + 10,000×0.6 + 100×2.2 = 6,820 µ$ (no cache price: input rate)
		const afterIn = costs(db, from, to);
		expect(afterIn).toMatchObject({n: 96, est: 0});
		expect(afterIn.cost).toBeCloseTo(72 * 0.005 + 24 * 0.00682, 9);
		expect(afterIn.refs.split(',').sort()).toEqual(['litellm@2026-11-25:claude-sonnet-4-5', 'litellm@2026-11-25:glm-4.6']);
		expect(result).toMatchObject({requests: 96, changed: 96, counterDeltas: 1, dryRun: false});
		expect(result.before.costUsd).toBeCloseTo(beforeIn.cost + 2.5, 9); // + the counter delta: 1,000,000 tokens at gpt-4o's v1 input, $2.50
		expect(result.after.costUsd).toBeCloseTo(afterIn.cost + 5, 9); // and at v2's $5
		expect(result.days).toEqual(['2026-11-21', '2026-11-22']);
		// history outside the range keeps the price it was given
		expect(costs(db, start + 72 * H, start + 120 * H)).toEqual(outside);

		// every rollup equals what ingest would have produced from the rows as they now are
		const deltaBuckets = new Set(Array.from({length: 49}, (_, i) => start + 46 * H + i * 300_000));
		const own = (rollupState(db) as {usage_5m: Array<Record<string, number>>}).usage_5m.filter(r => !deltaBuckets.has(r['t']!));
		expect(own.length).toBeGreaterThan(200);
		expectSameRollups(own, fiveMinutesFromRows(db).filter(r => !deltaBuckets.has(r['t']!)));
		const stored = storedTotals(db);
		const totals = {c: stored.cost, e: stored.estimated, n: stored.requests};
		const raw = db.prepare('SELECT sum(cost_usd) c, sum(cost_estimated) e, count(*) n FROM requests').get() as {c: number; e: number; n: number};
		const delta = db.prepare('SELECT cost_usd c, requests n FROM counter_deltas').get() as {c: number; n: number};
		expect(delta.c).toBeCloseTo(5, 9);
		expect(totals.n).toBe(raw.n + delta.n);
		expect(totals.e).toBe(raw.e + delta.n);
		expect(totals.c).toBeCloseTo(raw.c + delta.c, 9);
		const days = dailyRows(db, zone).map(d => ({stat_date: d.stat_date, c: d.estimated_cost_usd}));
		expect(days.find(d => d.stat_date === '2026-11-21')!.c).toBeCloseTo(costs(db, from, from + 24 * H).cost + 5 * (1 / 4), 5); // the delta's first hour of four is on the 21st
	});

	it('changes nothing on a dry run but reports what would change', () => {
		const {db} = history();
		const before = rollupState(db);
		const rows = costs(db, start, start + 120 * H);
		const result = repriceRange(db, new PriceBook([v2]), zone, start, start + 120 * H, {dryRun: true});
		expect(result).toMatchObject({dryRun: true, requests: 240, changed: 240});
		expect(result.after.estimatedRequests).toBe(4); // only the counter delta's requests stay estimated
		expect(costs(db, start, start + 120 * H)).toEqual(rows);
		expect(rollupState(db)).toEqual(before);
	});

	it('is idempotent: the same prices change no row', () => {
		const {db} = history();
		const state = rollupState(db);
		const result = repriceRange(db, new PriceBook([v1]), zone, start, start + 120 * H);
		expect(result.changed).toBe(0);
		expectSameRollups(rollupState(db), state);
	});

	it('reads each request’s service tier back, so a re-price applies the tier prices a newer list has', () => {
		const db = openDatabase(join(tempDir(), 't.db'));
		onCleanup(() => db.close());
		const salt = new StateStore(db).salt();
		const old: PriceTable = {source: 'litellm', version: '2026-02-24', models: {'gpt-5': {input: 1.25, output: 10, cacheRead: 0.125}}};
		const tiered: PriceTable = {source: 'litellm', version: '2026-07-24', models: {'gpt-5': {input: 1.25, output: 10, cacheRead: 0.125, serviceTiers: {priority: {input: 2.5, output: 20, cacheRead: 0.25}}}}};
		const record = (tier: string, i: number) =>
			readQueueRecord({...v7Record({at: start + i * 60_000, model: 'gpt-5', provider: 'codex', input: 50_000, cacheRead: 40_000, output: 3000}, '7.0.3'), service_tier: tier, response_service_tier: tier}, salt, start + i * 60_000);
		new UsageWriter(db, zone, salt, new PriceBook([old])).ingest([record('priority', 1), record('default', 2)], start);
		// the old list has no tier prices: both at the standard 47,500 µ$, the priority one saying so
		expect(costs(db, start, start + H)).toMatchObject({n: 2, refs: 'litellm@2026-02-24:gpt-5#priority=standard,litellm@2026-02-24:gpt-5'});
		expect(costs(db, start, start + H).cost).toBeCloseTo(2 * 0.0475, 12);

		const result = repriceRange(db, new PriceBook([tiered]), zone, start, start + H);
		// priority: 10,000×2.5 + 40,000×0.25 + 3,000×20 = 95,000 µ$; standard stays 47,500 µ$
		expect(result).toMatchObject({requests: 2, changed: 2});
		const after = db.prepare('SELECT service_tier, cost_usd, price_ref FROM requests_full ORDER BY ts').all() as Array<{service_tier: string; cost_usd: number; price_ref: string}>;
		expect(after.map(r => [r.service_tier, r.price_ref])).toEqual([
			['priority', 'litellm@2026-07-24:gpt-5#priority'],
			['default', 'litellm@2026-07-24:gpt-5'],
		]);
		expect(after[0]!.cost_usd).toBeCloseTo(0.095, 12);
		expect(after[1]!.cost_usd).toBeCloseTo(0.0475, 12);
	});
});
