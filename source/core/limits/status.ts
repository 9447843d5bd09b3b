import {formatTokens, formatUsd} from '../report/format.js';
import {HOUR_MS} from '../time/zone.js';
import {DIMENSIONS, type DimensionStatus, type LimitConfig, type LimitDimension, type LimitStatus, type LimitUsage, type Projection} from './types.js';

/** The per-model sums a status is built from (a subset of the store's ModelUsage). */
export type UsageRow = {model: string; requests: number; totalTokens: number; costUsd: number; estimatedRequests: number};

export const NO_USAGE: LimitUsage = Object.freeze({tokens: 0, requests: 0, cost_usd: 0, estimated_requests: 0});

/** Sums the rows whose model the config's pattern matches. */
export function sumUsage(rows: readonly UsageRow[], matches: (model: string) => boolean): LimitUsage {
	const u = {tokens: 0, requests: 0, cost_usd: 0, estimated_requests: 0};
	for (const r of rows) {
		if (!matches(r.model)) continue;
		u.tokens += r.totalTokens;
		u.requests += r.requests;
		u.cost_usd += r.costUsd;
		u.estimated_requests += r.estimatedRequests;
	}
	u.cost_usd = round(u.cost_usd, 6);
	return u;
}

/**
 * One limited dimension at `now`, projected linearly at `ratePerHour`. Exhaustion at or after
 * `horizon` (the reset, or one window length for rolling windows) is reported as null.
 */
export function dimensionStatus(used: number, limit: number, ratePerHour: number, now: number, horizon: number): DimensionStatus {
	const raw = (used / limit) * 100;
	const percentUsed = round(raw, 2);
	const remaining = Math.max(0, limit - used);
	let at: number | null = null;
	if (remaining === 0) at = now;
	else if (ratePerHour > 0) {
		const t = now + Math.round((remaining / ratePerHour) * HOUR_MS);
		at = t < horizon ? t : null;
	}
	return {
		used,
		limit,
		remaining: limit === Math.round(limit) && used === Math.round(used) ? remaining : round(remaining, 6),
		percent_used: percentUsed,
		percent_remaining: Math.max(0, round(100 - percentUsed, 2)),
		burn_rate_per_hour: ratePerHour,
		projected_exhaustion_at: at,
	};
}

export type StatusInput = {
	config: LimitConfig;
	window: {start: number; anchored: boolean};
	nextReset: number | null;
	/** Projections at or beyond this are "not before reset". */
	horizon: number;
	usage: LimitUsage;
	/** Usage over the last `burnWindowMs`. */
	burn: LimitUsage;
	burnWindowMs: number;
	now: number;
};

export function limitStatus(input: StatusInput): LimitStatus {
	const {config, usage, burn, now} = input;
	const perHour = HOUR_MS / input.burnWindowMs;
	const rate = {tokens: round(burn.tokens * perHour, 2), requests: round(burn.requests * perHour, 2), cost_usd: round(burn.cost_usd * perHour, 6)};
	const limits: Record<LimitDimension, number | null> = {tokens: config.token_limit, requests: config.request_limit, cost: config.cost_limit_usd};
	const used: Record<LimitDimension, number> = {tokens: usage.tokens, requests: usage.requests, cost: usage.cost_usd};
	const rates: Record<LimitDimension, number> = {tokens: rate.tokens, requests: rate.requests, cost: rate.cost_usd};
	const dims: Record<LimitDimension, DimensionStatus | null> = {tokens: null, requests: null, cost: null};
	let binding: LimitDimension | null = null;
	for (const d of DIMENSIONS) {
		const limit = limits[d];
		if (limit === null) continue;
		dims[d] = dimensionStatus(used[d], limit, rates[d], now, input.horizon);
		if (binding === null || dims[d]!.percent_used > dims[binding]!.percent_used) binding = d;
	}
	if (binding === null) throw new Error(`limit config ${config.id} limits nothing`);
	const b = dims[binding]!;
	const limited = DIMENSIONS.map(d => dims[d]).filter((s): s is DimensionStatus => s !== null);
	const exhaustion = limited.map(s => s.projected_exhaustion_at).filter((t): t is number => t !== null);
	let projection: Projection;
	if (limited.some(s => s.remaining === 0)) projection = 'exhausted';
	else if (exhaustion.length > 0) projection = 'before_reset';
	else if (limited.some(s => s.burn_rate_per_hour > 0)) projection = 'not_before_reset';
	else projection = 'idle';
	return {
		config,
		usage,
		tokens: dims.tokens,
		requests: dims.requests,
		cost: dims.cost,
		binding,
		percent_used: b.percent_used,
		percent_remaining: b.percent_remaining,
		label: label(binding, b),
		window_start: input.window.start,
		anchored: input.window.anchored,
		next_reset: input.nextReset,
		burn_window_minutes: Math.round(input.burnWindowMs / 60_000),
		burn_rate_per_hour: rate,
		projected_exhaustion_at: projection === 'exhausted' ? now : exhaustion.length > 0 ? Math.min(...exhaustion) : null,
		projection,
		estimated: usage.estimated_requests > 0,
		last_updated: now,
	};
}

export function label(dimension: LimitDimension, s: Pick<DimensionStatus, 'used' | 'limit'>): string {
	if (dimension === 'cost') return `${formatUsd(s.used)} / ${formatUsd(s.limit)}`;
	return `${formatTokens(s.used)} / ${formatTokens(s.limit)} ${dimension}`;
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
