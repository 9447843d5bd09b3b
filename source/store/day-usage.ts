import {DAY_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import type {ModelUsage} from './range-usage.js';

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return db.prepare<[number, number], ModelUsage>(`
		SELECT provider, model, sum(requests) AS requests, sum(failed) AS failed, sum(input_tokens) AS inputTokens,
			sum(output_tokens) AS outputTokens, sum(reasoning_tokens) AS reasoningTokens, sum(cached_tokens) AS cachedTokens,
			sum(cache_read_tokens) AS cacheReadTokens, sum(cache_creation_tokens) AS cacheCreationTokens,
			sum(total_tokens) AS totalTokens, sum(cost_usd) AS costUsd, sum(estimated_requests) AS estimatedRequests
		FROM daily_model_stats WHERE day_start >= ? AND day_start < ? GROUP BY provider, model
		HAVING sum(requests) > 0 OR sum(total_tokens) > 0`);
}

/**
 * Usage per provider and model over whole UTC days [start, end), from `daily_model_stats`
 * (hourly_stats summed per day by triggers): what usageByModel gives for the same range, in
 * one row per day and model instead of 24.
 */
export function usageByModelDays(db: Db, start: number, end: number): ModelUsage[] {
	if (start % DAY_MS !== 0 || end % DAY_MS !== 0) throw new Error('usageByModelDays: start and end must be UTC midnights');
	if (end <= start) return [];
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	return s.all(start, end);
}
