import {addDays, formatLocalDate, parseLocalDate, startOfLocalDate, type Zone} from '../time/zone.js';

/** Inclusive local dates (YYYY-MM-DD); null is open-ended. */
export type DateRange = {from: string | null; to: string | null};

/** A date a user typed was wrong; the message names the field and says what to type. */
export class DateRangeError extends Error {
	constructor(
		readonly field: string,
		problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

/**
 * `--since`/`--until` (or `from`/`to` on the HTTP API): real calendar dates, since not after
 * until. Days are the configured zone's.
 */
export function parseDateRange(since: string | undefined, until: string | undefined, names = {since: '--since', until: '--until'}): DateRange {
	const check = (value: string | undefined, field: string): string | null => {
		if (value === undefined || value === '') return null;
		if (!parseLocalDate(value)) throw new DateRangeError(field, `must be a calendar date as YYYY-MM-DD, such as 2026-11-01 (got ${JSON.stringify(value)})`);
		return value;
	};
	const from = check(since, names.since);
	const to = check(until, names.until);
	if (from !== null && to !== null && from > to) {
		throw new DateRangeError(names.since, `${from} is after ${names.until} ${to}: swap them`);
	}
	return {from, to};
}

/** Far enough to cover any stored instant, and a whole UTC hour (no edge to read). */
export const END_OF_TIME = Math.floor((2 ** 48 - 1) / 3_600_000) * 3_600_000;

/** [start, end) in UTC ms: from the first instant of `from` to the first instant after `to`, in the zone. */
export function rangeInstants(zone: Zone, range: DateRange): {start: number; end: number} {
	return {
		start: range.from === null ? 0 : startOfLocalDate(zone, parseLocalDate(range.from)!),
		end: range.to === null ? END_OF_TIME : startOfLocalDate(zone, addDays(parseLocalDate(range.to)!, 1)),
	};
}

export type PeriodKind = 'daily' | 'weekly' | 'monthly';

/** The key of the period a local date falls in: the date, its week's Monday, or YYYY-MM. */
export function periodOf(kind: PeriodKind, date: string): string {
	if (kind === 'daily') return date;
	if (kind === 'monthly') return date.slice(0, 7);
	const d = parseLocalDate(date)!;
	const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
	return formatLocalDate(addDays(d, -((weekday + 6) % 7)));
}

/** First and last local date of a period, clipped to the range. */
export function periodDates(kind: PeriodKind, key: string, range: DateRange): {first: string; last: string} {
	let first = key;
	let last = key;
	if (kind === 'weekly') last = formatLocalDate(addDays(parseLocalDate(key)!, 6));
	if (kind === 'monthly') {
		const [year, month] = key.split('-').map(Number) as [number, number];
		first = `${key}-01`;
		last = formatLocalDate(addDays({year: month === 12 ? year + 1 : year, month: month === 12 ? 1 : month + 1, day: 1}, -1));
	}
	if (range.from !== null && range.from > first) first = range.from;
	if (range.to !== null && range.to < last) last = range.to;
	return {first, last};
}
