import {HOUR_MS} from '../time/zone.js';

/**
 * Burn rate in $/h over the last `windowMs`, from the cost in that window. Before the window
 * has passed since the day began, the elapsed part of the day is the window.
 */
export function burnRatePerHour(costInWindow: number, windowMs: number): number {
	return windowMs <= 0 ? 0 : (costInWindow / windowMs) * HOUR_MS;
}

/** Today's cost so far plus the burn rate for the rest of the local day. */
export function projectEndOfDay(costSoFar: number, burnPerHour: number, now: number, endOfDay: number): number {
	return costSoFar + burnPerHour * Math.max(0, endOfDay - now) / HOUR_MS;
}

/** Relative change from `before` to `now`, or null when there is nothing to compare with. */
export function relativeChange(now: number, before: number): number | null {
	if (before <= 0) return now > 0 ? null : 0;
	return (now - before) / before;
}

/** Each value's share of the sum (0 when the sum is 0). */
export function shares(values: readonly number[]): number[] {
	const sum = values.reduce((a, b) => a + b, 0);
	return values.map(v => (sum > 0 ? v / sum : 0));
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to the largest; zero stays a low dot so gaps read as gaps. */
export function sparkline(values: readonly number[]): string {
	const max = Math.max(0, ...values);
	return values.map(v => (max <= 0 || v <= 0 ? '·' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))]!)).join('');
}
