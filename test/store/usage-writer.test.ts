import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer, UsageRecord} from '../../source/core/cpa/usage-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {dailyRows, storedTotals} from '../support/usage-read.js';
import {onCleanup, tempDir} from '../support/temp.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};

function setup(zone: Zone = berlin, pricer?: Pricer): {db: Db; writer: UsageWriter; salt: string} {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	return {db, writer: new UsageWriter(db, zone, salt, pricer), salt};
}

const rec = (salt: string, spec: Parameters<typeof v7Record>[0]): UsageRecord => readV7(spec, salt);

describe('UsageWriter.ingest', () => {
	it('refuses records that would take the stored token total past 2^53, and keeps the rest of the batch', () => {
		const {db, writer, salt} = setup();
		const at = Date.parse('2026-11-23T10:00:00Z');
		writer.ingest([rec(salt, {at, input: 1000, output: 0})], at);
		// Another process (an import, an older version) has filled the database nearly to the ceiling.
		const other = openDatabase(db.name);
		// 1000 input tokens count twice, as input and as total: room is left for 2000 more.
		other.prepare('INSERT INTO usage_1d (t, series_id, requests, total) VALUES (?, 999, 1, ?)').run(at - 86_400_000, 2 ** 53 - 1 - 2000 - 2000);
		other.close();
		const small = rec(salt, {at: at + 2, input: 100, output: 0});
		const result = writer.ingest([rec(salt, {at: at + 1, input: 0, output: 0}), small, rec(salt, {at: at + 3, input: 999_999, output: 0})], at);
		expect(result).toMatchObject({inserted: 2, refused: [{index: 2, field: 'tokens', problem: expect.stringContaining('past 9,007,199,254,740,991')}]});
		expect(db.prepare('SELECT count(*) n FROM requests').get()).toEqual({n: 3});
		const sum = db.prepare('SELECT sum(input) + sum(cache_read) + sum(cache_write) + sum(output) + sum(reasoning) + sum(total) AS n FROM usage_1d').get() as {n: number};
		expect(sum.n).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
		// A duplicate holds no room: the same small record again is simply a duplicate.
		expect(writer.ingest([small], at)).toMatchObject({duplicates: 1, refused: []});
		expect(writer.ingest([small, rec(salt, {at: at + 4, input: 800, output: 0})], at)).toMatchObject({inserted: 1, duplicates: 1, refused: []});
	});

	it('stores each request once: re-ingesting the same batch adds nothing', () => {
		const {db, writer, salt} = setup();
		const at = Date.parse('2026-11-23T10:00:00Z');
		const batch = [rec(salt, {at}), rec(salt, {at: at + 1}), rec(salt, {at: at + 2, failed: true})];
		expect(writer.ingest(batch, at + 10)).toMatchObject({received: 3, inserted: 3, duplicates: 0, requests: 3, failed: 1});
		expect(writer.ingest(batch, at + 20)).toMatchObject({received: 3, inserted: 0, duplicates: 3, requests: 0});
		expect(db.prepare('SELECT count(*) n FROM requests').get()).toEqual({n: 3});
		expect(dailyRows(db, berlin)).toMatchObject([{total_requests: 3, success_count: 2, failure_count: 1}]);
		expect(storedTotals(db)).toMatchObject({requests: 3, failed: 1});
	});

	it('keeps two requests that share an 8-hex request id apart', () => {
		const {db, writer, salt} = setup();
		const at = Date.parse('2026-11-23T10:00:00Z');
		writer.ingest([rec(salt, {at, requestId: 'cafebabe'}), rec(salt, {at, requestId: 'cafebabe', output: 201})], at);
		expect(db.prepare('SELECT count(*) n FROM requests').get()).toEqual({n: 2});
	});

	it('stores no raw client key anywhere in the file', () => {
		const {db, writer, salt} = setup();
		const at = Date.parse('2026-11-23T10:00:00Z');
		writer.ingest([rec(salt, {at, apiKey: 'sk-RAWSECRETVALUE-abcdef123456'})], at);
		const file = db.name;
		const bytes = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
		expect(bytes.includes('RAWSECRETVALUE')).toBe(false);
		expect(bytes.includes('sk-…3456')).toBe(true);
	});

	it('keeps the rollups equal to the raw rows, with days in the zone', () => {
		const {db, writer, salt} = setup();
		const start = Date.parse('2026-10-24T20:00:00Z'); // spans Berlin's fall-back night
		const records: UsageRecord[] = [];
		for (let i = 0; i < 400; i++) {
			records.push(
				rec(salt, {
					at: start + i * 7 * 60_000 + 13,
					model: ['claude-sonnet-4-5', 'gpt-5-codex', 'gemini-2.5-pro'][i % 3],
					provider: ['claude', 'codex', 'gemini'][i % 3],
					input: 100 + i,
					output: 10 + (i % 17),
					reasoning: i % 5,
					cacheRead: i % 7,
					failed: i % 11 === 0,
				}),
			);
		}
		for (let i = 0; i < records.length; i += 37) writer.ingest(records.slice(i, i + 37), start);
		const raw = db.prepare('SELECT count(*) n, sum(total_tokens) t, sum(failed) f, sum(reasoning_tokens) r FROM requests').get();
		const t = storedTotals(db);
		expect({n: t.requests, t: t.total, f: t.failed, r: t.reasoning}).toEqual(raw);
		const days = dailyRows(db, berlin);
		const rawDays = db
			.prepare(
				"SELECT date(ts / 1000, 'unixepoch', CASE WHEN ts < ? THEN '+2 hours' ELSE '+1 hour' END) d, count(*) n, sum(failed) f, sum(total_tokens) t FROM requests GROUP BY d ORDER BY d",
			)
			.all(Date.parse('2026-10-25T01:00:00Z')) as Array<{d: string; n: number; f: number; t: number}>;
		expect(days.map(d => [d.stat_date, d.total_requests, d.failure_count, d.total_tokens])).toEqual(rawDays.map(d => [d.d, d.n, d.f, d.t]));
		for (const day of days) {
			const b = day.breakdown;
			expect(Object.values(b.models).reduce((s, m) => s + m.requests, 0)).toBe(day.total_requests);
			expect(Object.values(b.models).reduce((s, m) => s + m.tokens, 0)).toBe(day.total_tokens);
			expect(Object.values(b.endpoints).reduce((s, e) => s + e.requests, 0)).toBe(day.total_requests);
			expect(Object.keys(b.endpoints)).toEqual(['sk-…cdef']);
			expect(Object.keys(b.models[Object.keys(b.models)[0]!]!)).toEqual(['requests', 'tokens', 'cost', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cached_tokens', 'cache_read_tokens', 'cache_write_tokens']);
		}
	});

	it('prices at write time and sums cost into the rollups', () => {
		const pricer: Pricer = {
			priceRecord: r => ({costUsd: r.tokens.input * 1e-6, estimated: r.model === 'mystery', ref: 'test'}),
			priceTokenTotal: () => null,
		};
		const {db, writer, salt} = setup(berlin, pricer);
		const at = Date.parse('2026-11-23T10:00:00Z');
		const result = writer.ingest([rec(salt, {at, input: 1_000_000}), rec(salt, {at, model: 'mystery', input: 500_000})], at);
		expect(result.costUsd).toBeCloseTo(1.5, 9);
		expect(result.estimatedRequests).toBe(1);
		expect(dailyRows(db, berlin)).toMatchObject([{estimated_cost_usd: 1.5, estimated_requests: 1}]);
		expect(storedTotals(db)).toMatchObject({cost: 1.5, estimated: 1});
		expect(db.prepare("SELECT cost_usd, cost_estimated, price_ref FROM requests_full WHERE model = 'mystery'").get()).toEqual({cost_usd: 0.5, cost_estimated: 1, price_ref: 'test'});
	});

	it('writes nothing when the transaction fails part-way', () => {
		const {db, writer, salt} = setup();
		const at = Date.parse('2026-11-23T10:00:00Z');
		expect(() =>
			writer.ingest([rec(salt, {at})], at, () => {
				throw new Error('disk full');
			}),
		).toThrow('disk full');
		for (const table of ['requests', 'request_dims', 'series', 'usage_5m', 'usage_1h', 'usage_1d']) {
			expect(db.prepare(`SELECT count(*) n FROM ${table}`).get(), table).toEqual({n: 0});
		}
	});
});
