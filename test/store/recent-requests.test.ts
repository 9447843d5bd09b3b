import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readRecentActivity, TAIL_LIMIT} from '../../source/app/recent-activity.js';
import {openDatabase} from '../../source/store/database.js';
import {recentRequests} from '../../source/store/recent-requests.js';
import {StateStore} from '../../source/store/state.js';
import {UsageWriter} from '../../source/store/usage-writer.js';
import {readV7} from '../support/fixtures.js';
import {onCleanup, tempDir} from '../support/temp.js';

const now = Date.parse('2026-11-23T14:00:00Z');
const zone = {kind: 'iana', name: 'UTC'} as const;

function seeded(count: number, spacingMs: number) {
	const db = openDatabase(join(tempDir(), 'c.db'));
	onCleanup(() => db.close());
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, zone, salt);
	const models = ['claude-sonnet-4-5', 'gpt-5-codex', 'gemini-2.5-pro'];
	const records = Array.from({length: count}, (_, i) =>
		readV7({at: now - 1000 - i * spacingMs, model: models[i % 3], input: 1000 + i, output: 10 + i, latencyMs: 100 * (i + 1), failed: i % 10 === 9}, salt),
	);
	writer.ingest(records, now);
	return db;
}

describe('recentRequests', () => {
	it('reads the newest first, at most limit, within [since, until)', () => {
		const db = seeded(50, 60_000);
		const tail = recentRequests(db, {limit: 5, until: now});
		expect(tail.map(r => r.ts)).toEqual([1, 2, 3, 4, 5].map(i => now - 1000 - (i - 1) * 60_000));
		expect(tail[0]).toMatchObject({model: 'claude-sonnet-4-5', input: 1000, output: 10, latencyMs: 100, failed: false});
		// One a minute: the last half hour holds 30 of the 50.
		expect(recentRequests(db, {limit: 1000, since: now - 30 * 60_000, until: now})).toHaveLength(30);
		expect(recentRequests(db, {limit: 0, until: now})).toEqual([]);
		expect(recentRequests(db, {limit: 10, until: now - 49 * 60_000 - 1000})).toEqual([]);
	});
});

describe('readRecentActivity', () => {
	it('is the tail with its local time and the latency per model over the last hour', () => {
		const db = seeded(150, 30_000);
		const a = readRecentActivity(db, zone, now);
		expect(a.tail).toHaveLength(TAIL_LIMIT);
		expect(a.tail[0]!.time).toBe('13:59:59');
		// 120 requests in the last hour (one every 30 s), over three models; every tenth failed.
		expect(a.latencyRequests).toBe(120);
		expect(a.latencyCapped).toBe(false);
		expect(a.latency.map(m => m.requests)).toEqual([40, 40, 40]);
		expect(a.latency.reduce((s, m) => s + m.failed, 0)).toBe(12);
	});
});
