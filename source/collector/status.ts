import type {BackendName} from '../core/cpa/cpa-version.js';
import type {SourceMode} from '../core/config.js';
import type {Gap} from '../core/cpa/gap-ledger.js';
import type {StoreStatus} from './store-guard.js';

export type CollectorStatus = {
	/** The CPA's configured name (`NAME=` in CLIPROXY_URL, else its host:port). */
	instance?: string;
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
	/** Whether the database can take writes, and what waits in the spool; null without a guard. */
	store: StoreStatus | null;
	/** CPA's queue retention as read from its `/config` (`cpa`) or assumed (`default`); null before a queue backend runs. */
	queueRetention: {seconds: number; source: 'cpa' | 'default'} | null;
	/** Requests CPA counted that never reached us, oldest first. */
	gaps: Gap[];
	/** Several CPAs: every instance's own status, the first one's being the fields above (a collector group sets it). */
	instances?: CollectorStatus[];
};

/**
 * RESP: subscribed, CPA pushes every record; otherwise the records CPA queued meanwhile are
 * drained over `path` on every pass until the subscription is back.
 */
export type TransportStatus = {
	name: 'resp';
	/** host:port of CPA's Redis-protocol listener (CPA's own port). */
	endpoint: string;
	/** `drain_only`: a one-shot run, or a CPA without SUBSCRIBE: never subscribes. */
	state: 'connecting' | 'subscribed' | 'reconnecting' | 'drain_only' | 'stopped';
	/** Where records come from now: the subscription, or draining the queue over HTTP or `LPOP usage N`. */
	path: 'subscribe' | 'http' | 'lpop';
	/** When `state` last changed. */
	since: number;
	/** Subscriptions re-established after a loss. */
	reconnects: number;
	/** Subscriptions lost (CPA closed us, e.g. 256 messages behind, or restarted; the network dropped). */
	drops: number;
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
