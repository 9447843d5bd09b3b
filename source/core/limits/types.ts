/** How a limit's window is placed in time (reference §4.4). */
export type Strategy = 'daily' | 'weekly' | 'rolling';
export const STRATEGIES: readonly Strategy[] = ['daily', 'weekly', 'rolling'];

/** The quantities a config can limit. `cost` is in USD. */
export type LimitDimension = 'tokens' | 'requests' | 'cost';
export const DIMENSIONS: readonly LimitDimension[] = ['tokens', 'requests', 'cost'];

/** A stored rate-limit config. Times are UTC epoch ms. */
export type LimitConfig = {
	id: number;
	/** A label ("Anthropic"): it does not filter; the pattern selects the models. */
	provider: string;
	tier_name: string;
	/** Case-insensitive: with `*` or `?` a glob over the whole model name, else a substring. */
	model_pattern: string;
	strategy: Strategy;
	/** Length of a rolling window; null for daily and weekly. */
	window_minutes: number | null;
	token_limit: number | null;
	request_limit: number | null;
	cost_limit_usd: number | null;
	/** The last manual reset; it starts the window until the next natural boundary passes it. */
	reset_anchor_timestamp: number | null;
	created_at: number;
	updated_at: number;
};

/** Usage of the models a config matches, over some range. */
export type LimitUsage = {tokens: number; requests: number; cost_usd: number; estimated_requests: number};

/** One limited dimension. `percent_used` may exceed 100; `percent_remaining` stays within 0–100. */
export type DimensionStatus = {
	used: number;
	limit: number;
	/** max(0, limit − used). */
	remaining: number;
	percent_used: number;
	/** 100 − percent_used, at least 0: what the original stored as `percentage`. */
	percent_remaining: number;
	/** Usage over the last `burn_window_minutes`, per hour. */
	burn_rate_per_hour: number;
	/** When this dimension runs out at that rate; null when not before the projection horizon. */
	projected_exhaustion_at: number | null;
};

/**
 * - `exhausted`: some limited dimension is already used up (`projected_exhaustion_at` = now);
 * - `before_reset`: at the current burn rate a limit runs out at `projected_exhaustion_at`;
 * - `not_before_reset`: it does not run out before the window resets (daily, weekly) or within one
 *   window length (rolling);
 * - `idle`: nothing used over the burn window, so there is no rate to project.
 */
export type Projection = 'exhausted' | 'before_reset' | 'not_before_reset' | 'idle';

/** A config with its status at `last_updated`. JSON-friendly; times are UTC epoch ms. */
export type LimitStatus = {
	config: LimitConfig;
	/** Usage in the window for every dimension, limited or not. */
	usage: LimitUsage;
	/** Null when the config does not limit that dimension. */
	tokens: DimensionStatus | null;
	requests: DimensionStatus | null;
	cost: DimensionStatus | null;
	/** The limited dimension with the highest percent used; the fields below mirror it. */
	binding: LimitDimension;
	percent_used: number;
	percent_remaining: number;
	/** "12.3k / 800k tokens", "37 / 500 requests", "$1.20 / $10.00". */
	label: string;
	window_start: number;
	/** True while a manual reset holds the window start later than its natural start. */
	anchored: boolean;
	/**
	 * Daily and weekly: the next natural boundary. Rolling: when the oldest usage in the window
	 * ages out (null when the window holds no usage), i.e. the next time `used` drops.
	 */
	next_reset: number | null;
	burn_window_minutes: number;
	burn_rate_per_hour: {tokens: number; requests: number; cost_usd: number};
	/** The earliest exhaustion over the limited dimensions; null unless `projection` is `exhausted` or `before_reset`. */
	projected_exhaustion_at: number | null;
	projection: Projection;
	/** Some usage in the window was priced at `_default` (unknown model) or is known only from counters. */
	estimated: boolean;
	last_updated: number;
};
