import {periodRange, type Period} from '../core/time/periods.js';
import {localDate, type Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import type {ModelUsage} from './range-usage.js';
import {memoUsageReader, type UsageReader} from './usage-reader.js';

export type TodayTotals = {
	/** Local date in the zone. */
	date: string;
	requests: number;
	/** Every failed request, of which rate_limited were 429s and cancelled client cancels (499) or deadlines (504). */
	failed: number;
	rate_limited: number;
	cancelled: number;
	/** (requests − failed) / requests, 0–1; null with no requests. */
	success_rate: number | null;
	tokens: number;
	cost_usd: number;
	/** Requests priced at `_default` or known only from counters. */
	estimated_requests: number;
};

/** Today's totals from local midnight through `now`, exact in any zone. */
export function todayTotals(db: Db, zone: Zone, now: number, read: UsageReader = memoUsageReader(db)): TodayTotals {
	const {start, end} = periodRange('today', zone, now);
	const t = {date: localDate(zone, now), requests: 0, failed: 0, rate_limited: 0, cancelled: 0, success_rate: null as number | null, tokens: 0, cost_usd: 0, estimated_requests: 0};
	for (const m of read(start, end)) {
		t.requests += m.requests;
		t.failed += m.failed;
		t.rate_limited += m.rateLimited;
		t.cancelled += m.cancelled;
		t.tokens += m.totalTokens;
		t.cost_usd += m.costUsd;
		t.estimated_requests += m.estimatedRequests;
	}
	t.cost_usd = Math.round(t.cost_usd * 1e6) / 1e6;
	t.success_rate = t.requests === 0 ? null : (t.requests - t.failed) / t.requests;
	return t;
}

/** Usage per provider and model over a period, most expensive first. */
export function modelBreakdown(db: Db, zone: Zone, now: number, period: Period, read: UsageReader = memoUsageReader(db)): readonly ModelUsage[] {
	const {start, end} = periodRange(period, zone, now);
	return read(start, end);
}
