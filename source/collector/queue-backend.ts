import type {CpaClient} from '../cliproxy/client.js';
import {CpaPayloadError} from '../cliproxy/errors.js';
import {FieldError} from '../core/cpa/fields.js';
import {parseQueuePayload, type QueuePayload} from '../core/cpa/queue-payload.js';
import {readQueueBatch, type QueueBatch} from '../core/cpa/queue-record.js';
import type {Logger} from '../runtime/logger.js';
import {addPass, EMPTY_PASS, type BackendPassResult, type CollectorBackend, type PassControl} from './backend.js';
import type {RecordSink} from './record-sink.js';

/**
 * Records asked for per pop. Measured (bench/page-size.ts, 2026-12-02): ingest per CPU-second
 * rises to a plateau at 500 (100: -28 %, 250: -21 %, 1,000 and 2,000: within noise), while what a
 * SIGKILL mid-drain can lose grows with the page (on average 40, 91, 188, 289, 884 records).
 */
export const QUEUE_BATCH = 500;
/** One pass stops after this many batches so a flood cannot starve everything else. */
const MAX_BATCHES_PER_PASS = 400;

/**
 * Drains `GET /usage-queue?count=N` until a short read. Popping is destructive, so each
 * batch is committed before the next pop: a crash loses at most the batch in flight.
 */
export class QueueBackend implements CollectorBackend {
	readonly name = 'queue' as const;

	constructor(
		private readonly client: CpaClient,
		private readonly sink: RecordSink,
		private readonly salt: string,
		private readonly logger: Logger,
		private readonly batchSize = QUEUE_BATCH,
	) {}

	async pass(control?: PassControl): Promise<BackendPassResult> {
		let total = EMPTY_PASS;
		for (let i = 0; i < MAX_BATCHES_PER_PASS; i++) {
			// Spooled as it arrives, before parsing: a page the store cannot take (or a kill) is replayed, not lost.
			const page = await this.sink.pop(
				'queue',
				this.batchSize,
				async () => (await this.client.popUsageQueue(this.batchSize)).text,
				text => text,
				text => this.ingestPage(text),
			);
			total = addPass(total, page.result);
			if (page.length < this.batchSize) return total;
			// Each page is committed before the next pop, so stopping here loses nothing.
			if (control?.stopRequested) return total;
		}
		this.logger.info('queue still full after a long drain; continuing next pass', {batches: MAX_BATCHES_PER_PASS});
		return total;
	}

	/** One popped page: parse, validate, price and commit it (what `npm run bench` measures). */
	ingestPage(text: string): {result: BackendPassResult; length: number} {
		const {batch, length} = readQueuePage(text, this.salt, this.sink.now(), this.batchSize);
		return {result: this.sink.write('queue', batch.records, batch.problems), length};
	}
}

/** A `/usage-queue` answer as records (a fresh page, or one replayed from the spool: `maxRecords` null). */
export function readQueuePage(text: string, salt: string, now: number, maxRecords: number | null, origin: 'queue' | 'resp' = 'queue'): {batch: QueueBatch; length: number} {
	let payload: QueuePayload;
	try {
		payload = parseQueuePayload(text);
	} catch (error) {
		throw new CpaPayloadError(`/usage-queue: CPA sent invalid JSON (${(error as Error).message}); the popped records are lost`);
	}
	if (maxRecords !== null && Array.isArray(payload.value) && payload.value.length > maxRecords) {
		throw new CpaPayloadError(`/usage-queue: CPA sent ${payload.value.length} records when asked for at most ${maxRecords}; the page is refused and its records are lost`);
	}
	try {
		return {batch: readQueueBatch(payload.value, salt, now, origin, payload.headers), length: (payload.value as unknown[]).length};
	} catch (error) {
		if (error instanceof FieldError) throw new CpaPayloadError(`/usage-queue: ${error.message}; the popped records are lost`);
		throw error;
	}
}
