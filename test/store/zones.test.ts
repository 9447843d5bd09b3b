import {describe, expect, it} from 'vitest';
import {periodRows} from '../../source/core/report/period-report.js';
import {periodRange} from '../../source/core/time/periods.js';
import type {Zone} from '../../source/core/time/zone.js';
import {accountUsage} from '../../source/store/account-usage.js';
import {dailyDateSpan, readDailyStats} from '../../source/store/daily-stats.js';
import {modelBreakdown, todayTotals} from '../../source/store/dashboard-queries.js';
import {readModelTotals} from '../../source/store/model-totals.js';
import {usageByModel} from '../../source/store/range-usage.js';
import {readDayTotals} from '../../source/store/usage-queries.js';
import {readV7} from '../support/fixtures.js';
import {MODELS, seededDb} from '../support/seed.js';

const ZONES = ['UTC', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'America/St_Johns', 'Europe/Berlin'];
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The local date of an instant, by the platform's own tz database: nothing of ours in the way. */
function dateIn(zone: string, at: number): string {
	return new Intl.DateTimeFormat('en-CA', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit'}).format(at);
}

/** Local midnight of a date, found by search over the platform's dates (independent of core/time). */
function midnightIn(zone: string, date: string): number {
	let lo = Date.parse(`${date}T00:00:00Z`) - 15 * 3_600_000;
	let hi = lo + 30 * 3_600_000;
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (dateIn(zone, mid) >= date) hi = mid;
		else lo = mid;
	}
	return hi;
}

/**
 * Written once, by a collector in UTC: requests through both DST changes of Berlin (29 March,
 * 25 October 2026) and St John's (8 March, 1 November), with some at and one millisecond
 * either side of every zone's midnights, failed ones of each kind, four accounts.
 */
function history() {
	const s = seededDb({kind: 'iana', name: 'UTC'});
	const times: number[] = [];
	for (const [from, to] of [
		['2026-03-05', '2026-03-10'],
		['2026-03-27', '2026-03-31'],
		['2026-10-23', '2026-10-27'],
		['2026-10-30', '2026-11-03'],
	] as const) {
		const start = Date.parse(`${from}T00:00:00Z`);
		const end = Date.parse(`${to}T00:00:00Z`);
		for (let at = start, i = 0; at < end; i++) {
			times.push(at);
			at += 7 * MINUTE + ((i * 7919) % 997) * 1000 + (i % 13);
		}
		for (let d = start; d < end; d += DAY) {
			for (const zone of ZONES) {
				const m = midnightIn(zone, dateIn(zone, d + 12 * 3_600_000));
				times.push(m - 1, m, m + 1);
			}
		}
	}
	const records = times.map((at, i) => {
		const [provider, model] = MODELS[i % MODELS.length]!;
		const status = i % 17 === 0 ? [500, 429, 499, 504][i % 4]! : 200;
		return readV7({at, provider, model, input: 300 + (i % 911), output: 20 + (i % 97), reasoning: i % 5, cacheRead: i % 3 ? 0 : 120, failed: status !== 200, statusCode: status, authIndex: `acct${i % 4}000000000000`, apiKey: `sk-client-${i % 2}-0123456789abcdef`}, s.salt);
	});
	for (let i = 0; i < records.length; i += 400) s.writer.ingest(records.slice(i, i + 400), Date.parse('2026-11-05T00:00:00Z'));
	return s;
}

type Raw = {ts: number; failed: number; status_code: number; total_tokens: number; cost_usd: number; cost_estimated: number; model: string; auth_index: string};

function written() {
	const {db} = history();
	return {db, raw: db.prepare('SELECT ts, failed, status_code, total_tokens, cost_usd, cost_estimated, model, auth_index FROM requests_full').all() as Raw[]};
}

describe('the same history read in five zones', () => {
	it.each(ZONES)('%s: per-day totals equal an independent bucketing of the raw rows, across both DST days', name => {
		const zone: Zone = {kind: 'iana', name};
		const {db, raw} = written();
		const want = new Map<string, {requests: number; failed: number; rateLimited: number; cancelled: number; tokens: number; cost: number; estimated: number}>();
		for (const r of raw) {
			const d = dateIn(name, r.ts);
			const day = want.get(d) ?? {requests: 0, failed: 0, rateLimited: 0, cancelled: 0, tokens: 0, cost: 0, estimated: 0};
			day.requests++;
			day.failed += r.failed;
			if (r.status_code === 429) day.rateLimited++;
			if (r.status_code === 499 || r.status_code === 504) day.cancelled++;
			day.tokens += r.total_tokens;
			day.cost += r.cost_usd;
			day.estimated += r.cost_estimated;
			want.set(d, day);
		}
		const expected = [...want].sort(([a], [b]) => a.localeCompare(b)).map(([d, t]) => [d, t.requests, t.failed, t.rateLimited, t.cancelled, t.tokens, Math.round(t.cost * 1e6) / 1e6, t.estimated]);
		const days = readDailyStats(db, zone, {from: null, to: null}, Date.parse('2026-11-05T00:00:00Z'));
		expect(days.map(d => [d.stat_date, d.total_requests, d.failure_count, d.rate_limited, d.cancelled, d.total_tokens, d.estimated_cost_usd, d.estimated_requests])).toEqual(expected);
		// The 23- and 25-hour days are there, and a day holds the request at its own midnight, not the one a millisecond before.
		expect(days.length).toBeGreaterThan(20);
		expect(dailyDateSpan(db, zone)).toEqual({first: expected[0]![0], last: expected.at(-1)![0]});
		for (const e of expected) expect(readDayTotals(db, zone, e[0] as string).requests, e[0] as string).toBe(e[1]);
	});

	it.each(ZONES)('%s: every view of one range agrees (days, weeks, months, models, accounts, the dashboard)', name => {
		const zone: Zone = {kind: 'iana', name};
		const {db, raw} = written();
		for (const range of [
			{from: '2026-03-08', to: '2026-03-08'},
			{from: '2026-03-28', to: '2026-03-30'},
			{from: '2026-10-24', to: '2026-11-02'},
		]) {
			const days = readDailyStats(db, zone, range, Date.parse('2026-11-05T00:00:00Z'));
			const requests = days.reduce((n, d) => n + d.total_requests, 0);
			const cost = Math.round(days.reduce((n, d) => n + d.estimated_cost_usd, 0) * 1e4);
			const models = readModelTotals(db, zone, range);
			expect(models.reduce((n, m) => n + m.requests, 0), `${name} ${range.from} models`).toBe(requests);
			expect(Math.round(models.reduce((n, m) => n + m.cost_usd, 0) * 1e4)).toBe(cost);
			for (const kind of ['weekly', 'monthly'] as const) expect(periodRows(kind, days, range).reduce((n, p) => n + p.total_requests, 0), kind).toBe(requests);
			const start = midnightIn(name, range.from);
			const end = midnightIn(name, new Date(Date.parse(`${range.to}T12:00:00Z`) + DAY).toISOString().slice(0, 10));
			expect(usageByModel(db, start, end).reduce((n, m) => n + m.requests, 0)).toBe(requests);
			expect([...accountUsage(db, start, end).values()].reduce((n, a) => n + a.requests, 0)).toBe(requests);
			expect(raw.filter(r => r.ts >= start && r.ts < end).length).toBe(requests);
			// Token columns agree too: the daily shape's top-level vocabulary is its models' sum.
			const input = days.reduce((n, d) => n + d.input_tokens, 0);
			expect(models.reduce((n, m) => n + m.input_tokens, 0)).toBe(input);
		}
		// The dashboard at a local noon: today so far, and the period's model breakdown.
		const noon = midnightIn(name, '2026-10-25') + 12 * 3_600_000;
		const today = todayTotals(db, zone, noon);
		const {start} = periodRange('today', zone, noon);
		expect(today.requests).toBe(raw.filter(r => r.ts >= start && r.ts <= noon).length);
		expect(modelBreakdown(db, zone, noon, 'today').reduce((n, m) => n + m.requests, 0)).toBe(today.requests);
	});
});
