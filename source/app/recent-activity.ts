import {latencyByModel, type ModelLatency} from '../core/report/latency-stats.js';
import {HOUR_MS, localParts, type Zone} from '../core/time/zone.js';
import type {Db} from '../store/database.js';
import {recentRequests, type RecentRequest} from '../store/recent-requests.js';

/** The most rows the tail can show (a very tall terminal); the read costs this many rows. */
export const TAIL_LIMIT = 100;
/** Requests stamped a little ahead of this clock (CPA's clock) still count as recent. */
const SKEW_MS = 60_000;
/** The latency panel reads the last hour, at most this many requests of it (the newest). */
export const LATENCY_LIMIT = 2000;

export type RecentActivity = {
	at: number;
	/** The latest requests, newest first, each with its local time of day (`14:03:27`). */
	tail: Array<RecentRequest & {time: string}>;
	/** Per model over the last hour (the newest LATENCY_LIMIT requests of it). */
	latency: ModelLatency[];
	/** Requests behind `latency`, and whether the hour held more. */
	latencyRequests: number;
	latencyCapped: boolean;
};

/** What the wide layout's tail and latency panels show, read at `now`: two reads bounded by their limits, whatever the database's size. */
export function readRecentActivity(db: Db, zone: Zone, now: number): RecentActivity {
	const tail = recentRequests(db, {limit: TAIL_LIMIT, until: now + SKEW_MS}).map(r => ({...r, time: timeOfDay(zone, r.ts)}));
	const hour = recentRequests(db, {limit: LATENCY_LIMIT + 1, since: now - HOUR_MS, until: now + SKEW_MS});
	const capped = hour.length > LATENCY_LIMIT;
	const sample = capped ? hour.slice(0, LATENCY_LIMIT) : hour;
	return {at: now, tail, latency: latencyByModel(sample), latencyRequests: sample.length, latencyCapped: capped};
}

/** `14:03:27` in the zone. */
export function timeOfDay(zone: Zone, at: number): string {
	const p = localParts(zone, at);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${two(p.hour)}:${two(p.minute)}:${two(Math.floor(at / 1000) % 60)}`;
}
