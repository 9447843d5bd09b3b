import {STRATEGIES, type LimitConfig, type Strategy} from './types.js';

/** What `limits add` (or an API client) asks for; validated by `validateLimitInput`. */
export type LimitInput = {
	provider?: unknown;
	tier_name?: unknown;
	model_pattern?: unknown;
	strategy?: unknown;
	window_minutes?: unknown;
	token_limit?: unknown;
	request_limit?: unknown;
	cost_limit_usd?: unknown;
};

export type NewLimit = Omit<LimitConfig, 'id' | 'reset_anchor_timestamp' | 'created_at' | 'updated_at'>;

/** A bad value; `field` is the config field (`token_limit`), which the CLI maps to its flag. */
export class LimitInputError extends Error {
	constructor(
		readonly field: keyof LimitInput,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

/** 366 days: a longer rolling window is a mistake, not a plan. */
export const MAX_WINDOW_MINUTES = 527_040;

export function validateLimitInput(input: LimitInput): NewLimit {
	const provider = text(input.provider, 'provider', 100);
	const tier = text(input.tier_name, 'tier_name', 100);
	const pattern = text(input.model_pattern, 'model_pattern', 200);
	if (typeof input.strategy !== 'string' || !STRATEGIES.includes(input.strategy as Strategy)) {
		throw new LimitInputError('strategy', `must be one of daily, weekly, rolling (got ${show(input.strategy)})`);
	}
	const strategy = input.strategy as Strategy;
	const windowMinutes = optional(input.window_minutes);
	if (strategy === 'rolling') {
		if (windowMinutes === null) throw new LimitInputError('window_minutes', 'is required for a rolling window: its length in minutes, such as 300 for 5 hours');
		whole(windowMinutes, 'window_minutes', MAX_WINDOW_MINUTES);
	} else if (windowMinutes !== null) {
		throw new LimitInputError('window_minutes', `applies only to rolling windows; a ${strategy} window runs from ${strategy === 'daily' ? 'local midnight' : 'Monday 00:00 local'}`);
	}
	const tokens = optional(input.token_limit);
	const requests = optional(input.request_limit);
	const cost = optional(input.cost_limit_usd);
	if (tokens !== null) whole(tokens, 'token_limit', Number.MAX_SAFE_INTEGER);
	if (requests !== null) whole(requests, 'request_limit', Number.MAX_SAFE_INTEGER);
	if (cost !== null && (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0 || cost > 1e9)) {
		throw new LimitInputError('cost_limit_usd', `must be a positive amount of US dollars such as 25 or 7.50 (got ${show(cost)})`);
	}
	if (tokens === null && requests === null && cost === null) {
		throw new LimitInputError('token_limit', 'or request_limit or cost_limit_usd must be set: a config needs at least one limit');
	}
	return {
		provider,
		tier_name: tier,
		model_pattern: pattern,
		strategy,
		window_minutes: strategy === 'rolling' ? (windowMinutes as number) : null,
		token_limit: tokens as number | null,
		request_limit: requests as number | null,
		cost_limit_usd: cost as number | null,
	};
}

function optional(value: unknown): unknown {
	return value === undefined || value === null ? null : value;
}

function text(value: unknown, field: keyof LimitInput, max: number): string {
	if (typeof value !== 'string' || value.trim() === '') throw new LimitInputError(field, 'is required and must not be empty');
	const v = value.trim();
	if (v.length > max) throw new LimitInputError(field, `must be at most ${max} characters`);
	if (/[\u0000-\u001F\u007F]/.test(v)) throw new LimitInputError(field, 'must not contain control characters');
	return v;
}

function whole(value: unknown, field: keyof LimitInput, max: number): void {
	if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
		throw new LimitInputError(field, `must be a positive whole number (got ${show(value)})`);
	}
}

function show(value: unknown): string {
	return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
