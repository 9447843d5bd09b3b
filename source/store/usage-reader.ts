import {modelUsage, type ModelUsage} from '../core/report/usage.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';
import {memoSumsReader, type SumsReader} from './usage-sums.js';

/** Per-model usage over [start, end). */
export type UsageReader = (start: number, end: number) => readonly ModelUsage[];

/**
 * `usageByModel` for one screenful of queries, on `memoSumsReader`: each segment of the
 * rollups (and each edge of request rows) is read once, however many gauges and panels ask
 * for ranges that share it. Make a new one for every refresh; it never sees later writes.
 */
export function memoUsageReader(db: Db, sums: SumsReader = memoSumsReader(db)): UsageReader {
	const lookup = seriesLookup(db);
	const seen = new Map<string, readonly ModelUsage[]>();
	return (start, end) => {
		if (end <= start) return [];
		const key = `${start}:${end}`;
		let rows = seen.get(key);
		if (!rows) seen.set(key, (rows = modelUsage(sums(start, end), lookup)));
		return rows;
	};
}
