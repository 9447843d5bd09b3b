import {pruneSegments} from '../core/time/retention.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {StateStore} from './state.js';
import {keyRange} from './time-range.js';

export const PRUNED_BEFORE_KEY = 'raw_pruned_before_ms';

export type PruneResult = {requests: number; counterDeltas: number};

/**
 * Deletes raw request rows and legacy counter deltas from before `cutoff` (a local midnight).
 * The rollups stay, so daily, weekly, monthly and per-model reports over any local dates, in
 * any zone, read the same afterwards; rolling windows that start before the cutoff read its
 * first minutes from 5-minute buckets. Each local day is its own short transaction, so a
 * running collector waits milliseconds, not the whole prune. `dryRun` counts without deleting.
 */
export function pruneRawRows(db: Db, zone: Zone, cutoff: number, options: {dryRun?: boolean} = {}): PruneResult {
	const first = db.prepare<[], {dedupe_key: Buffer}>('SELECT dedupe_key FROM requests ORDER BY dedupe_key LIMIT 1').get();
	const firstDelta = db.prepare<[], {start: number | null}>('SELECT min(interval_start) AS start FROM counter_deltas').get()?.start ?? null;
	const from = Math.min(first ? first.dedupe_key.readUIntBE(0, 6) : Infinity, firstDelta ?? Infinity);
	const result: PruneResult = {requests: 0, counterDeltas: 0};
	if (from === Infinity || from >= cutoff) return result;

	const count = db.prepare<[Buffer, Buffer], {n: number}>('SELECT count(*) AS n FROM requests WHERE dedupe_key >= ? AND dedupe_key < ?');
	const remove = db.prepare<[Buffer, Buffer]>('DELETE FROM requests WHERE dedupe_key >= ? AND dedupe_key < ?');
	for (const [a, b] of pruneSegments(zone, from, cutoff)) {
		const range = keyRange(a, b);
		if (options.dryRun) result.requests += count.get(...range)!.n;
		else result.requests += db.transaction(() => remove.run(...range).changes).immediate();
	}

	const deltas = db
		.prepare<[number], {id: number; interval_start: number; interval_end: number}>('SELECT id, interval_start, interval_end FROM counter_deltas WHERE interval_end <= ?')
		.all(cutoff);
	result.counterDeltas = deltas.length;
	if (!options.dryRun) {
		const removeDelta = db.prepare<[number]>('DELETE FROM counter_deltas WHERE id = ?');
		const state = new StateStore(db);
		db.transaction(() => {
			for (const d of deltas) removeDelta.run(d.id);
			if ((state.getNumber(PRUNED_BEFORE_KEY) ?? 0) < cutoff) state.set(PRUNED_BEFORE_KEY, String(cutoff));
		}).immediate();
	}
	return result;
}
