import {instanceSums} from '../core/report/series.js';
import {modelUsage, type ModelUsage} from '../core/report/usage.js';
import type {Db} from './database.js';
import {seriesLookup} from './series.js';
import {rangeSums} from './usage-sums.js';

export type {ModelUsage};

/**
 * Exact usage per provider and model (and tier, with `byTier`) over [start, end): whole UTC
 * days, hours and 5-minute buckets from the rollups, the minutes at either edge off that grid
 * from the request rows (a key range on the clustered table), and legacy counter deltas that
 * overlap an edge in proportion to the overlap, as they were spread when stored.
 */
export function usageByModel(db: Db, start: number, end: number, options: {byTier?: boolean; byInstance?: boolean; instance?: string} = {}): ModelUsage[] {
	if (end <= start) return [];
	const lookup = seriesLookup(db);
	return modelUsage(instanceSums(rangeSums(db, start, end), lookup, options.instance), lookup, options);
}
