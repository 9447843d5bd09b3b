import {DAY_MS, HOUR_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {usageByModelDays} from './day-usage.js';
import {usageByModel, type ModelUsage} from './range-usage.js';

/** Per-model usage over [start, end). */
export type UsageReader = (start: number, end: number) => readonly ModelUsage[];

/**
 * `usageByModel` for one screenful of queries. A range is read in segments, each remembered:
 * the partial hour at its start and at its end from the request rows, whole hours from
 * `hourly_stats`, whole UTC days from `daily_model_stats`. Every dashboard range ends at `now`,
 * so the rows of the current hour are read once, not once per gauge, and a 30-day range reads
 * about 30 rows per model. Make a new reader for every refresh; it never sees later writes.
 */
export function memoUsageReader(db: Db): UsageReader {
	const seen = new Map<string, readonly ModelUsage[]>();
	const remember = (key: string, read: () => readonly ModelUsage[]): readonly ModelUsage[] => {
		let rows = seen.get(key);
		if (!rows) seen.set(key, (rows = read()));
		return rows;
	};
	const rows = (start: number, end: number) => remember(`r${start}:${end}`, () => usageByModel(db, start, end));
	const days = (start: number, end: number) => remember(`d${start}:${end}`, () => usageByModelDays(db, start, end));
	return (start, end) => {
		if (end <= start) return [];
		return remember(`${start}:${end}`, () => {
			const first = Math.ceil(start / HOUR_MS) * HOUR_MS;
			const last = Math.floor(end / HOUR_MS) * HOUR_MS;
			if (first >= last) return rows(start, end);
			const firstDay = Math.ceil(first / DAY_MS) * DAY_MS;
			const lastDay = Math.floor(last / DAY_MS) * DAY_MS;
			const parts: Array<readonly ModelUsage[]> = [];
			if (start < first) parts.push(rows(start, first));
			if (firstDay < lastDay) {
				if (first < firstDay) parts.push(rows(first, firstDay));
				parts.push(days(firstDay, lastDay));
				if (lastDay < last) parts.push(rows(lastDay, last));
			} else parts.push(rows(first, last));
			if (last < end) parts.push(rows(last, end));
			return parts.length === 1 ? parts[0]! : merge(parts);
		});
	};
}

function merge(parts: ReadonlyArray<readonly ModelUsage[]>): ModelUsage[] {
	const totals = new Map<string, ModelUsage>();
	for (const rows of parts) {
		for (const r of rows) {
			const k = `${r.provider}\u001F${r.model}`;
			const t = totals.get(k);
			if (!t) {
				totals.set(k, {...r});
				continue;
			}
			t.requests += r.requests;
			t.failed += r.failed;
			t.inputTokens += r.inputTokens;
			t.outputTokens += r.outputTokens;
			t.reasoningTokens += r.reasoningTokens;
			t.cachedTokens += r.cachedTokens;
			t.cacheReadTokens += r.cacheReadTokens;
			t.cacheCreationTokens += r.cacheCreationTokens;
			t.totalTokens += r.totalTokens;
			t.costUsd += r.costUsd;
			t.estimatedRequests += r.estimatedRequests;
		}
	}
	// The order usageByModel gives.
	return [...totals.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.model.localeCompare(b.model));
}
