import {roundUsd} from '../core/report/daily-breakdown.js';
import {modelMatcher} from '../core/report/period-report.js';
import type {ModelTotalsRow} from '../core/report/report-rows.js';
import {rangeInstants, type DateRange} from '../core/report/report-range.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {usageByModel} from './range-usage.js';

/**
 * Exact over any dates (whole hours from the hourly rollups, the partial hours a local
 * midnight cuts from the request rows), so it holds in zones with half-hour offsets too.
 * Sorted by cost, then requests.
 */
export function readModelTotals(db: Db, zone: Zone, range: DateRange, model?: string): ModelTotalsRow[] {
	const {start, end} = rangeInstants(zone, range);
	const matches = model === undefined ? () => true : modelMatcher(model);
	return usageByModel(db, start, end)
		.filter(u => matches(u.model))
		.map(u => ({
			provider: u.provider,
			model: u.model,
			requests: u.requests,
			failed: u.failed,
			input_tokens: Math.round(u.inputTokens),
			output_tokens: Math.round(u.outputTokens),
			reasoning_tokens: Math.round(u.reasoningTokens),
			cached_tokens: Math.round(u.cachedTokens),
			cache_read_tokens: Math.round(u.cacheReadTokens),
			cache_creation_tokens: Math.round(u.cacheCreationTokens),
			total_tokens: Math.round(u.totalTokens),
			cost_usd: roundUsd(u.costUsd),
			estimated_requests: u.estimatedRequests,
		}));
}
