import type {Statement} from 'better-sqlite3';
import type {Db} from './database.js';

export type DayTotals = {
	date: string;
	requests: number;
	successCount: number;
	failureCount: number;
	tokens: number;
	costUsd: number;
	estimatedRequests: number;
};

type DayRow = {total_requests: number; success_count: number; failure_count: number; total_tokens: number; estimated_cost_usd: number; estimated_requests: number};

const prepared = new WeakMap<Db, Statement<[string], DayRow>>();

export function readDayTotals(db: Db, date: string): DayTotals {
	let stmt = prepared.get(db);
	if (!stmt) {
		stmt = db.prepare<[string], DayRow>('SELECT total_requests, success_count, failure_count, total_tokens, estimated_cost_usd, estimated_requests FROM daily_stats WHERE stat_date = ?');
		prepared.set(db, stmt);
	}
	const row = stmt.get(date);
	return {
		date,
		requests: row?.total_requests ?? 0,
		successCount: row?.success_count ?? 0,
		failureCount: row?.failure_count ?? 0,
		tokens: row?.total_tokens ?? 0,
		costUsd: row?.estimated_cost_usd ?? 0,
		estimatedRequests: row?.estimated_requests ?? 0,
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
		tokens: t.tokens,
		cost_usd: t.costUsd,
		estimated_requests: t.estimatedRequests,
	};
}
