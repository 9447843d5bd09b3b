import {HOUR_MS} from '../core/zone.js';
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
 * its interval, so it holds usage from its first instant). The hourly rollups say which hours
 * to look in, so only the first such hour's rows are read. Null when there is none.
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
	const tried = new Set<number>();
	for (const h of s.hours.all(Math.floor(start / HOUR_MS) * HOUR_MS, end)) {
		if (best !== null && h.hour_start >= best) break;
		if (tried.has(h.hour_start) || !matches(h.model)) continue;
		tried.add(h.hour_start);
		for (const row of s.rows.iterate(...keyRange(Math.max(start, h.hour_start), Math.min(end, h.hour_start + HOUR_MS)))) {
			if (!matches(row.model)) continue;
			if (best === null || row.ts < best) best = row.ts;
			break;
		}
		if (best !== null && best < h.hour_start + HOUR_MS) break;
	}
	return best;
}
