import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/core/time/zone.js';
import {VOCABULARY_SQL} from '../../source/core/report/vocabulary.js';
import {dailyDateSpan, readDailyStats} from '../../source/store/daily-stats.js';
import {readModelTotals} from '../../source/store/model-totals.js';
import {seededDb, spreadRecords} from '../support/seed.js';

const kolkata: Zone = {kind: 'iana', name: 'Asia/Kolkata'}; // UTC+5:30: midnights inside UTC hours
const start = Date.parse('2026-10-20T00:00:00Z');
const end = Date.parse('2026-11-03T00:00:00Z');

function seeded() {
	const s = seededDb(kolkata);
	const records = spreadRecords(s.salt, start, end, 3000);
	for (let i = 0; i < records.length; i += 250) s.writer.ingest(records.slice(i, i + 250), end);
	return s;
}

/** Sums straight from the request rows, days in Kolkata. */
function bruteForce(db: ReturnType<typeof seeded>['db'], where: string, ...params: unknown[]) {
	return db
		.prepare(
			`SELECT date(ts / 1000, 'unixepoch', '+330 minutes') AS d, count(*) AS requests, sum(failed) AS failed, sum(total_tokens) AS tokens,
				round(sum(cost_usd), 6) AS cost, sum(cost_estimated) AS estimated
			FROM requests_full WHERE ${where} GROUP BY d ORDER BY d`,
		)
		.all(...params) as Array<{d: string; requests: number; failed: number; tokens: number; cost: number; estimated: number}>;
}

describe('readDailyStats', () => {
	it('gives daily_stats rows in the original shape, dates inclusive', () => {
		const {db} = seeded();
		const rows = readDailyStats(db, kolkata, {from: '2026-10-25', to: '2026-10-27'}, end);
		expect(rows.map(r => r.stat_date)).toEqual(['2026-10-25', '2026-10-26', '2026-10-27']);
		expect(Object.keys(rows[0]!)).toEqual(['id', 'stat_date', 'total_requests', 'success_count', 'failure_count', 'total_tokens', 'estimated_cost_usd', 'estimated_requests', 'breakdown', 'updated_at', 'rate_limited', 'cancelled', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens']);
		expect(rows[0]!.id).toBe(20261025);
		// Stamped with the end of the day's newest five minutes of usage.
		const dayStart = Date.parse('2026-10-25T00:00:00+05:30');
		const newest = (db.prepare('SELECT max(ts) AS t FROM requests WHERE ts >= ? AND ts < ?').get(dayStart, dayStart + 86_400_000) as {t: number}).t;
		expect(rows[0]!.updated_at).toBe(new Date(Math.floor(newest / 300_000) * 300_000 + 300_000).toISOString());
		expect(Object.keys(rows[0]!.breakdown)).toEqual(['models', 'endpoints']);
		const brute = bruteForce(db, '1');
		expect(readDailyStats(db, kolkata, {from: null, to: null}, end).map(r => [r.stat_date, r.total_requests, r.failure_count, r.total_tokens, r.estimated_cost_usd, r.estimated_requests])).toEqual(
			brute.map(b => [b.d, b.requests, b.failed, b.tokens, b.cost, b.estimated]),
		);
		expect(dailyDateSpan(db, kolkata)).toEqual({first: brute[0]!.d, last: brute.at(-1)!.d});
	});
});

describe('readDailyStats with a model pattern', () => {
	it('keeps only matching models, with totals exact per local day', () => {
		const {db} = seeded();
		const days = readDailyStats(db, kolkata, {from: null, to: null}, end, 'GPT');
		const brute = bruteForce(db, "model LIKE '%gpt%'");
		expect(days.map(d => [d.stat_date, d.total_requests, d.failure_count, d.success_count + d.failure_count, d.total_tokens, d.estimated_cost_usd, d.estimated_requests])).toEqual(
			brute.map(b => [b.d, b.requests, b.failed, b.requests, b.tokens, b.cost, b.estimated]),
		);
		for (const d of days) {
			expect(Object.keys(d.breakdown.models)).toEqual(['gpt-5-codex']);
			expect(d.breakdown.models['gpt-5-codex']!.requests).toBe(d.total_requests);
		}
		const mystery = readDailyStats(db, kolkata, {from: '2026-10-25', to: '2026-10-25'}, end, 'mystery');
		expect(mystery).toHaveLength(1);
		expect(mystery[0]!.estimated_requests).toBe(mystery[0]!.total_requests);
		expect(readDailyStats(db, kolkata, {from: null, to: null}, end, 'no-such-model')).toEqual([]);
	});
});

describe('readModelTotals', () => {
	it('is exact over local dates in a half-hour zone', () => {
		const {db} = seeded();
		const kolkataMs = (date: string) => Date.parse(`${date}T00:00:00+05:30`);
		const ranges: Array<[string | null, string | null]> = [
			[null, null],
			['2026-10-22', '2026-10-22'],
			['2026-10-21', '2026-10-30'],
		];
		for (const [from, to] of ranges) {
			const lo = from === null ? 0 : kolkataMs(from);
			const hi = to === null ? 2 ** 47 : kolkataMs(to) + 86_400_000;
			const want = db
				.prepare(
					`SELECT d.provider, d.model, count(*) AS requests, sum(r.failed) AS failed, sum(${VOCABULARY_SQL.input}) AS input_tokens, sum(r.total_tokens) AS total_tokens,
						round(sum(r.cost_usd), 6) AS cost_usd, sum(r.cost_estimated) AS estimated_requests
					FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE r.ts >= ? AND r.ts < ? GROUP BY d.provider, d.model ORDER BY d.model`,
				)
				.all(lo, hi);
			const got = readModelTotals(db, kolkata, {from, to})
				.map(r => ({provider: r.provider, model: r.model, requests: r.requests, failed: r.failed, input_tokens: r.input_tokens, total_tokens: r.total_tokens, cost_usd: r.cost_usd, estimated_requests: r.estimated_requests}))
				.sort((a, b) => a.model.localeCompare(b.model));
			expect(got, `${from}..${to}`).toEqual(want);
		}
		expect(readModelTotals(db, kolkata, {from: null, to: null}, 'sonnet').map(r => r.model)).toEqual(['claude-sonnet-4-5-20250929']);
	});
});
