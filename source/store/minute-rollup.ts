import {MINUTE_MS, MINUTE_ROLLUP_DAYS} from '../core/time/segments.js';
import {DAY_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {StateStore} from './state.js';

/** From this instant on, `usage_1m` holds every request; before it, no minute at all. */
export const MINUTES_FROM_KEY = 'minute_rollup_from_ms';

/** Moved forward at most this often: each move deletes the minutes that fell out. */
const ADVANCE_EVERY_MS = 10 * MINUTE_MS;

/** Where the 1-minute rollup starts, for readers: Infinity when there is none. */
export function minutesFrom(db: Db): number {
	return new StateStore(db).getNumber(MINUTES_FROM_KEY) ?? Infinity;
}

/**
 * The writer's side: the 1-minute rollup covers the last MINUTE_ROLLUP_DAYS, a horizon that
 * moves with `now` in steps, each step deleting what fell out, in the writing transaction. The
 * writer adds minutes only from the horizon on, so readers may trust every minute after it.
 */
export class MinuteHorizon {
	private readonly state: StateStore;
	private readonly prune;

	constructor(db: Db) {
		this.state = new StateStore(db);
		this.prune = db.prepare<[number]>('DELETE FROM usage_1m WHERE t < ?');
	}

	/** Call inside the writing transaction. */
	at(now: number): number {
		const stored = this.state.getNumber(MINUTES_FROM_KEY);
		const wanted = Math.floor((now - MINUTE_ROLLUP_DAYS * DAY_MS) / MINUTE_MS) * MINUTE_MS;
		if (stored === null || wanted - stored >= ADVANCE_EVERY_MS) {
			const from = Math.max(stored ?? wanted, wanted);
			this.prune.run(from);
			this.state.set(MINUTES_FROM_KEY, String(from));
			return from;
		}
		return stored;
	}
}
