import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {openDatabase} from '../../source/store/database.js';
import {usageByModel} from '../../source/store/range-usage.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const H = 3_600_000;
const base = Date.parse('2026-11-23T00:00:00Z');
const pricer: Pricer = {priceRecord: r => ({costUsd: r.tokens.input / 1e6, estimated: r.model === 'mystery', ref: 't'}), priceTokenTotal: (_m, tok) => ({costUsd: tok / 1e6, estimated: true, ref: 't'})};

function seeded() {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, pricer);
	const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'mystery'];
	const records = [];
	for (let i = 0; i < 900; i++) {
		records.push(readV7({at: base + Math.floor((i * 7919) % (10 * H)), model: models[i % 3], provider: ['claude', 'codex', 'x'][i % 3], input: 100 + i, output: i % 50, failed: i % 13 === 0}, salt));
	}
	writer.ingest(records, base);
	return {db, writer};
}

function bruteForce(db: ReturnType<typeof seeded>['db'], start: number, end: number) {
	return db
		.prepare(
			`SELECT coalesce(provider, '') provider, model, count(*) requests, sum(failed) failed, sum(input_tokens) inputTokens, sum(total_tokens) totalTokens,
			 sum(cost_usd) costUsd, sum(cost_estimated) estimatedRequests FROM requests_full WHERE ts >= ? AND ts < ? GROUP BY provider, model ORDER BY model`,
		)
		.all(start, end);
}

describe('usageByModel', () => {
	it('equals a sum over the raw rows for ranges aligned to hours and not', () => {
		const {db} = seeded();
		const ranges: Array<[number, number]> = [
			[base, base + 10 * H],
			[base + 0.5 * H, base + 3.25 * H],
			[base + 1.1 * H, base + 1.2 * H],
			[base + 2 * H, base + 2 * H + 1],
			[base + 7 * H + 123, base + 12 * H],
			[base - H, base + H / 3],
		];
		for (const [start, end] of ranges) {
			const got = usageByModel(db, start, end)
				.map(u => ({provider: u.provider, model: u.model, requests: u.requests, failed: u.failed, inputTokens: u.inputTokens, totalTokens: u.totalTokens, costUsd: u.costUsd, estimatedRequests: u.estimatedRequests}))
				.sort((a, b) => a.model.localeCompare(b.model));
			const want = bruteForce(db, start, end) as typeof got;
			expect(got.map(g => ({...g, costUsd: Math.round(g.costUsd * 1e9)}))).toEqual(want.map(w => ({...w, costUsd: Math.round(w.costUsd * 1e9)})));
		}
	});

	it('counts legacy counter deltas in proportion to the overlap', () => {
		const {db, writer} = seeded();
		writer.ingest([], base, batch =>
			writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/chat/completions', model: 'gpt-4o', requests: 100, tokens: 40_000}], {start: base + 20 * H, end: base + 24 * H}, base),
		);
		const byModel = (start: number, end: number) => usageByModel(db, start, end).find(u => u.model === 'gpt-4o');
		expect(byModel(base + 20 * H, base + 24 * H)).toMatchObject({requests: 100, totalTokens: 40_000, estimatedRequests: 100});
		expect(byModel(base + 20 * H, base + 22 * H)).toMatchObject({requests: 50, totalTokens: 20_000});
		// 12.5 requests' worth, in whole requests as the 5-minute buckets hold them.
		const half = byModel(base + 20.5 * H, base + 21 * H)!;
		expect(half.totalTokens).toBe(5000);
		expect([12, 13]).toContain(half.requests);
		// Off the 5-minute grid: the overlap's share, to the request.
		expect(byModel(base + 20 * H + 60_000, base + 20 * H + 61_000)!.totalTokens).toBeCloseTo(40_000 / (4 * 3600), 6);
		expect(byModel(base + 30 * H, base + 31 * H)).toBeUndefined();
	});

	it('returns nothing for an empty range', () => {
		const {db} = seeded();
		expect(usageByModel(db, base + H, base + H)).toEqual([]);
	});
});
