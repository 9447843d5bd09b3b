import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/core/time/zone.js';
import {rebuildRollups} from '../../source/store/rebuild-rollups.js';
import {expectSameRollups, filled, H, rollupState} from './rollup-helpers.js';

describe('rebuildRollups', () => {
	it.each<[string, Zone, string]>([
		['Berlin across the DST change', {kind: 'iana', name: 'Europe/Berlin'}, '2026-10-24T20:00:00Z'],
		['a +05:30 fixed offset (days start at :30 UTC)', {kind: 'fixed', offsetMinutes: 330}, '2026-11-22T15:00:00Z'],
		['a -03:00 fixed offset around a Monday', {kind: 'fixed', offsetMinutes: -180}, '2026-11-22T20:00:00Z'],
	])('writes back exactly the rows ingest produced: %s', (_name, zone, iso) => {
		const start = Date.parse(iso);
		const {db} = filled(zone, start);
		const expected = rollupState(db);
		// a range that starts and ends mid-hour and mid-day, then the whole history
		rebuildRollups(db, zone, start + 7 * H + 13 * 60_000, start + 31 * H + 41 * 60_000, start);
		expectSameRollups(rollupState(db), expected);
		rebuildRollups(db, zone, start - 48 * H, start + 120 * H, start);
		expectSameRollups(rollupState(db), expected);
	});

	it('repairs damaged rollups from the request rows and leaves other days alone', () => {
		const zone: Zone = {kind: 'iana', name: 'Europe/Berlin'};
		const start = Date.parse('2026-11-22T00:00:00Z');
		const {db} = filled(zone, start);
		const expected = rollupState(db) as {daily: Array<{stat_date: string}>};
		db.prepare('UPDATE hourly_stats SET requests = requests + 1000, cost_usd = 99 WHERE hour_start >= ? AND hour_start < ?').run(start + 24 * H, start + 30 * H);
		db.prepare("UPDATE daily_stats SET total_requests = 0, breakdown = '{}' WHERE stat_date = '2026-11-23'").run();
		db.prepare("UPDATE daily_stats SET total_requests = 7 WHERE stat_date = '2026-11-24'").run();
		const result = rebuildRollups(db, zone, Date.parse('2026-11-22T23:00:00Z'), Date.parse('2026-11-23T23:00:00Z'), start);
		expect(result.days).toEqual(['2026-11-23']);
		const after = rollupState(db) as {daily: Array<{stat_date: string; total_requests: number}>};
		expect(after.daily.find(d => d.stat_date === '2026-11-24')!.total_requests).toBe(7);
		db.prepare("UPDATE daily_stats SET total_requests = ? WHERE stat_date = '2026-11-24'").run((expected.daily.find(d => d.stat_date === '2026-11-24') as unknown as {total_requests: number}).total_requests);
		expectSameRollups(rollupState(db), expected);
	});
});
