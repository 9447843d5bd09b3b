import {DAY_MS, HOUR_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {keyRange} from './time-range.js';

/** One credential's requests over a range. `failed` leaves out the 429s, counted in `rateLimited`. */
export type AccountUsage = {authIndex: string; requests: number; failed: number; rateLimited: number; tokens: number; costUsd: number; estimatedRequests: number};

type Row = AccountUsage;

const SUMS = 'sum(requests) AS requests, sum(failed) AS failed, sum(rate_limited) AS rateLimited, sum(total_tokens) AS tokens, sum(cost_usd) AS costUsd, sum(estimated_requests) AS estimatedRequests';

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		hours: db.prepare<[number, number], Row>(`SELECT auth_index AS authIndex, ${SUMS} FROM account_hourly_stats WHERE hour_start >= ? AND hour_start < ? GROUP BY auth_index`),
		days: db.prepare<[number, number], Row>(`SELECT auth_index AS authIndex, ${SUMS} FROM account_daily_stats WHERE day_start >= ? AND day_start < ? GROUP BY auth_index`),
		raw: db.prepare<[Buffer, Buffer], Row>(`
			SELECT d.auth_index AS authIndex, count(*) AS requests, sum(r.failed AND coalesce(r.status_code, 0) <> 429) AS failed,
				sum(r.status_code = 429) AS rateLimited, sum(r.total_tokens) AS tokens, coalesce(sum(r.cost_usd), 0) AS costUsd, sum(r.cost_estimated) AS estimatedRequests
			FROM requests r JOIN request_dims d ON d.id = r.dim_id
			WHERE r.dedupe_key >= ? AND r.dedupe_key < ? AND d.auth_index IS NOT NULL AND d.auth_index <> '' GROUP BY d.auth_index`),
	};
}

/**
 * Exact per-credential usage over [start, end): whole UTC days from `account_daily_stats`,
 * whole hours from `account_hourly_stats`, the partial hours at either edge from the request
 * rows (a key range on the clustered table).
 */
export function accountUsage(db: Db, start: number, end: number): Map<string, AccountUsage> {
	const totals = new Map<string, AccountUsage>();
	if (end <= start) return totals;
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	const add = (rows: readonly Row[]) => {
		for (const r of rows) {
			const t = totals.get(r.authIndex);
			if (!t) {
				totals.set(r.authIndex, {...r});
				continue;
			}
			t.requests += r.requests;
			t.failed += r.failed;
			t.rateLimited += r.rateLimited;
			t.tokens += r.tokens;
			t.costUsd += r.costUsd;
			t.estimatedRequests += r.estimatedRequests;
		}
	};
	const first = Math.ceil(start / HOUR_MS) * HOUR_MS;
	const last = Math.floor(end / HOUR_MS) * HOUR_MS;
	if (first >= last) {
		add(s.raw.all(...keyRange(start, end)));
		return totals;
	}
	if (start < first) add(s.raw.all(...keyRange(start, first)));
	const firstDay = Math.ceil(first / DAY_MS) * DAY_MS;
	const lastDay = Math.floor(last / DAY_MS) * DAY_MS;
	if (firstDay < lastDay) {
		if (first < firstDay) add(s.hours.all(first, firstDay));
		add(s.days.all(firstDay, lastDay));
		if (lastDay < last) add(s.hours.all(lastDay, last));
	} else add(s.hours.all(first, last));
	if (last < end) add(s.raw.all(...keyRange(last, end)));
	for (const t of totals.values()) t.costUsd = Math.round(t.costUsd * 1e6) / 1e6;
	return totals;
}
