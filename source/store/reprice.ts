import type {Pricer} from '../core/cpa/usage-record.js';
import type {Zone} from '../core/time/zone.js';
import type {Db} from './database.js';
import {PriceRefCache} from './dims.js';
import {DayLookup} from '../core/time/zone.js';
import {recordFromRow, requestPages} from './request-rows.js';
import {minutesFrom} from './minute-rollup.js';
import {prepareRollups, RollupBatch} from './rollups.js';

export type CostTotals = {costUsd: number; estimatedRequests: number};

export type RepriceResult = {
	requests: number;
	/** Requests whose cost, estimated flag or price reference changed. */
	changed: number;
	counterDeltas: number;
	before: CostTotals;
	after: CostTotals;
	/** Local dates (in the zone given) whose costs changed. */
	days: string[];
	dryRun: boolean;
};

class DryRun extends Error {
	constructor(readonly result: RepriceResult) {
		super('dry run');
	}
}

/**
 * Prices every request of [start, end) again with `pricer` and stores the new cost, flag and
 * price reference; re-prices the legacy counter deltas that overlap the range; and adds what
 * each cost changed by to the rollups those rows feed (nothing else in them changes, and rows
 * already pruned keep the cost they had). One transaction: all of it or nothing. With
 * `dryRun` the same work is done and rolled back, to show what would change.
 */
export function repriceRange(db: Db, pricer: Pricer, zone: Zone, start: number, end: number, options: {dryRun?: boolean} = {}): RepriceResult {
	const run = db.transaction((): RepriceResult => {
		const refs = new PriceRefCache(db);
		const batch = new RollupBatch(new DayLookup(zone));
		const update = db.prepare('UPDATE requests SET cost_usd = ?, cost_estimated = ?, price_id = ? WHERE dedupe_key = ?');
		const before: CostTotals = {costUsd: 0, estimatedRequests: 0};
		const after: CostTotals = {costUsd: 0, estimatedRequests: 0};
		let requests = 0;
		let changed = 0;
		for (const page of requestPages(db, start, end)) {
			for (const row of page) {
				const price = pricer.priceRecord(recordFromRow(row));
				const cost = price?.costUsd ?? null;
				const estimated = price?.estimated ? 1 : 0;
				const priceId = price ? refs.idFor(price.ref) : null;
				if (cost !== row.cost_usd || estimated !== row.cost_estimated || priceId !== row.price_id) {
					update.run(cost, estimated, priceId, row.dedupe_key);
					batch.addCostChange(row.ts, row.series_id, (cost ?? 0) - (row.cost_usd ?? 0), estimated - row.cost_estimated);
					changed++;
				}
				before.costUsd += row.cost_usd ?? 0;
				before.estimatedRequests += row.cost_estimated;
				after.costUsd += cost ?? 0;
				after.estimatedRequests += estimated;
			}
			requests += page.length;
		}
		const deltas = db
			.prepare<[number, number], {id: number; interval_start: number; interval_end: number; model: string; requests: number; total_tokens: number; cost_usd: number | null; series_id: number}>(
				'SELECT id, interval_start, interval_end, model, requests, total_tokens, cost_usd, series_id FROM counter_deltas WHERE interval_end >= ? AND interval_start < ?',
			)
			.all(start, end);
		const updateDelta = db.prepare('UPDATE counter_deltas SET cost_usd = ? WHERE id = ?');
		for (const d of deltas) {
			const cost = pricer.priceTokenTotal(d.model, d.total_tokens)?.costUsd ?? null;
			updateDelta.run(cost, d.id);
			batch.addSpreadCost(d.interval_start, d.interval_end, d.series_id, d.requests, d.total_tokens, (cost ?? 0) - (d.cost_usd ?? 0));
			before.costUsd += d.cost_usd ?? 0;
			after.costUsd += cost ?? 0;
			before.estimatedRequests += d.requests;
			after.estimatedRequests += d.requests;
		}
		batch.flush(prepareRollups(db), minutesFrom(db));
		const result = {requests, changed, counterDeltas: deltas.length, before, after, days: batch.touchedDates(), dryRun: options.dryRun ?? false};
		if (options.dryRun) throw new DryRun(result);
		return result;
	});
	try {
		return run.immediate();
	} catch (error) {
		if (error instanceof DryRun) return error.result;
		throw error;
	}
}
