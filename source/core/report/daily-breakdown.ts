import type {Dict} from '../text/dict.js';

/**
 * A day's breakdown in the original collector's `daily_stats.breakdown` shape, so its
 * dashboards and scripts read ours unchanged (token values in the one vocabulary; endpoints are
 * CPA's API labels):
 * {"models": {m: {requests, tokens, cost, input_tokens, output_tokens, reasoning_tokens, cached_tokens}},
 *  "endpoints": {e: {requests, tokens, cost, models: {m: {requests, tokens, cost}}}}}
 */
export type ModelBreakdown = {
	requests: number;
	tokens: number;
	cost: number;
	input_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	/** Cache read + cache write, as the original summed them. */
	cached_tokens: number;
	/** Not in the original: its cached_tokens split. */
	cache_read_tokens?: number;
	cache_write_tokens?: number;
};
/** Keyed by model and endpoint names, which come from CPA: every map here has no prototype (see dict). */
export type EndpointBreakdown = {requests: number; tokens: number; cost: number; models: Dict<{requests: number; tokens: number; cost: number}>};
/** Not in the original: per CPA (by name), only when the database holds more than one instance. */
export type InstanceBreakdown = {requests: number; tokens: number; cost: number};
export type DailyBreakdown = {models: Dict<ModelBreakdown>; endpoints: Dict<EndpointBreakdown>; instances?: Dict<InstanceBreakdown>};

export function roundUsd(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
