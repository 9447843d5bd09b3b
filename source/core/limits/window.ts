import {addDays, localParts, startOfDay, startOfLocalDate, startOfNextDay, startOfWeek, type Zone} from '../time/zone.js';
import type {Strategy} from './types.js';

export type WindowRule = {strategy: Strategy; windowMinutes: number | null; anchor: number | null};

export type LimitWindow = {
	/** Where usage is counted from: the natural start, or a manual reset after it. */
	start: number;
	naturalStart: number;
	anchored: boolean;
	/** The next natural boundary (daily, weekly); null for rolling, whose start moves with `now`. */
	nextBoundary: number | null;
};

/** Monday 00:00 local of the week after the one containing `at`. */
export function startOfNextWeek(zone: Zone, at: number): number {
	return startOfLocalDate(zone, addDays(localParts(zone, startOfWeek(zone, at)), 7));
}

/**
 * The window at `now`: daily from local midnight, weekly from Monday 00:00 local, rolling from
 * now − window. A manual reset (`anchor`) later than the natural start becomes the start, so it
 * holds until the next natural boundary passes it: a Wednesday reset of a weekly window holds
 * until Monday, a reset of a rolling window until anchor + window. An anchor in the future (the
 * clock went back) counts as now.
 */
export function limitWindow(rule: WindowRule, now: number, zone: Zone): LimitWindow {
	let naturalStart: number;
	let nextBoundary: number | null;
	switch (rule.strategy) {
		case 'daily':
			naturalStart = startOfDay(zone, now);
			nextBoundary = startOfNextDay(zone, now);
			break;
		case 'weekly':
			naturalStart = startOfWeek(zone, now);
			nextBoundary = startOfNextWeek(zone, now);
			break;
		case 'rolling':
			naturalStart = now - windowMs(rule);
			nextBoundary = null;
			break;
	}
	const anchored = rule.anchor !== null && rule.anchor > naturalStart;
	return {start: anchored ? Math.min(rule.anchor!, now) : naturalStart, naturalStart, anchored, nextBoundary};
}

/** Until when a reset at `anchor` holds the window start. */
export function anchorExpiry(rule: WindowRule, anchor: number, zone: Zone): number {
	switch (rule.strategy) {
		case 'daily':
			return startOfNextDay(zone, anchor);
		case 'weekly':
			return startOfNextWeek(zone, anchor);
		case 'rolling':
			return anchor + windowMs(rule);
	}
}

export function windowMs(rule: Pick<WindowRule, 'strategy' | 'windowMinutes'>): number {
	if (rule.strategy !== 'rolling') throw new Error(`windowMs: ${rule.strategy} windows have no fixed length`);
	if (rule.windowMinutes === null || !(rule.windowMinutes > 0)) throw new Error('windowMs: a rolling window needs window_minutes > 0');
	return rule.windowMinutes * 60_000;
}
