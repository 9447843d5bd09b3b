import {FieldError} from '../core/cpa/fields.js';
import {readQueueRecord} from '../core/cpa/queue-record.js';
import type {RecordProblem, UsageRecord} from '../core/cpa/usage-record.js';
import type {Logger} from '../runtime/logger.js';
import {StoreUnavailableError} from '../store/store-failure.js';
import {addPass, EMPTY_PASS, type BackendPassResult} from './backend.js';
import type {RecordSink} from './record-sink.js';

export type BatchOptions = {maxRecords: number; maxDelayMs: number};
export const RESP_BATCH: BatchOptions = {maxRecords: 500, maxDelayMs: 100};

/**
 * Collects pushed records and commits them in small batches (one transaction per flush:
 * at `maxRecords`, or `maxDelayMs` after the first of a batch), so a burst costs a few
 * transactions and a lone request lands within a tenth of a second. Results add up until
 * the next pass takes them.
 */
export class RespBatcher {
	private records: UsageRecord[] = [];
	private problems: RecordProblem[] = [];
	/** The record messages as received (each valid JSON), for the spool. */
	private texts: string[] = [];
	private sequence = 0;
	private timer: NodeJS.Timeout | undefined;
	private totals: BackendPassResult = EMPTY_PASS;
	private failure: unknown = null;

	constructor(
		private readonly sink: RecordSink,
		private readonly salt: string,
		private readonly logger: Logger,
		private readonly options: BatchOptions = RESP_BATCH,
	) {}

	accept(value: unknown, headers: readonly string[] = [], text?: string): void {
		const index = this.sequence++;
		if (text !== undefined) this.texts.push(text);
		try {
			this.records.push(readQueueRecord(value, this.salt, this.sink.now(), 'resp', headers));
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			this.problems.push({index, field: error.field, problem: error.problem});
		}
		this.arm();
	}

	reject(field: string, problem: string): void {
		this.problems.push({index: this.sequence++, field, problem});
		this.arm();
	}

	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.records.length === 0 && this.problems.length === 0) return;
		const records = this.records;
		const problems = this.problems;
		const texts = this.texts;
		this.records = [];
		this.problems = [];
		this.texts = [];
		try {
			// Spooled first: while the store cannot write, pushed records wait there (fsynced) instead of being lost.
			const written = this.sink.pushed('resp-records', () => `[${texts.join(',')}]`, records.length + problems.length, () => this.sink.write('resp', records, problems));
			if (written) this.totals = addPass(this.totals, written);
		} catch (error) {
			if (error instanceof StoreUnavailableError) {
				// The store guard says so and stops the passes; nothing to fail here.
				this.logger.warn('records received over RESP wait in the spool until the database can be written', {count: records.length});
				return;
			}
			this.failure ??= error;
			// CPA has already forgotten these: say how many were lost, and fail the next pass.
			this.logger.error('could not store records received over RESP; they are lost', {count: records.length, error: String(error)});
		}
	}

	/** Everything committed since the last call; throws a storage failure once. */
	take(): BackendPassResult {
		this.flush();
		if (this.failure) {
			const failure = this.failure;
			this.failure = null;
			throw failure;
		}
		const totals = this.totals;
		this.totals = EMPTY_PASS;
		return totals;
	}

	private arm(): void {
		if (this.records.length >= this.options.maxRecords) this.flush();
		else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs);
	}
}
