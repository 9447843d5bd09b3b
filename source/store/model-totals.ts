import {roundUsd} from '../core/report/daily-breakdown.js';
import {modelMatcher} from '../core/report/period-report.js';
import type {ModelTotalsRow} from '../core/report/report-rows.js';
import {rangeInstants, type DateRange} from '../core/report/report-range.js';
import type {ModelUsage} from '../core/report/usage.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {usageByModel} from './range-usage.js';

/**
 * Per provider, model and service tier over local dates in `zone`, exact in any zone (local
 * midnights fall on the rollups' 5-minute grid). Sorted by cost, then requests.
 */
export function readModelTotals(db: Db, zone: Zone, range: DateRange, model?: string): ModelTotalsRow[] {
	const {start, end} = rangeInstants(zone, range);
	const matches = model === undefined ? () => true : modelMatcher(model);
	return usageByModel(db, start, end, {byTier: true})
		.filter(u => matches(u.model))
		.map(modelTotalsRow);
}

export function modelTotalsRow(u: ModelUsage): ModelTotalsRow {
	return {
		provider: u.provider,
		model: u.model,
		tier: u.tier || 'standard',
		requests: u.requests,
		failed: u.failed,
		rate_limited: u.rateLimited,
		cancelled: u.cancelled,
		input_tokens: Math.round(u.inputTokens),
		cache_read_tokens: Math.round(u.cacheReadTokens),
		cache_write_tokens: Math.round(u.cacheWriteTokens),
		output_tokens: Math.round(u.outputTokens),
		reasoning_tokens: Math.round(u.reasoningTokens),
		total_tokens: Math.round(u.totalTokens),
		cost_usd: roundUsd(u.costUsd),
		estimated_requests: u.estimatedRequests,
	};
}
