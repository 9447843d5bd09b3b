import {dict} from '../core/text/dict.js';
import {roundUsd, type DailyBreakdown} from '../core/report/daily-breakdown.js';
import {modelMatcher} from '../core/report/period-report.js';
import type {DailyStatsRow} from '../core/report/report-rows.js';
import type {DateRange} from '../core/report/report-range.js';
import type {Series, SeriesLookup} from '../core/report/series.js';
import {addSums, zeroSums, type Sums} from '../core/report/sums.js';
import {addDays, formatLocalDate, localDate, parseLocalDate, startOfLocalDate, type Zone} from '../core/time/zone.js';
import {FIVE_MINUTES_MS} from '../core/time/segments.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';
import {instanceSums} from '../core/report/series.js';
import {ALL_INSTANCES, type InstanceScope} from './instance-scope.js';
import {intervalSums} from './usage-sums.js';

/**
 * The local days (in `zone`) from `from` to `to` (inclusive, null = open) that hold usage, in
 * date order, each in the original collector's `daily_stats` shape. Read from the rollups for
 * the zone asked, so changing TIMEZONE re-buckets the same history: nothing is rebuilt. With a
 * model pattern, each day keeps only the matching models. What `report daily --json` prints and
 * `GET /api/data/daily` answers.
 */
export function readDailyStats(db: Db, zone: Zone, range: DateRange, now: number, model?: string, scope: InstanceScope = ALL_INSTANCES): DailyStatsRow[] {
	const span = dailyDateSpan(db, zone);
	if (!span) return [];
	const from = range.from !== null && range.from > span.first ? range.from : span.first;
	const to = range.to !== null && range.to < span.last ? range.to : span.last;
	const dates: string[] = [];
	for (let d = parseLocalDate(from)!; formatLocalDate(d) <= to; d = addDays(d, 1)) dates.push(formatLocalDate(d));
	if (dates.length === 0) return [];
	const spans = dates.map(date => [startOfLocalDate(zone, parseLocalDate(date)!), startOfLocalDate(zone, addDays(parseLocalDate(date)!, 1))] as const);
	const sums = intervalSums(db, spans);
	const lookup = seriesLookup(db);
	const matches = model === undefined ? () => true : modelMatcher(model);
	const newest = db.prepare<[number, number], {t: number | null}>('SELECT max(t) AS t FROM usage_5m WHERE t >= ? AND t < ?');
	const out: DailyStatsRow[] = [];
	dates.forEach((date, i) => {
		const [start, end] = spans[i]!;
		// The original stamped a row when it last wrote it; ours: the end of the day's newest five minutes.
		const last = newest.get(start, end)?.t;
		const updatedAt = new Date(Math.min(now, end, last === null || last === undefined ? end : last + FIVE_MINUTES_MS)).toISOString();
		const row = dayRow(date, instanceSums(sums[i]!, lookup, scope.tag), lookup, matches, updatedAt, scope);
		if (row) out.push(row);
	});
	return out;
}

function dayRow(date: string, bySeries: ReadonlyMap<number, Sums>, lookup: SeriesLookup, matches: (model: string) => boolean, updatedAt: string, scope: InstanceScope): DailyStatsRow | null {
	const t = zeroSums();
	const models = new Map<string, Sums>();
	const instances = new Map<string, Sums>();
	const apis = new Map<string, Map<string, Sums>>();
	for (const [id, s] of bySeries) {
		const series: Series | undefined = lookup(id);
		const model = series?.model ?? 'unknown';
		if (!matches(model)) continue;
		addSums(t, s);
		add(models, model, s);
		if (scope.several) add(instances, scope.names.get(series?.instance ?? '') ?? series?.instance ?? '', s);
		const api = series?.api ?? 'unknown';
		let byModel = apis.get(api);
		if (!byModel) apis.set(api, (byModel = new Map()));
		add(byModel, model, s);
	}
	const requests = Math.round(t.requests);
	if (requests === 0 && t.total === 0) return null;
	const breakdown: DailyBreakdown = {models: dict(), endpoints: dict()};
	for (const [model, s] of sorted(models)) {
		breakdown.models[model] = {
			requests: Math.round(s.requests),
			tokens: s.total,
			cost: roundUsd(s.cost),
			input_tokens: s.input,
			output_tokens: s.output,
			reasoning_tokens: s.reasoning,
			cached_tokens: s.cacheRead + s.cacheWrite,
			cache_read_tokens: s.cacheRead,
			cache_write_tokens: s.cacheWrite,
		};
	}
	for (const [api, byModel] of sorted(apis)) {
		const e = zeroSums();
		const inner = dict<{requests: number; tokens: number; cost: number}>();
		for (const [model, s] of sorted(byModel)) {
			addSums(e, s);
			inner[model] = {requests: Math.round(s.requests), tokens: s.total, cost: roundUsd(s.cost)};
		}
		breakdown.endpoints[api] = {requests: Math.round(e.requests), tokens: e.total, cost: roundUsd(e.cost), models: inner};
	}
	if (scope.several) {
		breakdown.instances = dict();
		for (const [name, s] of sorted(instances)) breakdown.instances[name] = {requests: Math.round(s.requests), tokens: s.total, cost: roundUsd(s.cost)};
	}
	const failed = Math.round(t.failed);
	return {
		id: Number(date.replaceAll('-', '')),
		stat_date: date,
		total_requests: requests,
		success_count: requests - failed,
		failure_count: failed,
		total_tokens: t.total,
		estimated_cost_usd: roundUsd(t.cost),
		estimated_requests: Math.round(t.estimated),
		breakdown,
		updated_at: updatedAt,
		rate_limited: Math.round(t.rateLimited),
		cancelled: Math.round(t.cancelled),
		input_tokens: t.input,
		cache_read_tokens: t.cacheRead,
		cache_write_tokens: t.cacheWrite,
		output_tokens: t.output,
		reasoning_tokens: t.reasoning,
	};
}

function add(map: Map<string, Sums>, key: string, s: Sums): void {
	let into = map.get(key);
	if (!into) map.set(key, (into = zeroSums()));
	addSums(into, s);
}

/** Most requests first, so JSON readers see the busiest model and endpoint at the top. */
function sorted<T extends Sums | Map<string, Sums>>(map: Map<string, T>): Array<[string, T]> {
	const weight = (v: T) => (v instanceof Map ? [...v.values()].reduce((n, s) => n + s.requests, 0) : (v as Sums).requests);
	return [...map].sort((a, b) => weight(b[1]) - weight(a[1]) || a[0].localeCompare(b[0]));
}

/** First and last local date (in `zone`) that holds usage, or null for an empty database. */
export function dailyDateSpan(db: Db, zone: Zone): {first: string; last: string} | null {
	const row = db.prepare<[], {first: number | null; last: number | null}>('SELECT min(t) AS first, max(t) AS last FROM usage_5m').get();
	if (row?.first === null || row?.first === undefined || row.last === null) return null;
	// The last bucket's usage may lie anywhere in its five minutes; its start names the date unless
	// a local midnight falls inside it, which no real zone's does.
	return {first: localDate(zone, row.first), last: localDate(zone, row.last)};
}
