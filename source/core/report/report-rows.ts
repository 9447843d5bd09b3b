// The rows reports print and the HTTP API answers, named as their JSON is. Token fields are the
// one vocabulary (vocabulary.ts, docs/reports.md); `failed` counts every failed request, of
// which `rate_limited` were 429s and `cancelled` client cancels (499) or deadlines (504).
import type {DailyBreakdown} from './daily-breakdown.js';

/** The counts and tokens every report row carries. */
export type UsageFields = {
	rate_limited: number;
	cancelled: number;
	input_tokens: number;
	cache_read_tokens: number;
	cache_write_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	total_tokens: number;
	estimated_requests: number;
};

/**
 * One local day in the original collector's `daily_stats` shape, as `report daily --json` and
 * `GET /api/data/daily` give it: its fields first, then the vocabulary's (which the original
 * did not have). Computed on read, for the zone asked in; `id` is the date as YYYYMMDD.
 */
export type DailyStatsRow = {
	id: number;
	stat_date: string;
	total_requests: number;
	success_count: number;
	failure_count: number;
	total_tokens: number;
	/** The original's name: the day's cost in USD, whatever pricing said (see estimated_requests). */
	estimated_cost_usd: number;
	/** Requests whose cost is an estimate. */
	estimated_requests: number;
	breakdown: DailyBreakdown;
	/** ISO 8601, UTC: the end of the day's newest five minutes of usage (the original: when the row was last written). */
	updated_at: string;
} & UsageFields;

/** A day, week (key: its Monday) or month (key: YYYY-MM) of usage. */
export type PeriodRow = {
	period: string;
	/** The local dates it covers, clipped to the report's range. */
	first_date: string;
	last_date: string;
	total_requests: number;
	success_count: number;
	failure_count: number;
	estimated_cost_usd: number;
	models: string[];
	/** The CPAs (names) with usage in the period; only when the database holds more than one instance. */
	instances?: string[];
} & UsageFields;

export type Totals = Omit<PeriodRow, 'period' | 'first_date' | 'last_date' | 'models' | 'instances'>;

/** Per provider, model and service tier over local dates: what `report models` prints and `GET /api/data/models` answers. */
export type ModelTotalsRow = {
	/** The CPA (its name); only when the database holds more than one instance. */
	instance?: string;
	provider: string;
	model: string;
	/** `standard`, `priority` or `flex`. */
	tier: string;
	requests: number;
	failed: number;
	cost_usd: number;
} & UsageFields;
