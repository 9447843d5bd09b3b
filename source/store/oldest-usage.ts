import {FIVE_MINUTES_MS} from '../core/time/segments.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';
import {keyRange} from './time-range.js';

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		buckets: db.prepare<[number, number], {t: number; series_id: number}>(
			'SELECT t, series_id FROM usage_5m WHERE t >= ? AND t < ? AND (requests > 0 OR total > 0) ORDER BY t',
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
 * its interval, so it holds usage from its first instant). The 5-minute rollups say where to
 * look, so usually five minutes of rows are read. Null when there is none.
 */
export function oldestUsageAt(db: Db, start: number, end: number, matches: (model: string) => boolean): number | null {
	if (end <= start) return null;
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	const lookup = seriesLookup(db);
	const modelOf = (id: number) => lookup(id)?.model ?? 'unknown';
	let best: number | null = null;
	for (const d of s.deltas.all(start, end)) {
		if (!matches(d.model)) continue;
		const at = Math.max(start, d.interval_start);
		if (best === null || at < best) best = at;
	}
	let from = Math.floor(start / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
	while (from < end && (best === null || from < best)) {
		const bucket = firstMatchingBucket(s, from, best ?? end, id => matches(modelOf(id)));
		if (bucket === null) break;
		// The bucket may hold only counter deltas, only requests before `start`, or (history
		// pruned before these rollups) no rows at all: then its start is the best we know.
		let found = false;
		for (const row of s.rows.iterate(...keyRange(Math.max(start, bucket), Math.min(end, bucket + FIVE_MINUTES_MS)))) {
			if (!matches(row.model)) continue;
			if (best === null || row.ts < best) best = row.ts;
			found = true;
			break;
		}
		if (!found && bucket >= start && !hasRows(s, bucket) && (best === null || bucket < best)) best = bucket;
		from = bucket + FIVE_MINUTES_MS;
	}
	return best;
}

function hasRows(s: ReturnType<typeof prepare>, bucket: number): boolean {
	for (const _ of s.rows.iterate(...keyRange(bucket, bucket + FIVE_MINUTES_MS))) return true;
	return false;
}

function firstMatchingBucket(s: ReturnType<typeof prepare>, from: number, to: number, matches: (seriesId: number) => boolean): number | null {
	// Stops at the first match, which closes the cursor before the next query runs.
	for (const b of s.buckets.iterate(from, to)) if (matches(b.series_id)) return b.t;
	return null;
}
