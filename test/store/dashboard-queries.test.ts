import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readDashboard} from '../../source/app/dashboard-data.js';
import {EventBus} from '../../source/collector/event-bus.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {modelBreakdown, todayTotals} from '../../source/store/dashboard-queries.js';
import {openDatabase} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const H = 3_600_000;
const now = Date.parse('2026-11-23T10:17:00Z');
const pricer: Pricer = {priceRecord: r => ({costUsd: r.tokens.total / 1e6, estimated: r.model === 'mystery', ref: 'x'}), priceTokenTotal: () => null};

function seeded() {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, berlin, salt, pricer);
	const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'mystery'];
	const records = [];
	// 3 days before now, one request every 7.3 minutes.
	for (let i = 0, at = now - 72 * H; at <= now + 5 * H; i++, at += 438_000) {
		const failed = i % 11 === 0;
		records.push(readV7({at, model: models[i % 3], provider: ['claude', 'codex', 'x'][i % 3], input: 100 + i, output: i % 40, failed, statusCode: failed ? [500, 429, 499, 504][i % 4] : 200}, salt));
	}
	writer.ingest(records, now);
	return db;
}

function brute(db: ReturnType<typeof seeded>, start: number, end: number) {
	return db
		.prepare(
			'SELECT count(*) requests, sum(failed) failed, sum(failed AND status_code = 429) rate_limited, sum(failed AND status_code IN (499, 504)) cancelled, sum(total_tokens) tokens, sum(cost_usd) cost, sum(cost_estimated) estimated FROM requests_full WHERE ts >= ? AND ts < ?',
		)
		.get(start, end) as Record<string, number>;
}

describe('dashboard queries', () => {
	it("give today's exact totals since local midnight, excluding anything after now", () => {
		const db = seeded();
		const start = Date.parse('2026-11-22T23:00:00Z');
		const want = brute(db, start, now + 1);
		const got = todayTotals(db, berlin, now);
		expect(got).toEqual({
			date: '2026-11-23',
			requests: want['requests'],
			failed: want['failed'],
			rate_limited: want['rate_limited'],
			cancelled: want['cancelled'],
			success_rate: (want['requests']! - want['failed']!) / want['requests']!,
			tokens: want['tokens'],
			cost_usd: Math.round(want['cost']! * 1e6) / 1e6,
			estimated_requests: want['estimated'],
		});
		expect(got.requests).toBeGreaterThan(80);
		expect(got.rate_limited).toBeGreaterThan(0);
		expect(got.cancelled).toBeGreaterThan(0);
		expect(todayTotals(db, berlin, Date.parse('2026-12-01T10:00:00Z')).success_rate).toBeNull();
	});

	it('break usage down by model for yesterday', () => {
		const db = seeded();
		const rows = modelBreakdown(db, berlin, now, 'yesterday');
		const start = Date.parse('2026-11-21T23:00:00Z');
		expect(rows.reduce((n, r) => n + r.requests, 0)).toBe(brute(db, start, start + 24 * H)['requests']);
		expect(rows.map(r => r.model).sort()).toEqual(['claude-sonnet-4-5', 'gpt-5-codex', 'mystery']);
	});

	it('read a whole screenful at one instant, gauges equal to LimitsService.list()', () => {
		const db = seeded();
		const limits = new LimitsService(db, berlin, new EventBus(), () => now);
		limits.add({provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'daily', token_limit: 1_000_000});
		limits.add({provider: 'All', tier_name: 'budget', model_pattern: '*', strategy: 'rolling', window_minutes: 300, cost_limit_usd: 1});
		const data = readDashboard({db, zone: berlin, limits}, now, '7d');
		expect(data.today).toEqual(todayTotals(db, berlin, now));
		expect(data.models.map(({share: _share, ...m}) => m)).toEqual(modelBreakdown(db, berlin, now, '7d'));
		expect(data.models.reduce((sum, m) => sum + m.share, 0)).toBeCloseTo(1, 9);
		expect(data.gauges).toEqual(limits.list());
		expect(data.gauges[0]!.usage.requests).toBe(modelBreakdown(db, berlin, now, 'today').find(m => m.model === 'claude-sonnet-4-5')!.requests);
	});
});
