import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import type {Pricer} from '../../source/core/cpa/usage-record.js';
import {openDatabase} from '../../source/store/database.js';
import {usageByModel} from '../../source/store/range-usage.js';
import {StateStore} from '../../source/store/state.js';
import {memoUsageReader} from '../../source/store/usage-reader.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const H = 3_600_000;
const base = Date.parse('2026-11-23T00:00:00Z');
const pricer: Pricer = {priceRecord: r => ({costUsd: r.tokens.input / 1e6, estimated: r.model === 'mystery', ref: 't'}), priceTokenTotal: (_m, tok) => ({costUsd: tok / 1e6, estimated: true, ref: 't'})};

describe('memoUsageReader', () => {
	it('gives what usageByModel gives, for ranges that share their edges and ranges that do not', () => {
		const db = openDatabase(join(tempDir(), 'c.db'));
		onCleanup(() => db.close());
		const salt = new StateStore(db).salt();
		const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, pricer);
		const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'mystery'];
		const records = [];
		for (let i = 0; i < 1200; i++) records.push(readV7({at: base + ((i * 7919 * 1009) % (30 * H)), model: models[i % 3], provider: ['claude', 'codex', 'x'][i % 3], input: 100 + i, output: i % 50, failed: i % 13 === 0}, salt));
		writer.ingest(records, base);
		writer.ingest([], base, b => writer.addCounterDeltas(b, [{arrayId: 'a', apiLabel: 'x', model: 'gpt-4o', requests: 100, tokens: 40_000}], {start: base + 2.5 * H, end: base + 6.25 * H}, base));
		const now = base + 27 * H + 1_234_567;
		const ranges: Array<[number, number]> = [
			[now - H, now],
			[now - 5 * H, now],
			[now - 24 * H, now],
			[base, now],
			[base - 24 * H, now],
			[base - 24 * H + 1, base + 24 * H],
			[base + 3 * H, now],
			[base + 2 * H + 60_000, base + 2 * H + 120_000],
			[base + 2.75 * H, base + 4 * H],
			[base + 5 * H, base + 6 * H],
			[now, now],
		];
		const read = memoUsageReader(db);
		for (const [start, end] of ranges) {
			const round = (rows: ReturnType<typeof usageByModel>) => rows.map(r => ({...r, costUsd: Math.round(r.costUsd * 1e9)}));
			expect({start, end, rows: round([...read(start, end)])}).toEqual({start, end, rows: round(usageByModel(db, start, end))});
		}
		expect(read(now - H, now)).toBe(read(now - H, now));
	});
});
