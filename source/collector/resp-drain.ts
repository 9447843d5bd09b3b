import {CpaConfigError, CpaPayloadError} from '../cliproxy/errors.js';
import {RespConnection, type RespEndpoint} from '../cliproxy/resp-connection.js';
import {readRespItems} from '../core/cpa/resp-message.js';
import type {Logger} from '../runtime/logger.js';
import {addPass, EMPTY_PASS, type BackendPassResult, type PassControl} from './backend.js';
import type {RecordSink} from './record-sink.js';

export const LPOP_BATCH = 500;
const MAX_PAGES_PER_PASS = 400;

export type LpopDrainDeps = {
	endpoint: RespEndpoint;
	managementKey: string | null;
	timeoutMs: number;
	sink: RecordSink;
	salt: string;
	logger: Logger;
	batchSize?: number;
	control?: PassControl;
};

export const NO_KEY_MESSAGE =
	"CLIPROXY_MANAGEMENT_KEY is not set. Put CPA's remote-management.secret-key in .env (see .env.example) and restart.";

/**
 * Drains CPA's usage queue with `LPOP usage N` on a short-lived connection (CPA v6.10.0 to
 * v6.10.7 have no HTTP queue). Popping is destructive, so each page is committed before the
 * next one is popped; CPA answers `*0` when the queue is empty.
 */
export async function lpopDrain(deps: LpopDrainDeps): Promise<BackendPassResult> {
	if (!deps.managementKey) throw new CpaConfigError(NO_KEY_MESSAGE);
	const batchSize = deps.batchSize ?? LPOP_BATCH;
	const connection = await RespConnection.open(deps.endpoint, deps.managementKey, deps.timeoutMs);
	try {
		let total = EMPTY_PASS;
		for (let page = 0; page < MAX_PAGES_PER_PASS; page++) {
			const length = await deps.sink.pop(
				'resp',
				batchSize,
				() => connection.lpop('usage', batchSize),
				items => JSON.stringify(items),
				items => {
					if (items.length > batchSize) {
						throw new CpaPayloadError(`LPOP usage ${batchSize}: CPA sent ${items.length} records; the page is refused and its records are lost`);
					}
					const batch = readRespItems(items, deps.salt, deps.sink.now());
					total = addPass(total, deps.sink.write('resp', batch.records, batch.problems));
					return items.length;
				},
			);
			if (length < batchSize) return total;
			// Each page is committed before the next pop, so stopping here loses nothing.
			if (deps.control?.stopRequested) return total;
		}
		deps.logger.info('queue still full after a long LPOP drain; continuing next pass', {pages: MAX_PAGES_PER_PASS});
		return total;
	} finally {
		connection.close();
	}
}
