import {dedupeKey, instanceSeed} from '../core/cpa/dedupe-key.js';
import type {UsageRecord} from '../core/cpa/usage-record.js';
import type {Db} from './database.js';

/** Whether a request is stored, by the same dedupe key the writer inserts under (one index lookup). */
export function storedKeyLookup(db: Db, salt: string, instance = ''): (record: UsageRecord) => boolean {
	const seed = instanceSeed(salt, instance);
	const stmt = db.prepare<[Buffer], {one: number}>('SELECT 1 AS one FROM requests WHERE dedupe_key = ?');
	return record => stmt.get(dedupeKey(record.key, seed, record.timestampMs)) !== undefined;
}
