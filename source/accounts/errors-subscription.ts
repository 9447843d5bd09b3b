import type {CpaClient} from '../cliproxy/client.js';
import {CpaError, CpaUnreachableError} from '../cliproxy/errors.js';
import {RespConnection, type RespEndpoint} from '../cliproxy/resp-connection.js';
import type {EventBus} from '../collector/event-bus.js';
import {atLeast, ERRORS_CHANNEL_SINCE} from '../core/cpa/cpa-version.js';
import {readErrorEvent} from '../core/cpa/error-event.js';
import {FieldError} from '../core/cpa/fields.js';
import {backoffDelayMs} from '../core/time/backoff.js';
import type {Logger} from '../runtime/logger.js';
import {storeErrorEvent} from '../store/accounts.js';
import {accountKey} from '../core/cpa/account-key.js';
import type {Db} from '../store/database.js';

export type ErrorsSubscriptionDeps = {
	db: Db;
	client: CpaClient;
	bus: EventBus;
	logger: Logger;
	now: () => number;
	endpoint: RespEndpoint;
	managementKey: string | null;
	reconnect?: {baseMs: number; capMs: number};
	timeoutMs?: number;
	/** The CPA's instance tag: its accounts are stored under accountKey(tag, auth_index). */
	instance?: string;
};

export type ErrorsChannelState = 'off' | 'subscribed' | 'reconnecting' | 'unsupported' | 'stopped';

/**
 * CPA's RESP `errors` channel (v7.1.44+): after every failed request CPA publishes the
 * credential's cooldown (and the model's), which becomes the account's state. It is a channel
 * of its own on its own connection (CPA streams one channel per SUBSCRIBE), separate from the
 * usage queue, so subscribing takes nothing from other collectors. Publish-only: what is sent
 * while we are away is gone. Started once the collector reads usage over RESP; a CPA that does
 * not know the channel answers `unsupported channel`, and then it is not asked again; a refused
 * AUTH stops it for good (CPA bans after five).
 */
export class ErrorsSubscription {
	private connection: RespConnection | null = null;
	private timer: NodeJS.Timeout | undefined;
	private attempts = 0;
	private closing = false;
	state: ErrorsChannelState = 'off';
	events = 0;
	lastEventAt: number | null = null;

	constructor(private readonly deps: ErrorsSubscriptionDeps) {}

	/** Starts when CPA is new enough; calling it again does nothing. */
	maybeStart(): void {
		if (this.state !== 'off' || this.closing || !this.deps.managementKey) return;
		if (!atLeast(this.deps.client.version, ERRORS_CHANNEL_SINCE)) {
			this.state = 'unsupported';
			return;
		}
		this.state = 'reconnecting';
		void this.connect();
	}

	async close(): Promise<void> {
		this.closing = true;
		clearTimeout(this.timer);
		const c = this.connection;
		this.connection = null;
		await c?.quit(1000);
		if (this.state !== 'unsupported') this.state = 'stopped';
	}

	private async connect(): Promise<void> {
		this.timer = undefined;
		if (this.closing || this.deps.client.authFailure) return;
		let connection: RespConnection | undefined;
		try {
			connection = await RespConnection.open(this.deps.endpoint, this.deps.managementKey!, this.deps.timeoutMs ?? 10_000);
			if (this.closing) return connection.close();
			const c = connection;
			await c.subscribe('errors', text => this.onMessage(text), error => this.onLost(c, error));
		} catch (error) {
			connection?.close();
			const failure = error instanceof CpaError ? error : new CpaUnreachableError(String(error));
			if (/unsupported channel/i.test(failure.message) || /home mode/i.test(failure.message)) {
				this.state = 'unsupported';
				this.deps.logger.info("CPA has no RESP errors channel here; account cooldowns come from /auth-files and response headers only", {error: failure.message});
				return;
			}
			if (!failure.retryable) {
				this.state = 'stopped';
				this.deps.logger.error('errors channel stopped', {error: failure.message});
				return;
			}
			return this.retryLater(failure);
		}
		if (this.closing) return connection.close();
		this.connection = connection;
		this.attempts = 0;
		this.state = 'subscribed';
		this.deps.logger.info('subscribed to CPA errors over RESP', {endpoint: this.deps.endpoint.label});
	}

	private onMessage(text: string): void {
		let event;
		try {
			event = readErrorEvent(JSON.parse(text));
		} catch (error) {
			const field = error instanceof FieldError ? error.field : 'event';
			this.deps.logger.warn('skipped a malformed errors-channel event', {field, problem: error instanceof Error ? error.message : String(error)});
			return;
		}
		this.events++;
		this.lastEventAt = this.deps.now();
		event = {...event, authIndex: accountKey(this.deps.instance ?? '', event.authIndex)};
		try {
			storeErrorEvent(this.deps.db, event);
		} catch (error) {
			this.deps.logger.error('could not store an errors-channel event', {error: String(error)});
			return;
		}
		this.deps.bus.emit('accounts', {at: this.lastEventAt, accounts: [event.authIndex]});
	}

	private onLost(connection: RespConnection, error: CpaError): void {
		if (connection !== this.connection) return;
		this.connection = null;
		if (this.closing) return;
		this.deps.logger.warn('errors channel lost; reconnecting', {error: error.message});
		this.retryLater(error);
	}

	private retryLater(failure: CpaError): void {
		const {reconnect = {baseMs: 1000, capMs: 5 * 60_000}} = this.deps;
		this.attempts++;
		this.state = 'reconnecting';
		const delay = backoffDelayMs(this.attempts, reconnect.baseMs, reconnect.capMs, Math.random());
		if (this.attempts === 1) this.deps.logger.debug('errors channel connect failed; will retry', {error: failure.message, retry_in_ms: delay});
		this.timer = setTimeout(() => void this.connect(), delay);
		this.timer.unref();
	}
}
