import {parseBreakdown, roundUsd} from '../core/report/daily-breakdown.js';
import {filterBreakdown, modelMatcher} from '../core/report/period-report.js';
import type {DailyStatsRow} from '../core/report/report-rows.js';
import type {DateRange} from '../core/report/report-range.js';
import {addDays, parseLocalDate, startOfLocalDate, type Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {usageByModel} from './range-usage.js';

type Row = Omit<DailyStatsRow, 'breakdown' | 'updated_at'> & {breakdown: string; updated_at: number};

/**
 * `daily_stats` rows from `from` to `to` (inclusive local dates, null = open), in date order,
 * in the original collector's shape with the breakdown parsed. What `report daily --json`
 * prints and `GET /api/data/daily` answers.
 */
export function readDailyStats(db: Db, from: string | null, to: string | null): DailyStatsRow[] {
	const rows = db
		.prepare<[string, string], Row>(
			`SELECT id, stat_date, total_requests, success_count, failure_count, total_tokens, estimated_cost_usd, estimated_requests, breakdown, updated_at
			FROM daily_stats WHERE stat_date >= ? AND stat_date <= ? ORDER BY stat_date`,
		)
		.all(from ?? '0000-00-00', to ?? '9999-99-99');
	return rows.map(r => ({...r, breakdown: parseBreakdown(r.breakdown), updated_at: new Date(r.updated_at).toISOString()}));
}

/**
 * The days of a report. With a model pattern, each day keeps only the matching models: its
 * breakdown is cut down, and its totals (which the breakdown cannot split by model: failures,
 * estimated requests) come from the hourly rollups for that local day.
 */
export function readDailyReport(db: Db, zone: Zone, range: DateRange, model?: string): DailyStatsRow[] {
	const days = readDailyStats(db, range.from, range.to);
	if (model === undefined) return days;
	const matches = modelMatcher(model);
	const out: DailyStatsRow[] = [];
	for (const day of days) {
		const date = parseLocalDate(day.stat_date);
		if (!date) continue;
		const usage = usageByModel(db, startOfLocalDate(zone, date), startOfLocalDate(zone, addDays(date, 1))).filter(u => matches(u.model));
		const requests = usage.reduce((s, u) => s + u.requests, 0);
		if (requests === 0) continue;
		const failed = usage.reduce((s, u) => s + u.failed, 0);
		out.push({
			...day,
			total_requests: requests,
			success_count: requests - failed,
			failure_count: failed,
			total_tokens: usage.reduce((s, u) => s + u.totalTokens, 0),
			estimated_cost_usd: roundUsd(usage.reduce((s, u) => s + u.costUsd, 0)),
			estimated_requests: usage.reduce((s, u) => s + u.estimatedRequests, 0),
			breakdown: filterBreakdown(day.breakdown, matches),
		});
	}
	return out;
}

/** First and last local date that has a daily row, or null for an empty database. */
export function dailyDateSpan(db: Db): {first: string; last: string} | null {
	const row = db.prepare<[], {first: string | null; last: string | null}>('SELECT min(stat_date) AS first, max(stat_date) AS last FROM daily_stats').get();
	return row?.first && row.last ? {first: row.first, last: row.last} : null;
}
