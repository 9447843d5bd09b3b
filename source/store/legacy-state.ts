import type {CounterBaseline} from '../core/cpa/counter-delta.js';
import type {ArrayCursor, ArrayObservation, LegacyPayload} from '../core/cpa/legacy-usage.js';
import type {Db} from './database.js';

type ArrayRow = {array_id: string; detail_count: number; last_key: string; total_requests: number; total_tokens: number};

/**
 * What the legacy backend remembers between polls: per-array cursors and counters, snapshots;
 * per instance (`instance` is its tag), since two v6 CPAs name their arrays alike.
 */
export class LegacyStateStore {
	private readonly upsertArray;
	private readonly insertSnapshot;
	private readonly lastSnapshot;
	private readonly readArrays;

	constructor(
		db: Db,
		private readonly instance = '',
	) {
		this.readArrays = db.prepare<[string], ArrayRow>('SELECT array_id, detail_count, last_key, total_requests, total_tokens FROM legacy_arrays WHERE instance = ?');
		this.upsertArray = db.prepare(`
			INSERT INTO legacy_arrays (instance, array_id, api, model, detail_count, last_key, total_requests, total_tokens, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (instance, array_id) DO UPDATE SET detail_count = excluded.detail_count, last_key = excluded.last_key,
				total_requests = excluded.total_requests, total_tokens = excluded.total_tokens, updated_at = excluded.updated_at`);
		this.insertSnapshot = db.prepare(`
			INSERT INTO usage_snapshots (instance, collected_at, cpa_version, total_requests, success_count, failure_count, total_tokens, new_details, residual_requests)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
		this.lastSnapshot = db.prepare<[string], {collected_at: number; total_requests: number}>(
			'SELECT collected_at, total_requests FROM usage_snapshots WHERE instance = ? ORDER BY id DESC LIMIT 1',
		);
	}

	load(): {cursors: Map<string, ArrayCursor>; baseline: CounterBaseline} {
		const cursors = new Map<string, ArrayCursor>();
		const baseline = new Map<string, {requests: number; tokens: number}>();
		for (const row of this.readArrays.all(this.instance)) {
			cursors.set(row.array_id, {count: row.detail_count, lastKey: row.last_key});
			baseline.set(row.array_id, {requests: row.total_requests, tokens: row.total_tokens});
		}
		return {cursors, baseline};
	}

	previousSnapshot(): {collectedAt: number; totalRequests: number} | null {
		const row = this.lastSnapshot.get(this.instance);
		return row ? {collectedAt: row.collected_at, totalRequests: row.total_requests} : null;
	}

	/** Call inside the poll's transaction. */
	save(payload: LegacyPayload, arrays: readonly ArrayObservation[], meta: {now: number; cpaVersion: string | null; newDetails: number; residualRequests: number}): void {
		for (const a of arrays) {
			this.upsertArray.run(this.instance, a.arrayId, a.apiLabel, a.model, a.cursor.count, a.cursor.lastKey, a.counters.requests, a.counters.tokens, meta.now);
		}
		const t = payload.totals;
		this.insertSnapshot.run(this.instance, meta.now, meta.cpaVersion, t.totalRequests, t.successCount, t.failureCount, t.totalTokens, meta.newDetails, meta.residualRequests);
	}
}
