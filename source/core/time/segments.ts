import {DAY_MS, HOUR_MS} from './zone.js';

/**
 * The rollup levels: 1-minute (recent days only), 5-minute, hourly and daily UTC buckets;
 * `raw` is the request rows themselves.
 */
export type Level = 'raw' | '1m' | '5m' | '1h' | '1d';

export const MINUTE_MS = 60_000;
export const FIVE_MINUTES_MS = 5 * MINUTE_MS;

/** How long the 1-minute rollup is kept: long enough for a 7-day rolling window's edges. */
export const MINUTE_ROLLUP_DAYS = 8;

export type Segment = {level: Level; start: number; end: number};

const STEP: Record<Exclude<Level, 'raw'>, number> = {'1m': MINUTE_MS, '5m': FIVE_MINUTES_MS, '1h': HOUR_MS, '1d': DAY_MS};

/**
 * [start, end) cut into the fewest reads: whole UTC days from the daily rollup, whole hours
 * from the hourly one, whole five minutes from the 5-minute one, whole minutes from the
 * 1-minute one where it is kept (from `minutesFrom` on), and only what is left at the very
 * edges from the request rows: under a minute each in recent days, under five before. Every
 * real zone's midnight is a multiple of 15 minutes from UTC's, so local days, weeks and months
 * never need raw rows.
 */
export function segments(start: number, end: number, minutesFrom = Infinity): Segment[] {
	if (end <= start) return [];
	const out: Segment[] = [];
	const levels: Array<Exclude<Level, 'raw'>> = ['1d', '1h', '5m', '1m'];
	const cut = (a: number, b: number, i: number) => {
		if (b <= a) return;
		if (levels[i] === '1m' && a < minutesFrom) {
			// Only the part from `minutesFrom` on has minutes; before it, the rows.
			const from = Math.min(b, Math.max(a, minutesFrom));
			if (a < from) out.push({level: 'raw', start: a, end: from});
			return cut(from, b, i);
		}
		if (i === levels.length) return void out.push({level: 'raw', start: a, end: b});
		const step = STEP[levels[i]!];
		const first = Math.ceil(a / step) * step;
		const last = Math.floor(b / step) * step;
		if (first >= last) return cut(a, b, i + 1);
		cut(a, first, i + 1);
		out.push({level: levels[i]!, start: first, end: last});
		cut(last, b, i + 1);
	};
	cut(start, end, 0);
	return out;
}
