import {HOUR_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {keyRange} from './time-range.js';

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		hours: db.prepare<[number, number], {hour_start: number; model: string}>(
			'SELECT hour_start, model FROM hourly_stats WHERE hour_start >= ? AND hour_start < ? AND (requests > 0 OR total_tokens > 0) ORDER BY hour_start',
		),
		rows: db.prepare<[Buffer, Buffer], {ts: number; model: string}>(
			'SELECT r.ts, d.model FROM requests r JOIN request_dims d ON d.id = r.dim_id WHERE r.dedupe_key >= ? AND r.dedupe_key < ? ORDER BY r.dedupe_key',
		),
		deltas: db.prepare<[number, number], {model: string; interval_start: number}>(
			'SELECT model, interval_start FROM counter_deltas WHERE interval_end > ? AND interval_start < ?',
		),
	};
}

/**
 * The earliest instant in [start, end) that holds usage of a model `matches` accepts: the
 * first matching request, or the start of the overlap with a legacy counter delta (spread over
 * its interval, so it holds usage from its first instant). The hourly rollups say which hour to
 * look in, so usually one hour of rows is read. Null when there is none.
 */
export function oldestUsageAt(db: Db, start: number, end: number, matches: (model: string) => boolean): number | null {
	if (end <= start) return null;
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	let best: number | null = null;
	for (const d of s.deltas.all(start, end)) {
		if (!matches(d.model)) continue;
		const at = Math.max(start, d.interval_start);
		if (best === null || at < best) best = at;
	}
	let from = Math.floor(start / HOUR_MS) * HOUR_MS;
	while (from < end && (best === null || from < best)) {
		const hour = firstMatchingHour(s, from, best ?? end, matches);
		if (hour === null) break;
		// The rollup hour may hold only counter deltas, or only requests before `start`.
		for (const row of s.rows.iterate(...keyRange(Math.max(start, hour), Math.min(end, hour + HOUR_MS)))) {
			if (!matches(row.model)) continue;
			if (best === null || row.ts < best) best = row.ts;
			break;
		}
		from = hour + HOUR_MS;
	}
	return best;
}

function firstMatchingHour(s: ReturnType<typeof prepare>, from: number, to: number, matches: (model: string) => boolean): number | null {
	// Stops at the first match, which closes the cursor before the next query runs.
	for (const h of s.hours.iterate(from, to)) if (matches(h.model)) return h.hour_start;
	return null;
}
