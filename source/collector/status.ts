import type {BackendName} from '../core/cpa-version.js';
import type {SourceMode} from '../core/config.js';

export type CollectorStatus = {
	startedAt: number;
	lastPollAt: number | null;
	lastSuccessAt: number | null;
	pollCount: number;
	/** Passes that failed, since start. */
	failedPollCount: number;
	pollIntervalSec: number;
	nextPollAt: number | null;
	consecutiveFailures: number;
	lastError: {message: string; kind: string; at: number} | null;
	/** Set when collection cannot go on without the user (bad key, banned IP): no more polling. */
	stopped: {reason: string; at: number} | null;
	source: {
		url: string;
		mode: SourceMode;
		active: BackendName | null;
		/** Why `active` was chosen, in words (auto mode says what it saw). */
		reason: string | null;
		cpaVersion: string | null;
		usageStatisticsEnabled: boolean | null;
	};
	totals: {received: number; inserted: number; duplicates: number; skipped: number};
	warnings: string[];
};
