import type {BackendName} from '../core/cpa/cpa-version.js';
import type {RecordProblem, UsageRecord} from '../core/cpa/usage-record.js';
import type {Logger} from '../runtime/logger.js';
import type {IngestResult, UsageWriter} from '../store/usage-writer.js';
import type {BackendPassResult} from './backend.js';
import type {EventBus} from './event-bus.js';

/**
 * Where every backend hands its records: one committed transaction per call, problems
 * logged with the field that was wrong, and a `usage_delta` event when something new landed.
 */
export class RecordSink {
	constructor(
		private readonly writer: UsageWriter,
		private readonly bus: EventBus,
		private readonly logger: Logger,
		/** The clock records are checked against (and stamped with). */
		readonly now: () => number,
	) {}

	write(backend: BackendName, records: readonly UsageRecord[], problems: readonly RecordProblem[]): BackendPassResult {
		this.reportProblems(backend, problems);
		if (records.length === 0) return {received: problems.length, inserted: 0, duplicates: 0, skipped: problems.length};
		const result = this.writer.ingest(records, this.now());
		this.reportProblems(backend, result.refused);
		this.announce(backend, result);
		return {received: records.length + problems.length, inserted: result.inserted, duplicates: result.duplicates, skipped: problems.length + result.refused.length};
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
