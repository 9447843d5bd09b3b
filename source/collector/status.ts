import type {BackendName} from '../core/cpa/cpa-version.js';
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
	/** The RESP backend's connection; absent for pull backends. */
	transport?: TransportStatus;
	warnings: string[];
};

/**
 * RESP: subscribed, CPA pushes every record; otherwise the records CPA queued meanwhile are
 * drained over `path` on every pass until the subscription is back.
 */
export type TransportStatus = {
	name: 'resp';
	/** host:port of CPA's Redis-protocol listener (CPA's own port). */
	endpoint: string;
	/** `drain_only`: a one-shot run, which never subscribes. */
	state: 'connecting' | 'subscribed' | 'reconnecting' | 'drain_only' | 'stopped';
	/** Where records come from now: the subscription, or draining the queue over HTTP or `LPOP usage N`. */
	path: 'subscribe' | 'http' | 'lpop';
	/** When `state` last changed. */
	since: number;
	/** Subscriptions re-established after a loss. */
	reconnects: number;
	/** Failed connection attempts since the last success. */
	failedAttempts: number;
	nextAttemptAt: number | null;
	lastError: string | null;
	lastMessageAt: number | null;
	/** Messages received on the subscription, control messages included. */
	messages: number;
	/** CPA announced `{"support_refresh":true}` after SUBSCRIBE (CPA does; a plain Redis does not). */
	supportsRefresh: boolean;
	/** The same in one line, for people. */
	summary: string;
};
