import {addSums, zeroSums} from '../core/report/sums.js';
import {addDays, parseLocalDate, startOfLocalDate, type Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {rangeSums} from './usage-sums.js';

export type DayTotals = {
	date: string;
	requests: number;
	successCount: number;
	failureCount: number;
	rateLimited: number;
	cancelled: number;
	tokens: number;
	costUsd: number;
	estimatedRequests: number;
};

/** A local date's totals in `zone`, exact whatever zone the requests were collected under. */
export function readDayTotals(db: Db, zone: Zone, date: string): DayTotals {
	const d = parseLocalDate(date);
	const t = zeroSums();
	if (d) for (const s of rangeSums(db, startOfLocalDate(zone, d), startOfLocalDate(zone, addDays(d, 1))).values()) addSums(t, s);
	const requests = Math.round(t.requests);
	const failed = Math.round(t.failed);
	return {
		date,
		requests,
		successCount: requests - failed,
		failureCount: failed,
		rateLimited: Math.round(t.rateLimited),
		cancelled: Math.round(t.cancelled),
		tokens: t.total,
		costUsd: Math.round(t.cost * 1e6) / 1e6,
		estimatedRequests: Math.round(t.estimated),
	};
}

/** A day's totals as `--once --json` and `/api/collector/status` print them. */
export function dayTotalsJson(t: DayTotals, zone: string) {
	return {
		date: t.date,
		zone,
		requests: t.requests,
		success: t.successCount,
		failed: t.failureCount,
		rate_limited: t.rateLimited,
		cancelled: t.cancelled,
		tokens: t.tokens,
		cost_usd: t.costUsd,
		estimated_requests: t.estimatedRequests,
	};
}
