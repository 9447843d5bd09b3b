import type {BackendName} from '../core/cpa/cpa-version.js';
import type {RecordProblem, UsageRecord} from '../core/cpa/usage-record.js';
import type {Logger} from '../runtime/logger.js';
import {storeFailure, StoreUnavailableError} from '../store/store-failure.js';
import type {IngestResult, UsageWriter} from '../store/usage-writer.js';
import type {BackendPassResult} from './backend.js';
import type {EventBus} from './event-bus.js';
import {countRecords, type SpoolKind} from './spool.js';
import type {StoreGuard} from './store-guard.js';

/**
 * Where every backend hands its records: one committed transaction per call, problems
 * logged with the field that was wrong, and a `usage_delta` event when something new landed.
 * With a store guard, what is popped from CPA goes through `pop()` / `pushed()`: spooled
 * before it is parsed, so a store that cannot write (or a kill) does not lose it.
 */
export class RecordSink {
	/** Records received from CPA since start (stored, duplicate, malformed or spooled alike): what CPA's counters are compared with. */
	delivered = 0;

	constructor(
		readonly writer: UsageWriter,
		private readonly bus: EventBus,
		private readonly logger: Logger,
		/** The clock records are checked against (and stamped with). */
		readonly now: () => number,
		readonly store: StoreGuard | null = null,
		/** The tag of the CPA this sink's records come from, written with every spooled page. */
		readonly instance = '',
	) {}

	/** `replay`: records received before (from the spool), not counted as delivered again. */
	write(backend: BackendName, records: readonly UsageRecord[], problems: readonly RecordProblem[], options: {replay?: boolean} = {}): BackendPassResult {
		if (!options.replay) this.delivered += records.length + problems.length;
		this.reportProblems(backend, problems);
		if (records.length === 0) return {received: problems.length, inserted: 0, duplicates: 0, skipped: problems.length};
		let result: IngestResult;
		try {
			result = this.writer.ingest(records, this.now());
		} catch (error) {
			const failure = storeFailure(error);
			if (!failure) throw error;
			throw this.store ? this.store.down(failure) : new StoreUnavailableError(failure, `The database cannot be written (${failure.code}: ${failure.message})`);
		}
		this.reportProblems(backend, result.refused);
		this.announce(backend, result);
		return {received: records.length + problems.length, inserted: result.inserted, duplicates: result.duplicates, skipped: problems.length + result.refused.length};
	}

	/**
	 * A destructive pop: an intent in the spool, the pop, the page spooled as it arrived (before
	 * parsing), then `ingest`. A page the store cannot take stays spooled (fsynced) and the
	 * StoreUnavailableError goes on, so the caller pops nothing more.
	 */
	async pop<P, T>(kind: SpoolKind, requested: number, fetch: () => Promise<P>, serialize: (page: P) => string, ingest: (page: P) => T): Promise<T> {
		const spool = this.store?.spool;
		if (!spool) return ingest(await fetch());
		const id = spool.intent(kind, requested, this.instance);
		let page: P;
		try {
			page = await fetch();
		} catch (error) {
			spool.cancel(id);
			throw error;
		}
		const text = serialize(page);
		spool.page(id, kind, text, this.instance);
		return this.settle(id, text, () => ingest(page));
	}

	/**
	 * Records pushed to us (RESP): spooled, then written; while the store is down only spooled
	 * (fsynced) and `null` returned: they are written when the store is back.
	 */
	pushed<T>(kind: SpoolKind, payload: () => string, count: number, ingest: () => T): T | null {
		const spool = this.store?.spool;
		if (!spool || !this.store) return ingest();
		if (!this.store.up) {
			this.delivered += count;
			spool.append(kind, payload(), count, this.instance);
			spool.sync();
			return null;
		}
		const text = payload();
		return this.settle(spool.append(kind, text, count, this.instance), text, ingest);
	}

	private settle<T>(id: number, text: string, ingest: () => T): T {
		const spool = this.store!.spool;
		try {
			const result = ingest();
			spool.ack(id);
			return result;
		} catch (error) {
			if (error instanceof StoreUnavailableError) {
				spool.count(id, countRecords(text));
				spool.sync();
				throw error;
			}
			// A page that cannot be read now never will be: it is not kept.
			spool.ack(id);
			throw error;
		}
	}

	reportProblems(backend: BackendName, problems: readonly RecordProblem[]): void {
		for (const p of problems.slice(0, 20)) {
			this.logger.warn('skipped a malformed usage record', {backend, index: p.index, field: p.field, problem: p.problem});
		}
		if (problems.length > 20) this.logger.warn('skipped more malformed usage records', {backend, count: problems.length - 20});
	}

	announce(backend: BackendName, result: IngestResult): void {
		if (result.quotaAccounts.length > 0) this.bus.emit('quotas', {at: this.now(), accounts: result.quotaAccounts, source: 'headers'});
		if (result.requests === 0) return;
		const at = this.now();
		this.bus.emit(
			'usage_delta',
			{
				at,
				backend,
				inserted: result.inserted,
				duplicates: result.duplicates,
				requests: result.requests,
				failed: result.failed,
				tokens: result.tokens,
				costUsd: result.costUsd,
				estimatedRequests: result.estimatedRequests,
				byModel: result.byModel,
				days: result.days,
			},
			at,
		);
	}
}
