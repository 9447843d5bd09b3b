import {addDays, localParts, startOfDay, startOfLocalDate, startOfNextDay, type Zone} from './zone.js';

/** The first instant kept: local midnight `days` days before the local day of `now`. */
export function retentionCutoff(zone: Zone, now: number, days: number): number {
	return startOfLocalDate(zone, addDays(localParts(zone, now), -days));
}

/**
 * The request rows to delete before `cutoff` (a local midnight), as key ranges of at most a
 * local day each (one short transaction apiece). Everything a report needs of them lives in
 * the rollups, which are never pruned, and every local midnight of every zone lies on their
 * 5-minute grid, so a report in any zone reads the same afterwards.
 */
export function pruneSegments(zone: Zone, from: number, cutoff: number): Array<[number, number]> {
	const out: Array<[number, number]> = [];
	for (let day = Math.min(startOfDay(zone, from), from); day < cutoff; ) {
		const next = Math.min(startOfNextDay(zone, day), cutoff);
		if (day < next) out.push([day, next]);
		day = next;
	}
	return out;
}
