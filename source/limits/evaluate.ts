import {modelMatcher} from '../core/limits/pattern.js';
import {limitStatus, sumUsage} from '../core/limits/status.js';
import type {LimitConfig, LimitStatus} from '../core/limits/types.js';
import {limitWindow, windowMs} from '../core/limits/window.js';
import {HOUR_MS, type Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {oldestUsageAt} from '../store/oldest-usage.js';
import {memoUsageReader, type UsageReader} from '../store/usage-reader.js';

/**
 * Burn rates are measured from the start of the previous clock hour through now (60 to 120
 * minutes): whole hours come from the rollups and the current hour is read anyway, so the rate
 * costs no extra scan of request rows.
 */
export function burnWindowStart(now: number): number {
	return Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
}

export type EvaluateContext = {db: Db; zone: Zone; now: number; read?: UsageReader};

/**
 * Every config's status at `now`. Usage counts up to and including `now`; models are filtered
 * by pattern over the per-model sums, so the rollups do the heavy lifting.
 */
export function evaluateLimits(configs: readonly LimitConfig[], ctx: EvaluateContext): LimitStatus[] {
	const read = ctx.read ?? memoUsageReader(ctx.db);
	const {now, zone} = ctx;
	const end = now + 1;
	const burnStart = burnWindowStart(now);
	return configs.map(config => {
		const matcher = modelMatcher(config.model_pattern);
		const rule = {strategy: config.strategy, windowMinutes: config.window_minutes, anchor: config.reset_anchor_timestamp};
		const window = limitWindow(rule, now, zone);
		const usage = sumUsage(read(window.start, end), matcher.test);
		const burn = sumUsage(read(burnStart, end), matcher.test);
		let nextReset = window.nextBoundary;
		let horizon = window.nextBoundary ?? now;
		if (config.strategy === 'rolling') {
			const length = windowMs(rule);
			const oldest = usage.requests > 0 || usage.tokens > 0 ? oldestUsageAt(ctx.db, window.start, end, matcher.test) : null;
			nextReset = oldest === null ? null : oldest + length;
			horizon = now + length;
		}
		return limitStatus({config, window, nextReset, horizon, usage, burn, burnWindowMs: now - burnStart, now});
	});
}
