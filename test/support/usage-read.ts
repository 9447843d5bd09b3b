import {expect} from 'vitest';
import type {DailyStatsRow} from '../../source/core/report/report-rows.js';
import type {Zone} from '../../source/core/time/zone.js';
import type {Db} from '../../source/store/database.js';
import {readDailyStats} from '../../source/store/daily-stats.js';

export type LevelTotals = {requests: number; failed: number; rate_limited: number; cancelled: number; input: number; cache_read: number; cache_write: number; output: number; reasoning: number; total: number; cost: number; estimated: number};

const SUMS = 'sum(requests) requests, sum(failed) failed, sum(rate_limited) rate_limited, sum(cancelled) cancelled, sum(input) input, sum(cache_read) cache_read, sum(cache_write) cache_write, sum(output) output, sum(reasoning) reasoning, sum(total) total, round(sum(cost), 9) cost, sum(estimated) estimated';

/** Everything the rollups hold, all time; the three levels must agree (costs to 1e-9). */
export function storedTotals(db: Db): LevelTotals {
	const [m5, h1, d1] = ['usage_5m', 'usage_1h', 'usage_1d'].map(t => db.prepare(`SELECT ${SUMS} FROM ${t}`).get() as LevelTotals);
	expect(h1, 'usage_1h sums to usage_5m').toEqual(m5);
	expect(d1, 'usage_1d sums to usage_1h').toEqual(h1);
	return d1!;
}

/** Every local day with usage, in `zone`, in the original daily_stats shape. */
export function dailyRows(db: Db, zone: Zone = {kind: 'fixed', offsetMinutes: 0}, model?: string): DailyStatsRow[] {
	return readDailyStats(db, zone, {from: null, to: null}, Date.parse('2026-12-01T00:00:00Z'), model);
}
