import {join} from 'node:path';
import {expect} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer, UsageRecord} from '../../source/core/cpa/usage-record.js';
import type {Zone} from '../../source/core/time/zone.js';
import {openDatabase, type Db} from '../../source/store/database.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {VOCABULARY_SQL} from '../../source/core/report/vocabulary.js';
import {v7Record} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

export const H = 3_600_000;
const pricer: Pricer = {
	priceRecord: r => ({costUsd: (r.tokens.input * 3 + r.tokens.output * 15) / 1e6, estimated: r.model === 'mystery', ref: 'test@1:x'}),
	priceTokenTotal: (_m, tokens) => ({costUsd: (tokens * 3) / 1e6, estimated: true, ref: 'test@1:x'}),
};

/** A database filled the normal way: many small batches, a counter delta spread over hours, days in `zone`. */
export function filled(zone: Zone, start: number): {db: Db; writer: UsageWriter} {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, zone, salt, pricer);
	const records: UsageRecord[] = [];
	for (let i = 0; i < 600; i++) {
		records.push(
			readQueueRecord(
				v7Record({
					at: start + i * 6 * 60_000 + ((i * 7919) % 60_000),
					model: ['claude-sonnet-4-5', 'gpt-5-codex', 'mystery'][i % 3],
					provider: ['claude', 'codex', 'x'][i % 3],
					apiKey: `sk-client-${i % 2}-0123456789abcdef`,
					input: 100 + i,
					output: 10 + (i % 17),
					reasoning: i % 5,
					cacheRead: i % 7,
					failed: i % 11 === 0,
				}),
				salt,
				start + 3 * 86_400_000,
			),
		);
	}
	for (let i = 0; i < records.length; i += 37) writer.ingest(records.slice(i, i + 37), start);
	// A legacy counter delta spread over 9 hours that crosses local midnight.
	writer.ingest([], start, batch =>
		writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/chat/completions', model: 'gpt-4o', requests: 25, tokens: 90_001}], {start: start + 10 * H + 17 * 60_000, end: start + 19 * H + 5 * 60_000}, start),
	);
	return {db, writer};
}

const COLUMNS = 'requests, failed, rate_limited, cancelled, input, cache_read, cache_write, output, reasoning, total, round(cost, 9) AS cost, estimated';

/** Every rollup row, level by level. */
export function rollupState(db: Db): unknown {
	return Object.fromEntries(['usage_5m', 'usage_1h', 'usage_1d'].map(t => [t, db.prepare(`SELECT t, series_id, ${COLUMNS} FROM ${t} ORDER BY t, series_id`).all()]));
}

const v = VOCABULARY_SQL;

/** The 5-minute rollup rows the request rows alone give (no counter deltas), summed straight from them. */
export function fiveMinutesFromRows(db: Db): Array<Record<string, number>> {
	return db
		.prepare(
			`SELECT r.ts - r.ts % 300000 AS t, d.series_id, count(*) AS requests, sum(r.failed) AS failed, sum(r.failed AND r.status_code = 429) AS rate_limited,
				sum(r.failed AND r.status_code IN (499, 504)) AS cancelled, sum(${v.input}) AS input, sum(${v.cacheRead}) AS cache_read, sum(${v.cacheWrite}) AS cache_write,
				sum(${v.output}) AS output, sum(${v.reasoning}) AS reasoning, sum(r.total_tokens) AS total, round(coalesce(sum(r.cost_usd), 0), 9) AS cost, sum(r.cost_estimated) AS estimated
			FROM requests r JOIN request_dims d ON d.id = r.dim_id GROUP BY 1, 2 ORDER BY 1, 2`,
		)
		.all() as Array<Record<string, number>>;
}

/** Equal, with costs allowed to differ by rounding to the micro-dollar once per batch. */
export function expectSameRollups(actual: unknown, expected: unknown, path = ''): void {
	if (typeof expected === 'number') {
		expect(typeof actual, path).toBe('number');
		expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThan(1e-5);
		return;
	}
	if (expected === null || typeof expected !== 'object') {
		expect(actual, path).toEqual(expected);
		return;
	}
	expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
	for (const [k, v] of Object.entries(expected)) expectSameRollups((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
}

