import type {BackendName} from '../core/cpa/cpa-version.js';
import type {Gap} from '../core/cpa/gap-ledger.js';
import type {TransportStatus} from './status.js';

/** What a backend adds to the collector's status. */
export type BackendDescription = {
	/** A push transport's connection (RESP). */
	transport?: TransportStatus;
	/** Standing warnings, shown with the collector's own for as long as they hold. */
	warnings?: string[];
	/** Requests CPA counted that never reached us (newest last). */
	gaps?: Gap[];
};

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
	describe?(): BackendDescription;
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
