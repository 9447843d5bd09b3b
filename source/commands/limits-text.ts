import {describeConfig, describeProjection, describeReset, describeWindow, formatLocalTime} from '../core/limits/describe.js';
import {formatTokens, formatUsd} from '../core/report/format.js';
import type {LimitStatus} from '../core/limits/types.js';
import type {Zone} from '../core/time/zone.js';

/**
 * A config and its status as a few lines of text:
 *   #1 Anthropic Pro · claude (substring) · rolling 5h
 *      12.3k / 1.5M tokens · 0.82% used, 99.18% left · oldest usage ages out 2026-11-23 18:04 (in 4h 12m)
 *      burn 2.1k tokens/h · not within one window at this rate
 */
export function statusBlock(s: LimitStatus, zone: Zone): string {
	const c = s.config;
	const lines = [`${describeConfig(c)} · ${describeWindow(c)}${s.anchored ? ` · reset at ${formatLocalTime(zone, s.window_start)}` : ''}`];
	const others = (['tokens', 'requests', 'cost'] as const)
		.filter(d => d !== s.binding && s[d] !== null)
		.map(d => `${d === 'cost' ? formatUsd(s[d]!.used) : formatTokens(s[d]!.used)} ${d === 'cost' ? 'spent' : d} (${s[d]!.percent_used}%)`);
	lines.push(
		`   ${s.label} · ${s.percent_used}% used, ${s.percent_remaining}% left${others.length ? ` · ${others.join(', ')}` : ''} · ${describeReset(s, zone)}${s.estimated ? ' · includes estimates' : ''}`,
	);
	const rate = s.binding === 'cost' ? `${formatUsd(s.burn_rate_per_hour.cost_usd)}/h` : `${formatTokens(s.burn_rate_per_hour[s.binding])} ${s.binding}/h`;
	lines.push(`   burn ${rate} · ${describeProjection(s, zone)}`);
	return `${lines.join('\n')}\n`;
}
