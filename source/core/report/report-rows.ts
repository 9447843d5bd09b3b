// The rows reports print and the HTTP API answers, named as their JSON is.
import type {DailyBreakdown} from './daily-breakdown.js';

/** One `daily_stats` row in the original collector's shape, as reports and `GET /api/data/daily` give it. */
export type DailyStatsRow = {
	id: number;
	stat_date: string;
	total_requests: number;
	success_count: number;
	failure_count: number;
	total_tokens: number;
	/** The original's name: the day's cost in USD, whatever pricing said (see estimated_requests). */
	estimated_cost_usd: number;
	/** Requests priced at the `_default` price (unknown model) or known only from counters. */
	estimated_requests: number;
	breakdown: DailyBreakdown;
	/** ISO 8601, UTC. */
	updated_at: string;
};

/** A day, week (key: its Monday) or month (key: YYYY-MM) of usage. */
export type PeriodRow = {
	period: string;
	/** The local dates it covers, clipped to the report's range. */
	first_date: string;
	last_date: string;
	total_requests: number;
	success_count: number;
	failure_count: number;
	input_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	cached_tokens: number;
	total_tokens: number;
	estimated_cost_usd: number;
	estimated_requests: number;
	models: string[];
};

export type Totals = Omit<PeriodRow, 'period' | 'first_date' | 'last_date' | 'models'>;

/** Per-provider, per-model totals over local dates: what `report models` prints and `GET /api/data/models` answers. */
export type ModelTotalsRow = {
	provider: string;
	model: string;
	requests: number;
	failed: number;
	input_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	cached_tokens: number;
	cache_read_tokens: number;
	cache_creation_tokens: number;
	total_tokens: number;
	cost_usd: number;
	estimated_requests: number;
};
