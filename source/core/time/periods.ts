import {addDays, localParts, startOfDay, startOfLocalDate, type Zone} from './zone.js';

/** The dashboard's date tabs, in the configured zone. */
export type Period = 'today' | 'yesterday' | '7d' | '30d';
export const PERIODS: readonly Period[] = ['today', 'yesterday', '7d', '30d'];

/**
 * [start, end) of a period at `now`: today from local midnight through now; yesterday the whole
 * previous local day; 7d and 30d today and the 6 or 29 local days before it, through now.
 */
export function periodRange(period: Period, zone: Zone, now: number): {start: number; end: number} {
	const today = startOfDay(zone, now);
	const daysBack = (n: number) => startOfLocalDate(zone, addDays(localParts(zone, today), -n));
	switch (period) {
		case 'today':
			return {start: today, end: now + 1};
		case 'yesterday':
			return {start: daysBack(1), end: today};
		case '7d':
			return {start: daysBack(6), end: now + 1};
		case '30d':
			return {start: daysBack(29), end: now + 1};
	}
}

export const PERIOD_LABELS: Record<Period, string> = {today: 'today', yesterday: 'yesterday', '7d': 'last 7 days', '30d': 'last 30 days'};
