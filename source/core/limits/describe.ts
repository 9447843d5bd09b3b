import {formatTokens, formatUsd} from '../report/format.js';
import {localParts, type Zone} from '../time/zone.js';
import {isGlob} from './pattern.js';
import type {LimitConfig, LimitStatus} from './types.js';

/** 90_000 → "1m 30s" is too fine for gauges: "2m"; 15_120_000 → "4h 12m"; 200_000_000 → "2d 7h". */
export function formatDuration(ms: number): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
	const days = Math.floor(hours / 24);
	return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** "2026-11-30 00:00" in the zone. */
export function formatLocalTime(zone: Zone, at: number): string {
	const p = localParts(zone, at);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "daily", "weekly", "rolling 5h". */
export function describeWindow(config: Pick<LimitConfig, 'strategy' | 'window_minutes'>): string {
	return config.strategy === 'rolling' ? `rolling ${formatDuration((config.window_minutes ?? 0) * 60_000)}` : config.strategy;
}

/** "1.5M tokens, 500 requests, $25.00". */
export function describeLimits(config: Pick<LimitConfig, 'token_limit' | 'request_limit' | 'cost_limit_usd'>): string {
	const parts: string[] = [];
	if (config.token_limit !== null) parts.push(`${formatTokens(config.token_limit)} tokens`);
	if (config.request_limit !== null) parts.push(`${formatTokens(config.request_limit)} requests`);
	if (config.cost_limit_usd !== null) parts.push(formatUsd(config.cost_limit_usd));
	return parts.join(', ');
}

/** "#3 Anthropic Pro · claude (substring)". */
export function describeConfig(config: LimitConfig): string {
	return `#${config.id} ${config.provider} ${config.tier_name} · ${config.model_pattern} (${isGlob(config.model_pattern) ? 'glob' : 'substring'})`;
}

/** "resets 2026-11-30 00:00 (in 4h 12m)"; rolling: when the oldest usage ages out. */
export function describeReset(status: LimitStatus, zone: Zone): string {
	if (status.next_reset === null) return 'nothing in the window yet';
	const when = `${formatLocalTime(zone, status.next_reset)} (in ${formatDuration(status.next_reset - status.last_updated)})`;
	return status.config.strategy === 'rolling' ? `oldest usage ages out ${when}` : `resets ${when}`;
}

/** "runs out 2026-11-23 18:40 (in 3h 2m)", "not before reset", "exhausted", "idle". */
export function describeProjection(status: LimitStatus, zone: Zone): string {
	switch (status.projection) {
		case 'exhausted':
			return `exhausted (${status.binding})`;
		case 'before_reset':
			return `runs out ${formatLocalTime(zone, status.projected_exhaustion_at!)} (in ${formatDuration(status.projected_exhaustion_at! - status.last_updated)})`;
		case 'not_before_reset':
			return status.config.strategy === 'rolling' ? 'not within one window at this rate' : 'not before reset';
		case 'idle':
			return `idle (nothing in the last ${status.burn_window_minutes} min)`;
	}
}
