import type {BackendName} from '../core/cpa-version.js';

export type BackendPassResult = {
	received: number;
	inserted: number;
	duplicates: number;
	/** Malformed records, logged and not stored. */
	skipped: number;
};

/**
 * A way of getting records out of CPA. Pull backends do all their work in `pass()`; a push
 * backend (RESP) also delivers between passes once `open()` has run, and uses `pass()` to
 * check its connection and drain anything missed.
 */
/** Lets a long pass stop between committed batches when the collector is shutting down. */
export type PassControl = {readonly stopRequested: boolean};

export type CollectorBackend = {
	readonly name: BackendName;
	pass(control?: PassControl): Promise<BackendPassResult>;
	open?(): Promise<void>;
	close?(): Promise<void>;
};

export const EMPTY_PASS: BackendPassResult = {received: 0, inserted: 0, duplicates: 0, skipped: 0};

export function addPass(a: BackendPassResult, b: BackendPassResult): BackendPassResult {
	return {
		received: a.received + b.received,
		inserted: a.inserted + b.inserted,
		duplicates: a.duplicates + b.duplicates,
		skipped: a.skipped + b.skipped,
	};
}
