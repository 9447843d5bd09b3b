import type {CpaClient} from '../cliproxy/client.js';
import {CpaConfigError, CpaError, CpaNotFoundError, CpaUnreachableError, CpaUnsupportedError} from '../cliproxy/errors.js';
import {RespConnection, type RespEndpoint} from '../cliproxy/resp-connection.js';
import {backoffDelayMs} from '../core/time/backoff.js';
import {formatCpaVersion, hasSubscribe, verdictForVersion} from '../core/cpa/cpa-version.js';
import {readRespMessage} from '../core/cpa/resp-message.js';
import type {Logger} from '../runtime/logger.js';
import {addPass, EMPTY_PASS, type BackendDescription, type BackendPassResult, type CollectorBackend, type PassControl} from './backend.js';
import type {EventBus} from './event-bus.js';
import {QueueBackend} from './queue-backend.js';
import type {RecordSink} from './record-sink.js';
import {RespBatcher, type BatchOptions} from './resp-batcher.js';
import {lpopDrain, NO_KEY_MESSAGE} from './resp-drain.js';
import {subscriberWarning, transportSummary} from './resp-status.js';
import type {TransportStatus} from './status.js';

export type RespBackendDeps = {
	client: CpaClient;
	sink: RecordSink;
	salt: string;
	logger: Logger;
	bus: EventBus;
	now: () => number;
	random?: () => number;
	endpoint: RespEndpoint;
	managementKey: string | null;
	/** `false` for one-shot runs: never subscribe (it would starve other tools), drain with LPOP. */
	live?: boolean;
	/** Why this CPA is never sent SUBSCRIBE (it has none: v6.10.x, v7.0.0–7.0.6): every pass drains instead. */
	noSubscribe?: string;
	/** How to drain CPA's queue while not subscribed; default HTTP, LPOP on CPAs without the HTTP queue. */
	drain?: 'http' | 'lpop';
	reconnect?: {baseMs: number; capMs: number};
	timeoutMs?: number;
	batch?: BatchOptions;
	/** Asks the collector for a pass now: after the subscription is lost or restored, or on a fatal error. */
	wake?: () => void;
};

export const RESP_RECONNECT = {baseMs: 500, capMs: 60_000};

/**
 * CPA's live transport: `AUTH <key>`, `SUBSCRIBE usage`, and every request arrives as a
 * message. While the subscription is down CPA queues records instead (for its retention
 * window), so every pass drains that queue (HTTP or `LPOP`) until the subscription is back,
 * and once more after each (re)subscribe for what was queued in between. Reconnects use
 * capped exponential backoff; an error answer to AUTH stops everything (CPA bans after five).
 */
export class RespBackend implements CollectorBackend {
	readonly name = 'resp' as const;
	private state: TransportStatus['state'];
	private since: number;
	private drainPath: 'http' | 'lpop' = 'http';
	private connection: RespConnection | null = null;
	private timer: NodeJS.Timeout | undefined;
	private attempts = 0;
	private reconnects = 0;
	private drops = 0;
	private noSubscribe: string | null;
	private subscribedBefore = false;
	private nextAttemptAt: number | null = null;
	private lastError: string | null = null;
	private lastMessageAt: number | null = null;
	private messages = 0;
	private supportsRefresh = false;
	/** Drain once after each subscribe: records queued before it stay in CPA's queue. */
	private catchUp = true;
	private epoch = 0;
	private carried = EMPTY_PASS;
	private fatal: CpaError | null = null;
	private closing = false;
	private live: boolean;
	private readonly timeoutMs: number;
	private readonly batcher: RespBatcher;
	private readonly queue: QueueBackend;

	constructor(private readonly deps: RespBackendDeps) {
		this.noSubscribe = deps.noSubscribe ?? null;
		this.live = (deps.live ?? true) && this.noSubscribe === null;
		this.timeoutMs = deps.timeoutMs ?? 10_000;
		this.state = this.live ? 'connecting' : 'drain_only';
		this.since = deps.now();
		this.batcher = new RespBatcher(deps.sink, deps.salt, deps.logger, deps.batch);
		this.queue = new QueueBackend(deps.client, deps.sink, deps.salt, deps.logger);
	}

	async open(): Promise<void> {
		const {drain, client, logger, bus, now, endpoint} = this.deps;
		if (this.live && client.version && !hasSubscribe(client.version)) {
			// Known not to have it (v6.10.x, v7.0.0–7.0.6): asking would only earn `unknown command`.
			this.noSubscribe = `CPA ${formatCpaVersion(client.version)} has no SUBSCRIBE`;
			this.live = false;
			this.setState('drain_only');
		}
		this.drainPath = drain ?? (!this.live || verdictForVersion(client.version) === 'resp-only' ? 'lpop' : 'http');
		if (!this.live) return;
		const warning = subscriberWarning(endpoint.label);
		logger.warn(warning);
		bus.emit('warning', {at: now(), message: warning}, now());
		await this.connect(false);
		if (this.fatal) throw this.fatal;
	}

	async pass(control?: PassControl): Promise<BackendPassResult> {
		if (this.fatal) throw this.fatal;
		let result = addPass(this.carried, this.batcher.take());
		this.carried = EMPTY_PASS;
		try {
			if (this.connection) await this.checkHealth(this.connection);
			const epoch = this.epoch;
			const subscribed = this.connection !== null;
			if (!subscribed || this.catchUp) {
				result = addPass(result, await this.drain(control));
				if (subscribed && epoch === this.epoch) this.catchUp = false;
			}
		} catch (error) {
			this.carried = result;
			if (error instanceof CpaError && !error.retryable) this.stop(error, false);
			throw error;
		}
		return addPass(result, this.batcher.take());
	}

	async close(): Promise<void> {
		this.closing = true;
		clearTimeout(this.timer);
		this.timer = undefined;
		this.nextAttemptAt = null;
		const connection = this.connection;
		this.connection = null;
		await connection?.quit(1000);
		this.batcher.flush();
		if (!this.fatal) this.setState('stopped');
	}

	describe(): BackendDescription {
		const path = this.connection ? 'subscribe' : this.drainPath;
		const transport: TransportStatus = {
			name: 'resp',
			endpoint: this.deps.endpoint.label,
			state: this.state,
			path,
			since: this.since,
			reconnects: this.reconnects,
			drops: this.drops,
			failedAttempts: this.attempts,
			nextAttemptAt: this.nextAttemptAt,
			lastError: this.lastError,
			lastMessageAt: this.lastMessageAt,
			messages: this.messages,
			supportsRefresh: this.supportsRefresh,
			summary: transportSummary(this.state, path, this.deps.endpoint.label, this.lastError, this.attempts, this.noSubscribe),
		};
		// The trap holds only while subscribed: down, CPA queues again and the summary says we drain it.
		return {transport, warnings: this.live && this.state === 'subscribed' ? [subscriberWarning(this.deps.endpoint.label)] : []};
	}

	private async connect(fromTimer: boolean): Promise<void> {
		this.timer = undefined;
		this.nextAttemptAt = null;
		if (this.closing || this.fatal) return;
		const key = this.deps.managementKey;
		if (!key) return this.stop(new CpaConfigError(NO_KEY_MESSAGE), fromTimer);
		let connection: RespConnection | undefined;
		try {
			connection = await RespConnection.open(this.deps.endpoint, key, this.timeoutMs);
			if (this.closing) return connection.close();
			const subscribing = connection;
			await subscribing.subscribe('usage', text => this.onMessage(text), error => this.onLost(subscribing, error));
		} catch (error) {
			connection?.close();
			const failure = error instanceof CpaError ? error : new CpaUnreachableError(String(error));
			if (!failure.retryable) return this.stop(failure, fromTimer);
			if (failure instanceof CpaUnsupportedError) return this.drainOnly(failure.message);
			return this.retryLater(failure, this.attempts + 1);
		}
		if (this.closing) return connection.close();
		const restored = this.subscribedBefore;
		this.connection = connection;
		this.subscribedBefore = true;
		this.attempts = 0;
		this.lastError = null;
		this.epoch++;
		this.catchUp = true;
		if (restored) this.reconnects++;
		this.setState('subscribed');
		this.deps.logger.info(restored ? 'RESP subscription restored' : 'subscribed to CPA usage over RESP', {endpoint: this.deps.endpoint.label, reconnects: this.reconnects});
		if (restored) this.deps.wake?.();
	}

	/** CPA has no SUBSCRIBE (it said `unknown command`): never ask again; every pass drains its queue. */
	private drainOnly(reason: string): void {
		this.noSubscribe = reason;
		this.attempts = 0;
		this.lastError = null;
		this.setState('drain_only');
		this.deps.logger.info(`CPA has no RESP SUBSCRIBE; draining its queue ${this.drainPath === 'http' ? 'over HTTP' : 'with LPOP'} every pass instead`, {reason});
	}

	private onMessage(text: string): void {
		this.messages++;
		this.lastMessageAt = this.deps.now();
		const message = readRespMessage(text);
		if (message.kind === 'record') this.batcher.accept(message.value, message.headers, text);
		else if (message.kind === 'malformed') this.batcher.reject('record', message.problem);
		else if (message.kind === 'support_refresh') this.supportsRefresh = true;
		else {
			this.deps.logger.debug('CPA reports changed credentials or config (refresh)');
			this.deps.bus.emit('cpa_refresh', {at: this.deps.now(), instance: this.deps.sink.instance});
		}
	}

	private onLost(connection: RespConnection, error: CpaError): void {
		if (connection !== this.connection) return;
		this.connection = null;
		this.drops++;
		this.batcher.flush();
		if (this.closing || this.fatal) return;
		this.deps.logger.warn(`RESP subscription lost; draining CPA's queue ${this.drainPath === 'http' ? 'over HTTP' : 'with LPOP'} until it is back`, {error: error.message});
		this.retryLater(error, 1);
		this.deps.wake?.();
	}

	private async checkHealth(connection: RespConnection): Promise<void> {
		try {
			await connection.ping();
		} catch (error) {
			this.onLost(connection, error instanceof CpaError ? error : new CpaUnreachableError(String(error)));
			connection.close();
		}
	}

	private retryLater(failure: CpaError, attempts: number): void {
		const {reconnect = RESP_RECONNECT, random = Math.random, now, logger} = this.deps;
		this.attempts = attempts;
		this.lastError = failure.message;
		this.setState('reconnecting');
		const delay = backoffDelayMs(attempts, reconnect.baseMs, reconnect.capMs, random());
		this.nextAttemptAt = now() + delay;
		if (attempts === 1) logger.warn('RESP connection failed; will retry with backoff and drain the queue meanwhile', {error: failure.message, retry_in_ms: delay});
		else logger.debug('RESP connection failed again', {error: failure.message, attempts, retry_in_ms: delay});
		this.timer = setTimeout(() => void this.connect(true), delay);
		this.timer.unref();
	}

	private async drain(control?: PassControl): Promise<BackendPassResult> {
		if (this.drainPath === 'http') {
			try {
				return await this.queue.pass(control);
			} catch (error) {
				if (!(error instanceof CpaNotFoundError) || error.managementDisabled) throw error;
				this.drainPath = 'lpop';
				this.deps.logger.info('CPA has no HTTP usage queue (v6.10.0 to v6.10.7); draining with LPOP over RESP instead');
			}
		}
		const {endpoint, managementKey, sink, salt, logger} = this.deps;
		return lpopDrain({endpoint, managementKey, timeoutMs: this.timeoutMs, sink, salt, logger, control});
	}

	/** Non-retryable: no reconnects, no drains; the collector learns it at its next pass. */
	private stop(failure: CpaError, wake: boolean): void {
		this.fatal = failure;
		this.lastError = failure.message;
		clearTimeout(this.timer);
		this.timer = undefined;
		this.nextAttemptAt = null;
		this.connection?.close();
		this.connection = null;
		this.batcher.flush();
		this.setState('stopped');
		if (wake) this.deps.wake?.();
	}

	private setState(state: TransportStatus['state']): void {
		if (state === this.state) return;
		this.state = state;
		this.since = this.deps.now();
	}
}
