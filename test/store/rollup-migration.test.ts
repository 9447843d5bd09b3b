import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/core/time/zone.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {readDailyStats} from '../../source/store/daily-stats.js';
import {MIGRATIONS} from '../../source/store/migrations.js';
import {keyBound} from '../../source/store/time-range.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {storedTotals} from '../support/usage-read.js';
import {fiveMinutesFromRows} from './rollup-helpers.js';

const H = 3_600_000;
const base = Date.parse('2026-11-20T00:00:00Z');
const kathmandu: Zone = {kind: 'iana', name: 'Asia/Kathmandu'};

/**
 * A database as version 4 of cliproxy-usage left it: request rows with their dims, the hourly
 * rollup (hourly_stats) summing them, a legacy counter delta, and two hours whose rows
 * `db prune` deleted, so only hourly_stats remembers them.
 */
function version4(file: string): void {
	const db = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 4)});
	const dims: Array<[string, string, string, string | null, string]> = [
		// provider, executor, model, client key, auth index
		['claude', 'ClaudeExecutor', 'claude-sonnet-4-5', 'sk-…cdef', 'acct-a'],
		['codex', 'CodexExecutor', 'gpt-5-codex', null, 'acct-b'],
		['gemini', 'GeminiExecutor', 'gemini-2.5-pro', 'sk-…9999', 'acct-c'],
	];
	const insertDim = db.prepare("INSERT INTO request_dims (signature, origin, provider, executor_type, model, endpoint, client_key, auth_index, service_tier) VALUES (?, 'queue', ?, ?, ?, 'POST /v1/messages', ?, ?, ?)");
	dims.forEach(([p, e, m, k, a], i) => insertDim.run(`sig-${i}`, p, e, m, k, a, i === 1 ? 'priority' : null));
	const insert = db.prepare(`INSERT INTO requests (dedupe_key, ts, dim_id, failed, status_code, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, total_tokens, cost_usd, cost_estimated, collected_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
	const hourly = new Map<string, Record<string, number>>();
	for (let i = 0; i < 900; i++) {
		const ts = base + 4 * H + i * 191_000 + (i % 7);
		const dim = (i % 3) + 1;
		const status = i % 13 === 0 ? [429, 499, 500, 504][i % 4]! : 200;
		const input = 1000 + i;
		const cached = i % 2 ? 400 : 0;
		const key = keyBound(ts);
		key.writeUInt32BE(i, 8);
		const t = [input, 100, i % 5, cached, dim === 1 ? cached : 0, input + 100];
		insert.run(key, ts, dim, status === 200 ? 0 : 1, status, ...t, 0.001 * (i % 10), i % 11 === 0 ? 1 : 0, ts);
		const h = `${ts - (ts % H)}|${dims[dim - 1]![0]}|${dims[dim - 1]![2]}`;
		const row = hourly.get(h) ?? {requests: 0, failed: 0, input: 0, output: 0, reasoning: 0, cached: 0, cache_read: 0, total: 0, cost: 0, estimated: 0};
		row.requests! += 1;
		row.failed! += status === 200 ? 0 : 1;
		row.input! += t[0]!;
		row.output! += t[1]!;
		row.reasoning! += t[2]!;
		row.cached! += t[3]!;
		row.cache_read! += t[4]!;
		row.total! += t[5]!;
		row.cost! += 0.001 * (i % 10);
		row.estimated! += i % 11 === 0 ? 1 : 0;
		hourly.set(h, row);
	}
	// Pruned: two hours the rows are gone from.
	hourly.set(`${base}|claude|claude-sonnet-4-5`, {requests: 30, failed: 2, input: 30_000, output: 3_000, reasoning: 0, cached: 9_000, cache_read: 9_000, total: 33_000, cost: 0.5, estimated: 0});
	hourly.set(`${base + H}|codex|gpt-5-codex`, {requests: 20, failed: 0, input: 40_000, output: 2_000, reasoning: 100, cached: 10_000, cache_read: 0, total: 42_000, cost: 0.25, estimated: 1});
	// A counter delta over 40 minutes, in hourly_stats as the old writer spread it (all in one hour).
	db.prepare("INSERT INTO counter_deltas (interval_start, interval_end, api, model, requests, total_tokens, cost_usd, collected_at) VALUES (?, ?, 'POST /v1/chat/completions', 'gpt-4o', 8, 8000, 0.02, ?)").run(base + 10 * H, base + 10 * H + 40 * 60_000, base);
	hourly.set(`${base + 10 * H}||gpt-4o`, {requests: 8, failed: 0, input: 0, output: 0, reasoning: 0, cached: 0, cache_read: 0, total: 8000, cost: 0.02, estimated: 8});
	const hour = db.prepare(`INSERT INTO hourly_stats (hour_start, provider, model, requests, failed, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, total_tokens, cost_usd, estimated_requests)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
	for (const [k, r] of hourly) {
		const [t, p, m] = k.split('|');
		hour.run(Number(t), p, m, r.requests, r.failed, r.input, r.output, r.reasoning, r.cached, r.cache_read, r.total, r.cost, r.estimated);
	}
	db.prepare("INSERT INTO daily_stats (stat_date, total_requests, updated_at) VALUES ('2026-11-20', 958, 0)").run();
	db.close();
}

const tables = (db: Db) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{name: string}>).map(t => t.name);

describe('migration 6', () => {
	it("fills the rollups from version 4's rows, keeps what pruned hours held, and drops the tables they replace", () => {
		const file = join(tempDir(), 'c.db');
		version4(file);
		const db = openDatabase(file, {migrations: MIGRATIONS.filter(m => m.version <= 6)});
		onCleanup(() => db.close());
		expect(db.pragma('user_version', {simple: true})).toBe(6);
		expect(tables(db)).toEqual(expect.arrayContaining(['series', 'usage_5m', 'usage_1h', 'usage_1d']));
		for (const gone of ['hourly_stats', 'daily_stats', 'daily_model_stats', 'account_hourly_stats', 'account_daily_stats']) expect(tables(db)).not.toContain(gone);

		// Every dims row has its family and series; the priority request's series says so.
		expect(db.prepare('SELECT d.family, s.provider, s.api, s.auth_index, s.tier FROM request_dims d JOIN series s ON s.id = d.series_id ORDER BY d.id').all()).toEqual([
			{family: 'claude', provider: 'claude', api: 'sk-…cdef', auth_index: 'acct-a', tier: ''},
			{family: 'openai', provider: 'codex', api: 'POST /v1/messages', auth_index: 'acct-b', tier: 'priority'},
			{family: 'gemini', provider: 'gemini', api: 'sk-…9999', auth_index: 'acct-c', tier: ''},
		]);
		// Where the rows are, the 5-minute rollups are exactly their sums, 429s and cancels apart.
		const own = (db.prepare('SELECT t, series_id, requests, failed, rate_limited, cancelled, input, cache_read, cache_write, output, reasoning, total, round(cost, 9) AS cost, estimated FROM usage_5m WHERE t >= ? ORDER BY t, series_id').all(base + 4 * H) as Array<Record<string, number>>).filter(r => r['t']! < base + 10 * H || r['t']! >= base + 11 * H);
		expect(own).toEqual(fiveMinutesFromRows(db).filter(r => r['t']! < base + 10 * H || r['t']! >= base + 11 * H));
		expect(own.some(r => r['rate_limited']! > 0) && own.some(r => r['cancelled']! > 0)).toBe(true);

		// All of it: the rows, the delta spread over its 40 minutes, the two pruned hours.
		const rows = db.prepare('SELECT count(*) n, sum(total_tokens) t FROM requests').get() as {n: number; t: number};
		const totals = storedTotals(db);
		expect(totals.requests).toBe(rows.n + 8 + 30 + 20);
		expect(totals.total).toBe(rows.t + 8000 + 33_000 + 42_000);
		expect(db.prepare("SELECT count(*) n, sum(u.requests) r FROM usage_5m u JOIN series s ON s.id = u.series_id WHERE s.model = 'gpt-4o' AND u.t >= ? AND u.t < ?").get(base + 10 * H, base + 10 * H + 40 * 60_000)).toEqual({n: 8, r: 8});
		// The pruned hours, in the vocabulary: Codex's input less its cache.
		const pruned = db.prepare("SELECT s.provider, s.api, u.requests, u.input, u.cache_read, u.output, u.total FROM usage_1h u JOIN series s ON s.id = u.series_id WHERE u.t < ? ORDER BY u.t").all(base + 4 * H);
		expect(pruned).toEqual([
			{provider: 'claude', api: 'unknown', requests: 30, input: 30_000, cache_read: 9_000, output: 3_000, total: 33_000},
			{provider: 'codex', api: 'unknown', requests: 20, input: 30_000, cache_read: 10_000, output: 2_000, total: 42_000},
		]);
		// The minutes: every row of the last eight days of history, from where no pruned hour is left.
		const from = Number((db.prepare("SELECT value FROM collector_state WHERE key = 'minute_rollup_from_ms'").get() as {value: string}).value);
		expect(from).toBe(base + 2 * H);
		expect(db.prepare('SELECT sum(requests) n FROM usage_1m').get()).toEqual({n: rows.n + 8});
		// And the day reads in any zone now, the old daily_stats row no longer consulted.
		const days = readDailyStats(db, kathmandu, {from: null, to: null}, base + 2 * 86_400_000);
		expect(days.reduce((n, d) => n + d.total_requests, 0)).toBe(totals.requests);
		expect(days.map(d => d.stat_date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
	});
});
