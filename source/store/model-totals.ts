import {roundUsd} from '../core/report/daily-breakdown.js';
import {modelMatcher} from '../core/report/period-report.js';
import type {ModelTotalsRow} from '../core/report/report-rows.js';
import {rangeInstants, type DateRange} from '../core/report/report-range.js';
import type {ModelUsage} from '../core/report/usage.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {usageByModel} from './range-usage.js';
import {ALL_INSTANCES, type InstanceScope} from './instance-scope.js';

/**
 * Per provider, model and service tier over local dates in `zone`, exact in any zone (local
 * midnights fall on the rollups' 5-minute grid). Sorted by cost, then requests.
 */
export function readModelTotals(db: Db, zone: Zone, range: DateRange, model?: string, scope: InstanceScope = ALL_INSTANCES): ModelTotalsRow[] {
	const {start, end} = rangeInstants(zone, range);
	const matches = model === undefined ? () => true : modelMatcher(model);
	return usageByModel(db, start, end, {byTier: true, byInstance: scope.several, instance: scope.tag})
		.filter(u => matches(u.model))
		.map(u => modelTotalsRow(u, scope));
}

export function modelTotalsRow(u: ModelUsage, scope: InstanceScope = ALL_INSTANCES): ModelTotalsRow {
	return {
		...(u.instance !== undefined ? {instance: scope.names.get(u.instance) ?? u.instance} : {}),
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
