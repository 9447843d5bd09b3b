import type {CpaClient} from '../cliproxy/client.js';
import {CpaConfigError, CpaError, CpaNotFoundError} from '../cliproxy/errors.js';
import {backoffDelayMs} from '../core/time/backoff.js';
import type {Config} from '../core/config.js';
import {formatCpaVersion, type BackendName} from '../core/cpa/cpa-version.js';
import type {Logger} from '../runtime/logger.js';
import type {CollectorBackend} from './backend.js';
import type {EventBus, PassEvent} from './event-bus.js';
import {PassScheduler} from './scheduler.js';
import {selectBackend, type Selection} from './select-backend.js';
import type {CollectorStatus} from './status.js';
import type {StoreGuard} from './store-guard.js';
import type {Gap} from '../core/cpa/gap-ledger.js';
import {StoreUnavailableError} from '../store/store-failure.js';
import {CPA_DEFAULT_RETENTION_SECONDS} from '../core/config.js';
import {instanceName} from '../core/cpa/instance-name.js';

export type BackendFactories = Partial<Record<BackendName, (selection?: Selection) => CollectorBackend>>;

export type CollectorDeps = {
	config: Config;
	client: CpaClient;
	bus: EventBus;
	logger: Logger;
	backends: BackendFactories;
	now?: () => number;
	random?: () => number;
	/** What `auto` uses on a CPA with the usage queue; default `resp` when a RESP backend is registered. */
	prefer?: 'queue' | 'resp';
	/** Whether the database can take a write; checked before every pass pops. */
	store?: StoreGuard;
	/** The CPA's configured name (several CPAs); default its URL's host:port. */
	instance?: string;
};

const BACKOFF_CAP_MS = 5 * 60_000;
/**
 * A failing pass is retried within this share of CPA's queue retention, so that a CPA that
 * is reachable again is drained before what it queued meanwhile expires (60 s: every 10 s).
 */
export const RETENTION_RETRY_SHARE = 1 / 6;
const STATS_RECHECK_MS = 60_000;
export const STATS_DISABLED_WARNING =
	"usage statistics are disabled in CPA, so it records nothing: set usage-statistics-enabled: true in CPA's config.yaml";

/**
 * Runs collection passes: on a schedule, on `trigger()`, or once. Failures are state, not
 * crashes: a pass that fails is recorded and retried with capped exponential backoff, except
 * auth and configuration failures, which stop collection until the user fixes them.
 */
export class Collector {
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly scheduler: PassScheduler;
	private backend: CollectorBackend | undefined;
	private inFlight: Promise<PassEvent> | undefined;
	private nextAttemptAt = 0;
	private lastStatsCheck = 0;
	private retention: {seconds: number; source: 'cpa' | 'default'} = {seconds: CPA_DEFAULT_RETENTION_SECONDS, source: 'default'};
	private stopping = false;
	private readonly control = {stopRequested: false};
	private readonly state: CollectorStatus;

	constructor(private readonly deps: CollectorDeps) {
		this.now = deps.now ?? Date.now;
		this.random = deps.random ?? Math.random;
		this.scheduler = new PassScheduler(
			() => this.scheduledPass(),
			error => deps.logger.error('scheduled pass failed unexpectedly', {error: String(error)}),
		);
		this.state = {
			instance: deps.instance ?? instanceName(deps.config.cliproxyUrl),
			startedAt: this.now(),
			lastPollAt: null,
			lastSuccessAt: null,
			pollCount: 0,
			failedPollCount: 0,
			pollIntervalSec: deps.config.queueIntervalSeconds,
			nextPollAt: null,
			consecutiveFailures: 0,
			lastError: null,
			stopped: null,
			source: {
				url: deps.config.cliproxyUrl,
				mode: deps.config.source,
				active: null,
				reason: null,
				cpaVersion: null,
				usageStatisticsEnabled: null,
			},
			totals: {received: 0, inserted: 0, duplicates: 0, skipped: 0},
			warnings: [...deps.config.warnings],
			store: deps.store?.status() ?? null,
			queueRetention: null,
			gaps: [],
		};
		if (deps.store) deps.store.onRecovered(() => void this.trigger());
	}

	/** CPA's queue retention as last read (or its default), in ms: what retries are bound to. */
	get retentionMs(): number {
		return this.retention.seconds * 1000;
	}

	status(): CollectorStatus {
		const described = this.backend?.describe?.();
		return {
			...this.state,
			nextPollAt: this.state.stopped ? null : Math.max(this.scheduler.nextRunAt() ?? 0, this.nextAttemptAt) || null,
			source: {...this.state.source},
			totals: {...this.state.totals},
			...(described?.transport ? {transport: described.transport} : {}),
			warnings: [...this.state.warnings, ...(described?.warnings ?? [])],
			store: this.deps.store?.status() ?? null,
			gaps: [...this.state.gaps, ...(described?.gaps ?? [])],
		};
	}

	/** A gap found outside a pass (a page lost in transit when an earlier run was killed). */
	reportGap(gap: Gap): void {
		this.state.gaps.push(gap);
		this.deps.logger.warn(gap.message, {count: gap.count, cause: gap.cause});
		this.deps.bus.emit('gap', gap, this.now());
	}

	get passInProgress(): boolean {
		return this.inFlight !== undefined;
	}

	/** First pass now, then on schedule. */
	start(): void {
		this.scheduler.start(this.state.pollIntervalSec);
		void this.trigger();
	}

	/** A pass now, ignoring backoff. Calls made while a pass runs share that pass. */
	trigger(): Promise<PassEvent> {
		return this.runPass(true);
	}

	/** Stops scheduling, waits for the pass in flight, closes the backend. */
	async stop(): Promise<void> {
		this.stopping = true;
		this.control.stopRequested = true;
		this.scheduler.stop();
		await this.inFlight?.catch(() => {});
		await this.backend?.close?.();
		this.backend = undefined;
	}

	private async scheduledPass(): Promise<void> {
		if (this.now() < this.nextAttemptAt) return;
		await this.runPass(false);
	}

	private runPass(forced: boolean): Promise<PassEvent> {
		if (this.inFlight) return this.inFlight;
		const pass = this.pass(forced).finally(() => {
			this.inFlight = undefined;
		});
		this.inFlight = pass;
		return pass;
	}

	private async pass(_forced: boolean): Promise<PassEvent> {
		const started = this.now();
		const {bus, logger} = this.deps;
		if (this.state.stopped || this.stopping) {
			return {at: started, ok: false, durationMs: 0, backend: this.backend?.name ?? null, received: 0, inserted: 0, skipped: 0, error: this.state.stopped?.reason ?? 'stopping'};
		}
		this.state.pollCount++;
		this.state.lastPollAt = started;
		let event: PassEvent;
		try {
			const backend = await this.ensureBackend();
			await this.recheckStatistics(started);
			// Nothing is popped unless the store takes a write now (and what was popped before is in first).
			this.deps.store?.ready();
			const result = await backend.pass(this.control);
			this.state.totals.received += result.received;
			this.state.totals.inserted += result.inserted;
			this.state.totals.duplicates += result.duplicates;
			this.state.totals.skipped += result.skipped;
			this.state.lastSuccessAt = this.now();
			this.state.consecutiveFailures = 0;
			this.state.lastError = null;
			this.nextAttemptAt = 0;
			event = {at: this.now(), ok: true, durationMs: this.now() - started, backend: backend.name, ...result};
		} catch (error) {
			event = {at: this.now(), ok: false, durationMs: this.now() - started, backend: this.backend?.name ?? null, received: 0, inserted: 0, skipped: 0, error: this.fail(error)};
		}
		event.instance = this.state.instance;
		logger.debug('pass finished', {...event});
		bus.emit('pass', event, event.at);
		bus.emit('status', this.status(), event.at);
		return event;
	}

	private async ensureBackend(): Promise<CollectorBackend> {
		if (this.backend) return this.backend;
		const {config, client, backends, logger} = this.deps;
		const selection = await selectBackend(config.source, client, this.deps.prefer ?? (backends.resp ? 'resp' : 'queue'));
		const factory = backends[selection.backend];
		if (!factory) {
			throw new CpaConfigError(`${selection.reason}, but the ${selection.backend} backend is not available in this build; set COLLECTOR_SOURCE to another source.`);
		}
		const backend = factory(selection);
		await backend.open?.();
		this.backend = backend;
		this.lastStatsCheck = this.now();
		this.applyStatistics(selection.statisticsEnabled);
		if (backend.name !== 'legacy') await this.readRetention();
		this.state.source.active = backend.name;
		this.state.source.reason = selection.reason;
		this.state.source.cpaVersion = formatCpaVersion(client.version);
		const interval = backend.name === 'legacy' ? config.intervalSeconds : config.queueIntervalSeconds;
		this.state.pollIntervalSec = interval;
		if (this.scheduler.intervalSeconds !== 0 && !this.stopping) this.scheduler.start(interval);
		logger.info(`collecting with the ${backend.name} backend`, {reason: selection.reason, interval_seconds: interval});
		return backend;
	}

	private async recheckStatistics(now: number): Promise<void> {
		if (now - this.lastStatsCheck < STATS_RECHECK_MS) return;
		this.lastStatsCheck = now;
		this.applyStatistics(await this.deps.client.statisticsEnabled());
		this.state.source.cpaVersion = formatCpaVersion(this.deps.client.version);
		if (this.backend && this.backend.name !== 'legacy') await this.readRetention();
	}

	/** `redis-usage-queue-retention-seconds` from CPA's `/config` where it shows it; else the default. */
	private async readRetention(): Promise<void> {
		let seconds: number | null = null;
		try {
			seconds = await this.deps.client.queueRetentionSeconds();
		} catch (error) {
			if (error instanceof CpaError && !error.retryable) throw error;
		}
		const next = seconds === null ? {seconds: CPA_DEFAULT_RETENTION_SECONDS, source: 'default' as const} : {seconds, source: 'cpa' as const};
		if (next.seconds !== this.retention.seconds || next.source !== this.retention.source) {
			this.deps.logger.info('CPA queue retention', {seconds: next.seconds, from: next.source === 'cpa' ? "CPA's /config" : 'the default (CPA does not show its /config)', retry_within_seconds: Math.round(this.retryCapMs() / 1000)});
		}
		this.retention = next;
		this.state.queueRetention = {...next};
		const warning = (w: string) => w.startsWith('COLLECTOR_QUEUE_INTERVAL_SECONDS is as long as');
		this.state.warnings = this.state.warnings.filter(w => !warning(w));
		if (next.source === 'cpa' && this.state.pollIntervalSec >= next.seconds) {
			this.state.warnings.push(
				`COLLECTOR_QUEUE_INTERVAL_SECONDS is as long as CPA's queue retention (${next.seconds} s, redis-usage-queue-retention-seconds): records expire before they are read; lower the interval or raise the retention`,
			);
		}
	}

	/** The longest a failing pass waits: a share of the retention, never under the poll interval, never over 5 minutes. */
	private retryCapMs(): number {
		const interval = this.state.pollIntervalSec * 1000;
		const bound = this.backend?.name === 'legacy' ? BACKOFF_CAP_MS : Math.max(interval, this.retentionMs * RETENTION_RETRY_SHARE);
		return Math.min(BACKOFF_CAP_MS, bound);
	}

	private applyStatistics(enabled: boolean | null): void {
		const was = this.state.source.usageStatisticsEnabled;
		this.state.source.usageStatisticsEnabled = enabled;
		this.state.warnings = this.state.warnings.filter(w => w !== STATS_DISABLED_WARNING);
		if (enabled === false) {
			this.state.warnings.push(STATS_DISABLED_WARNING);
			if (was !== false) {
				this.deps.logger.warn(STATS_DISABLED_WARNING);
				this.deps.bus.emit('warning', {at: this.now(), message: STATS_DISABLED_WARNING});
			}
		}
	}

	/** Records a failed pass and decides what happens next; returns the message. */
	private fail(error: unknown): string {
		const {logger, bus} = this.deps;
		const at = this.now();
		this.state.failedPollCount++;
		if (error instanceof StoreUnavailableError) {
			// Not CPA's fault: no backoff; the store guard probes and wakes us when a write succeeds.
			this.state.lastError = {message: error.message, kind: 'store', at};
			this.nextAttemptAt = 0;
			logger.debug('collection pass skipped: the database cannot be written', {code: error.failure.code});
			return error.message;
		}
		if (this.deps.client.version) this.state.source.cpaVersion = formatCpaVersion(this.deps.client.version);
		const known = error instanceof CpaError;
		const message = known ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
		const kind = known ? error.kind : 'internal';
		this.state.lastError = {message, kind, at};
		if (known && !error.retryable) {
			this.state.stopped = {reason: message, at};
			this.scheduler.stop();
			logger.error('collection stopped', {kind, error: message});
			bus.emit('error', {at, kind, message, fatal: true}, at);
			return message;
		}
		if (error instanceof CpaNotFoundError && this.backend) {
			// The CPA behind the URL changed (an upgrade to v7 drops /usage): choose again.
			void this.backend.close?.();
			this.backend = undefined;
		}
		this.state.consecutiveFailures++;
		const delay = backoffDelayMs(this.state.consecutiveFailures, this.state.pollIntervalSec * 1000, this.retryCapMs(), this.random());
		this.nextAttemptAt = at + delay;
		logger.warn('collection pass failed; will retry', {kind, error: message, retry_in_seconds: Math.round(delay / 1000)});
		bus.emit('error', {at, kind, message, fatal: false}, at);
		return message;
	}
}
