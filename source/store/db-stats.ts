import {statSync} from 'node:fs';
import type {Zone} from '../core/time/zone.js';
import {dailyDateSpan} from './daily-stats.js';
import type {Db} from './database.js';
import {PRUNED_BEFORE_KEY} from './retention.js';
import {StateStore} from './state.js';

export type DbStats = {
	file: string;
	fileBytes: number;
	walBytes: number;
	schemaVersion: number;
	pageSize: number;
	freeBytes: number;
	tables: Array<{name: string; rows: number}>;
	/** Oldest and newest stored request (UTC ms), from the ends of the time-ordered key. */
	requests: {first: number; last: number} | null;
	/** First and last local date (in the zone asked) that holds usage. */
	days: {first: string; last: string} | null;
	/** Raw rows before this instant were pruned (`db prune`); rollups cover them. */
	prunedBefore: number | null;
};

export function readDbStats(db: Db, file: string, zone: Zone): DbStats {
	const size = (path: string) => {
		try {
			return statSync(path).size;
		} catch {
			return 0;
		}
	};
	const names = db.prepare<[], {name: string}>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
	const tables = names.map(({name}) => ({name, rows: (db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as {n: number}).n}));
	const edge = (order: 'ASC' | 'DESC') => db.prepare<[], {dedupe_key: Buffer}>(`SELECT dedupe_key FROM requests ORDER BY dedupe_key ${order} LIMIT 1`).get()?.dedupe_key.readUIntBE(0, 6);
	const first = edge('ASC');
	const last = edge('DESC');
	const pageSize = db.pragma('page_size', {simple: true}) as number;
	return {
		file,
		fileBytes: size(file),
		walBytes: size(`${file}-wal`),
		schemaVersion: db.pragma('user_version', {simple: true}) as number,
		pageSize,
		freeBytes: (db.pragma('freelist_count', {simple: true}) as number) * pageSize,
		tables,
		requests: first !== undefined && last !== undefined ? {first, last} : null,
		days: dailyDateSpan(db, zone),
		prunedBefore: new StateStore(db).getNumber(PRUNED_BEFORE_KEY),
	};
}
