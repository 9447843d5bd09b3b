/**
 * Calendar maths in the configured zone: an IANA name (DST-aware, through Intl) or a fixed
 * offset (TIMEZONE_OFFSET_HOURS, as the original collector had). Instants are UTC epoch ms.
 */
export type Zone =
	| {readonly kind: 'iana'; readonly name: string}
	| {readonly kind: 'fixed'; readonly offsetMinutes: number};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type LocalParts = {year: number; month: number; day: number; hour: number; minute: number};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(name: string): Intl.DateTimeFormat {
	let dtf = formatters.get(name);
	if (!dtf) {
		dtf = new Intl.DateTimeFormat('en-US', {
			timeZone: name,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(name, dtf);
	}
	return dtf;
}

/** True when the runtime knows this IANA zone name. */
export function isValidZoneName(name: string): boolean {
	try {
		formatterFor(name);
		return true;
	} catch {
		return false;
	}
}

export function zoneLabel(zone: Zone): string {
	if (zone.kind === 'iana') return zone.name;
	const sign = zone.offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(zone.offsetMinutes);
	return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Offset of local time from UTC at `at`, in ms (UTC+7 → +25_200_000). */
export function offsetAt(zone: Zone, at: number): number {
	if (zone.kind === 'fixed') return zone.offsetMinutes * 60_000;
	const parts = formatterFor(zone.name).formatToParts(new Date(at));
	const get = (type: string): number => Number(parts.find(p => p.type === type)?.value);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - (at - (((at % 1000) + 1000) % 1000));
}

export function localParts(zone: Zone, at: number): LocalParts {
	const d = new Date(at + offsetAt(zone, at));
	return {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth() + 1,
		day: d.getUTCDate(),
		hour: d.getUTCHours(),
		minute: d.getUTCMinutes(),
	};
}

/**
 * The instant at which the local wall-clock time occurs. Ambiguous times (DST fall-back) give the
 * earlier instant; times in a DST gap move forward past the gap, so a skipped midnight gives the
 * first instant of that local day.
 */
export function wallToInstant(zone: Zone, year: number, month: number, day: number, hour = 0, minute = 0): number {
	const wall = Date.UTC(year, month - 1, day, hour, minute);
	if (zone.kind === 'fixed') return wall - zone.offsetMinutes * 60_000;
	const before = offsetAt(zone, wall - DAY_MS);
	const after = offsetAt(zone, wall + DAY_MS);
	const candidates = [wall - before, wall - after].filter(t => t + offsetAt(zone, t) === wall);
	if (candidates.length > 0) return Math.min(...candidates);
	return wall - Math.min(before, after);
}

export function formatLocalDate(parts: {year: number; month: number; day: number}): string {
	return `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}

/** Local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(zone: Zone, at: number): string {
	return formatLocalDate(localParts(zone, at));
}

export function parseLocalDate(date: string): {year: number; month: number; day: number} | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return undefined;
	const year = Number(m[1]);
	const month = Number(m[2]);
	const day = Number(m[3]);
	const check = new Date(Date.UTC(year, month - 1, day));
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
	return {year, month, day};
}

/** Calendar arithmetic on a local date, independent of any zone. */
export function addDays(date: {year: number; month: number; day: number}, days: number): {year: number; month: number; day: number} {
	const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
	return {year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate()};
}

/** First instant of the local day that contains `at`. */
export function startOfDay(zone: Zone, at: number): number {
	const p = localParts(zone, at);
	return wallToInstant(zone, p.year, p.month, p.day);
}

/** First instant of the given local date. */
export function startOfLocalDate(zone: Zone, date: {year: number; month: number; day: number}): number {
	return wallToInstant(zone, date.year, date.month, date.day);
}

/** First instant of the local day after the one containing `at` (23, 24 or 25 hours later). */
export function startOfNextDay(zone: Zone, at: number): number {
	const p = localParts(zone, at);
	return startOfLocalDate(zone, addDays(p, 1));
}

/** Monday 00:00 local of the week containing `at` (weeks start on Monday). */
export function startOfWeek(zone: Zone, at: number): number {
	const p = localParts(zone, at);
	const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(); // 0 = Sunday
	const sinceMonday = (weekday + 6) % 7;
	return startOfLocalDate(zone, addDays(p, -sinceMonday));
}

/**
 * Maps instants to local dates with a one-day cache, for hot paths where consecutive
 * instants mostly fall on the same day.
 */
export class DayLookup {
	private start = 0;
	private end = -1;
	private date = '';

	constructor(private readonly zone: Zone) {}

	dateOf(at: number): string {
		if (at >= this.start && at < this.end) return this.date;
		const p = localParts(this.zone, at);
		this.start = startOfLocalDate(this.zone, p);
		this.end = startOfLocalDate(this.zone, addDays(p, 1));
		this.date = formatLocalDate(p);
		return this.date;
	}

	/** [start, end) of the local day containing `at`. */
	spanOf(at: number): {start: number; end: number; date: string} {
		const date = this.dateOf(at);
		return {start: this.start, end: this.end, date};
	}
}
