import {DayLookup, HOUR_MS, type Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {requestPages, recordFromRow, storedPrice} from './request-rows.js';
import {prepareRollups, RollupBatch} from './rollups.js';

export type RebuildResult = {
	/** UTC hours [start, end) whose `hourly_stats` rows were rebuilt. */
	hours: [number, number];
	/** Local dates whose `daily_stats` rows were rebuilt. */
	days: string[];
	/** Request rows and counter deltas read to do it. */
	requests: number;
	counterDeltas: number;
};

type DeltaRow = {interval_start: number; interval_end: number; api: string; model: string; requests: number; total_tokens: number; cost_usd: number | null};

/**
 * Rebuilds the rollups that cover [start, end) from the rows they summarise: every UTC hour
 * and every local day (in `zone`) that the range touches is deleted and written again from
 * `requests` and `counter_deltas`, with the same arithmetic the writer uses, so a rebuilt
 * row equals the row incremental ingest produced (costs to the micro-dollar). Hours and days
 * reach past the range where they must be whole, so the rows read span both.
 *
 * Synchronous, in one transaction (a savepoint when the caller already opened one).
 */
export function rebuildRollups(db: Db, zone: Zone, start: number, end: number, now: number): RebuildResult {
	const lookup = new DayLookup(zone);
	const hourStart = Math.floor(start / HOUR_MS) * HOUR_MS;
	const hourEnd = Math.max(hourStart + HOUR_MS, Math.ceil(end / HOUR_MS) * HOUR_MS);
	const dayStart = lookup.spanOf(start).start;
	const dayEnd = lookup.spanOf(Math.max(start, end - 1)).end;
	const days: string[] = [];
	for (let t = dayStart; t < dayEnd; t = lookup.spanOf(t).end) days.push(lookup.dateOf(t));
	const from = Math.min(hourStart, dayStart);
	const to = Math.max(hourEnd, dayEnd);

	return db.transaction((): RebuildResult => {
		const batch = new RollupBatch(new DayLookup(zone));
		let requests = 0;
		for (const page of requestPages(db, from, to)) {
			for (const row of page) batch.addRecord(recordFromRow(row), storedPrice(row));
			requests += page.length;
		}
		const deltas = db
			.prepare<[number, number], DeltaRow>(
				'SELECT interval_start, interval_end, api, model, requests, total_tokens, cost_usd FROM counter_deltas WHERE interval_end >= ? AND interval_start < ? ORDER BY id',
			)
			.all(from, to);
		for (const d of deltas) {
			batch.addSpread(d.interval_start, d.interval_end, d.model, d.api, d.requests, d.total_tokens, d.cost_usd === null ? null : {costUsd: d.cost_usd, estimated: true, ref: ''});
		}
		db.prepare('DELETE FROM hourly_stats WHERE hour_start >= ? AND hour_start < ?').run(hourStart, hourEnd);
		db.prepare('DELETE FROM account_hourly_stats WHERE hour_start >= ? AND hour_start < ?').run(hourStart, hourEnd);
		const deleteDay = db.prepare('DELETE FROM daily_stats WHERE stat_date = ?');
		for (const date of days) deleteDay.run(date);
		const dates = new Set(days);
		batch.flush(prepareRollups(db), now, {hour: h => h >= hourStart && h < hourEnd, day: d => dates.has(d)});
		return {hours: [hourStart, hourEnd], days, requests, counterDeltas: deltas.length};
	})();
}
