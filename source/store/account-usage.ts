import {accountUsage as byAccount, type AccountUsage} from '../core/report/usage.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';
import {memoSumsReader, type SumsReader} from './usage-sums.js';

export type {AccountUsage};

/** Exact per-credential usage over [start, end), from the same rollups and edges as every other view. */
export function accountUsage(db: Db, start: number, end: number, sums: SumsReader = memoSumsReader(db)): Map<string, AccountUsage> {
	if (end <= start) return new Map();
	return byAccount(sums(start, end), seriesLookup(db));
}
