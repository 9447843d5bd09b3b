import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {modelMatcher} from '../../source/core/limits/pattern.js';
import {readQueueRecord} from '../../source/core/cpa/queue-record.js';
import {openDatabase} from '../../source/store/database.js';
import {oldestUsageAt} from '../../source/store/oldest-usage.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {v7Record, readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const H = 3_600_000;
const base = Date.parse('2026-11-23T00:00:00Z');

function seeded() {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt);
	const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'gemini-2.5-pro', 'claude-opus-4-1'];
	const records = [];
	for (let i = 0; i < 600; i++) records.push(readV7({at: base + ((i * 104_729) % (12 * H)), model: models[i % 4]}, salt));
	writer.ingest(records, base);
	return {db, writer};
}

function brute(db: ReturnType<typeof seeded>['db'], start: number, end: number, pattern: string): number | null {
	const m = modelMatcher(pattern);
	const rows = db.prepare('SELECT ts, model FROM requests_full WHERE ts >= ? AND ts < ? ORDER BY ts').all(start, end) as Array<{ts: number; model: string}>;
	return rows.find(r => m.test(r.model))?.ts ?? null;
}

describe('oldestUsageAt', () => {
	it('finds the first matching request in any range, as a scan of every row would', () => {
		const {db} = seeded();
		const ranges: Array<[number, number]> = [
			[base, base + 12 * H],
			[base + 0.4 * H, base + 5 * H],
			[base + 3 * H + 17, base + 3 * H + 60_000],
			[base + 11.9 * H, base + 20 * H],
			[base + 13 * H, base + 20 * H],
		];
		for (const [start, end] of ranges) {
			for (const pattern of ['claude', 'opus', 'gemini*', 'nothing']) {
				expect({start, end, pattern, at: oldestUsageAt(db, start, end, modelMatcher(pattern).test)}).toEqual({start, end, pattern, at: brute(db, start, end, pattern)});
			}
		}
	});

	it('counts a legacy counter delta from where it overlaps the range', () => {
		const {db, writer} = seeded();
		writer.ingest([], base, batch =>
			writer.addCounterDeltas(batch, [{arrayId: 'a', apiLabel: 'POST /v1/chat/completions', model: 'gpt-4o', requests: 10, tokens: 1000}], {start: base + 2 * H, end: base + 6 * H}, base),
		);
		const gpt4o = modelMatcher('gpt-4o').test;
		expect(oldestUsageAt(db, base, base + 12 * H, gpt4o)).toBe(base + 2 * H);
		expect(oldestUsageAt(db, base + 3.5 * H, base + 12 * H, gpt4o)).toBe(base + 3.5 * H);
		expect(oldestUsageAt(db, base + 7 * H, base + 12 * H, gpt4o)).toBeNull();
		// The delta holds usage from the range's first instant, before any gpt-5-codex request in it.
		expect(brute(db, base + 2 * H + 1, base + 12 * H, 'gpt')).toBeGreaterThan(base + 2 * H + 1);
		expect(oldestUsageAt(db, base + 2 * H + 1, base + 12 * H, modelMatcher('gpt').test)).toBe(base + 2 * H + 1);
	});
});
