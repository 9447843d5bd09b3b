import {addDays, HOUR_MS, localParts, startOfDay, startOfLocalDate, startOfNextDay, type Zone} from './zone.js';

/** The first instant kept: local midnight `days` days before the local day of `now`. */
export function retentionCutoff(zone: Zone, now: number, days: number): number {
	return startOfLocalDate(zone, addDays(localParts(zone, now), -days));
}

/**
 * The request rows to delete before `cutoff` (a local midnight), as key ranges of at most a
 * local day each (one short transaction apiece). Where a local midnight falls inside a UTC hour
 * (zones with half-hour offsets), that hour's rows stay: the hourly rollups cannot split it,
 * and a report cut at that midnight reads the rows. Everything else a report needs lives in
 * the hourly and daily rollups, which are never pruned.
 */
export function pruneSegments(zone: Zone, from: number, cutoff: number): Array<[number, number]> {
	const out: Array<[number, number]> = [];
	for (let day = startOfDay(zone, from); day < cutoff; ) {
		const next = startOfNextDay(zone, day);
		const a = day % HOUR_MS === 0 ? day : Math.floor(day / HOUR_MS) * HOUR_MS + HOUR_MS;
		const b = Math.min(next % HOUR_MS === 0 ? next : Math.floor(next / HOUR_MS) * HOUR_MS, cutoff);
		if (a < b) out.push([a, b]);
		day = next;
	}
	return out;
}

/** Whether [start, end) overlaps a UTC hour that a local midnight cuts (see pruneSegments). */
export function overlapsCutHour(zone: Zone, start: number, end: number): boolean {
	for (let day = startOfDay(zone, start - HOUR_MS); day < end + HOUR_MS; day = startOfNextDay(zone, day)) {
		if (day % HOUR_MS === 0) continue;
		const hour = Math.floor(day / HOUR_MS) * HOUR_MS;
		if (hour < end && hour + HOUR_MS > start) return true;
	}
	return false;
}
