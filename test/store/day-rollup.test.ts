import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {MIGRATIONS} from '../../source/store/migrations.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const H = 3_600_000;
const base = Date.parse('2026-11-20T00:00:00Z');
const pricer: Pricer = {priceRecord: r => ({costUsd: r.tokens.input / 1e6, estimated: r.model === 'mystery', ref: 't'}), priceTokenTotal: (_m, tok) => ({costUsd: tok / 1e6, estimated: true, ref: 't'})};
const COLUMNS = 'requests, failed, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cache_read_tokens, cache_creation_tokens, total_tokens, estimated_requests';

function ingestDays(db: Db, offset: number): void {
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, {kind: 'iana', name: 'Europe/Berlin'}, salt, pricer);
	const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'mystery'];
	// Two batches over the same hours: the second goes through the rollups' ON CONFLICT update path.
	for (let batch = 0; batch < 2; batch++) {
		const records = [];
		for (let i = 0; i < 500; i++) records.push(readV7({at: base + offset + ((i * 7_919_000 + batch * 104_729_000) % (72 * H)), model: models[i % 3], provider: ['claude', 'codex', 'x'][i % 3], input: 100 + i, failed: i % 9 === 0, statusCode: i % 9 === 0 ? (i % 2 ? 429 : 500) : 200, authIndex: ['a1a1a1a1a1a1a1a1', 'b2b2b2b2b2b2b2b2', 'c3c3c3c3c3c3c3c3'][i % 3 === 0 ? (i / 3) % 3 : 0]}, salt));
		writer.ingest(records, base);
	}
	writer.ingest([], base, b => writer.addCounterDeltas(b, [{arrayId: 'a', apiLabel: 'x', model: 'gpt-4o', requests: 50, tokens: 9000}], {start: base + offset + 20 * H, end: base + offset + 30 * H}, base));
}

function perDayFromHours(db: Db) {
	return db.prepare(`SELECT hour_start - hour_start % 86400000 AS day_start, provider, model, ${COLUMNS.split(', ').map(c => `sum(${c}) AS ${c}`).join(', ')}, round(sum(cost_usd), 9) AS cost
		FROM hourly_stats GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`).all();
}

function dayTable(db: Db) {
	return db.prepare(`SELECT day_start, provider, model, ${COLUMNS}, round(cost_usd, 9) AS cost FROM daily_model_stats ORDER BY 1, 2, 3`).all();
}

describe('daily_model_stats', () => {
	it('equals hourly_stats summed per UTC day through inserts, upserts and deletes', () => {
		const db = openDatabase(join(tempDir(), 'c.db'));
		onCleanup(() => db.close());
		ingestDays(db, 0);
		expect(dayTable(db)).toEqual(perDayFromHours(db));
		expect(dayTable(db).length).toBeGreaterThan(9);
		db.prepare('DELETE FROM hourly_stats WHERE hour_start = ?').run(base + 25 * H);
		db.prepare("UPDATE hourly_stats SET hour_start = hour_start + 10 * 86400000 WHERE hour_start = ? AND model = 'mystery'").run(base + 26 * H);
		const perDay = perDayFromHours(db);
		const days = (dayTable(db) as Array<Record<string, number>>).filter(r => r['requests'] !== 0 || r['total_tokens'] !== 0);
		expect(days).toEqual(perDay);
	});

	it('is filled from existing hourly rows when migration 3 runs', () => {
		const file = join(tempDir(), 'c.db');
		const full = openDatabase(file);
		ingestDays(full, 5 * H);
		const before = perDayFromHours(full);
		downgradeTo(full, 2);
		full.close();
		const db = openDatabase(file);
		onCleanup(() => db.close());
		expect(dayTable(db)).toEqual(before);
	});
});

describe('account rollups', () => {
	const perAccount = (db: Db) =>
		db.prepare(`SELECT r.ts - r.ts % ${H} AS hour_start, d.auth_index, count(*) AS requests, sum(r.failed AND coalesce(r.status_code, 0) <> 429) AS failed,
			sum(r.status_code = 429) AS rate_limited, sum(r.total_tokens) AS total_tokens, round(sum(r.cost_usd), 9) AS cost
			FROM requests r JOIN request_dims d ON d.id = r.dim_id GROUP BY 1, 2 ORDER BY 1, 2`).all();
	const table = (db: Db) => db.prepare('SELECT hour_start, auth_index, requests, failed, rate_limited, total_tokens, round(cost_usd, 9) AS cost FROM account_hourly_stats ORDER BY 1, 2').all();

	it('equal the request rows per hour and credential, whether written by the writer or filled by migration 4', () => {
		const file = join(tempDir(), 'c.db');
		const db = openDatabase(file);
		ingestDays(db, 0);
		const expected = perAccount(db);
		expect(expected.length).toBeGreaterThan(60);
		expect(table(db)).toEqual(expected);
		const days = db.prepare('SELECT day_start, auth_index, requests, rate_limited FROM account_daily_stats ORDER BY 1, 2').all();
		expect(days).toEqual(db.prepare(`SELECT hour_start - hour_start % 86400000 AS day_start, auth_index, sum(requests) AS requests, sum(rate_limited) AS rate_limited FROM account_hourly_stats GROUP BY 1, 2 ORDER BY 1, 2`).all());
		downgradeTo(db, 3);
		db.close();
		const again = openDatabase(file);
		onCleanup(() => again.close());
		expect(table(again)).toEqual(expected);
		expect(again.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({n: 3});
	});
});

/** Drops what migrations after `version` created, as a database of that version had it. */
function downgradeTo(db: Db, version: number): void {
	const names: Record<number, string[]> = {
		3: ['TABLE rate_limit_status', 'TABLE rate_limit_configs', 'TABLE daily_model_stats', 'TRIGGER hourly_stats_day_insert', 'TRIGGER hourly_stats_day_update', 'TRIGGER hourly_stats_day_delete'],
		4: ['TABLE accounts', 'TABLE account_model_states', 'TABLE quota_windows', 'TABLE quota_polls', 'TABLE account_daily_stats', 'TABLE account_hourly_stats'],
	};
	for (const v of [4, 3]) if (v > version) for (const n of names[v]!) db.exec(`DROP ${n}`);
	db.pragma(`user_version = ${version}`);
}
