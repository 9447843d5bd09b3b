import type {Db} from './database.js';
import {usageByModel, type ModelUsage} from './range-usage.js';

/** Per-model usage over [start, end). */
export type UsageReader = (start: number, end: number) => readonly ModelUsage[];

/**
 * `usageByModel` that remembers the ranges it has read: one per screenful of queries (today's
 * totals, a daily gauge and the "today" breakdown all read [midnight, now) once). Make a new one
 * for every refresh; it never sees later writes.
 */
export function memoUsageReader(db: Db): UsageReader {
	const seen = new Map<string, readonly ModelUsage[]>();
	return (start, end) => {
		const k = `${start}:${end}`;
		let rows = seen.get(k);
		if (!rows) seen.set(k, (rows = usageByModel(db, start, end)));
		return rows;
	};
}
