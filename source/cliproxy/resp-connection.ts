import type {Redis, RedisOptions} from 'ioredis';

/** ioredis is loaded on the first connection: a run that never uses RESP never pays for it. */
type IoRedis = {Redis: new (options: RedisOptions) => Redis; ReplyError: abstract new (...args: never[]) => Error};
let ioredis: IoRedis | undefined;

/** Node's loader exposes ioredis's named exports; a bundler's CommonJS interop keeps them on `default`. */
function loadIoRedis(module: unknown): IoRedis {
	const m = module as Partial<IoRedis> & {default?: Partial<IoRedis>};
	const lib = m.Redis ? m : m.default;
	if (!lib?.Redis || !lib.ReplyError) throw new Error('ioredis did not load: no Redis class in the module');
	return lib as IoRedis;
}
import {CpaAuthError, CpaPayloadError, CpaUnreachableError, CpaUnsupportedError, type CpaError} from './errors.js';
import {safeText} from '../core/text/safe-text.js';

/** CPA serves RESP on its HTTP port (it tells the two apart by the first byte). */
export type RespEndpoint = {host: string; port: number; tls: boolean; label: string};

export function respEndpoint(baseUrl: string): RespEndpoint {
	const url = new URL(baseUrl);
	const tls = url.protocol === 'https:';
	const port = url.port ? Number(url.port) : tls ? 443 : 80;
	return {host: url.hostname.replace(/^\[|\]$/g, ''), port, tls, label: `${url.hostname}:${port}`};
}

/**
 * ioredis set to send only what CPA understands. CPA counts any command before AUTH as a
 * failed login (five ban the IP for 30 minutes), so nothing may precede our own `AUTH <key>`:
 * no HELLO (ioredis 6 defaults to RESP3), no ready-check INFO, no CLIENT SETINFO/SETNAME,
 * no SELECT. ioredis never reconnects on its own: an AUTH failure must not be repeated, so
 * the RESP backend decides when to try again, on a fresh connection.
 */
export function cpaSafeOptions(endpoint: RespEndpoint, timeoutMs: number): RedisOptions {
	return {
		host: endpoint.host,
		port: endpoint.port,
		...(endpoint.tls ? {tls: {servername: endpoint.host}} : {}),
		protocol: 2,
		enableReadyCheck: false,
		disableClientInfo: true,
		connectionName: undefined,
		db: 0,
		lazyConnect: true,
		retryStrategy: () => null,
		autoResubscribe: false,
		autoResendUnfulfilledCommands: false,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: timeoutMs,
		commandTimeout: timeoutMs,
		keepAlive: 30_000,
	};
}

/**
 * One authenticated RESP connection to CPA. CPA accepts `AUTH`, then either `LPOP`/`RPOP
 * usage N` or `SUBSCRIBE usage`; once subscribed, only `PING`, `UNSUBSCRIBE` and `QUIT`.
 */
export class RespConnection {
	private closedByUs = false;
	private lastError: Error | null = null;

	private constructor(
		private readonly redis: Redis,
		readonly endpoint: RespEndpoint,
	) {
		redis.on('error', (error: Error) => {
			this.lastError = error;
		});
	}

	static async open(endpoint: RespEndpoint, managementKey: string, timeoutMs: number): Promise<RespConnection> {
		const lib = (ioredis ??= loadIoRedis(await import('ioredis')));
		const connection = new RespConnection(new lib.Redis(cpaSafeOptions(endpoint, timeoutMs)), endpoint);
		try {
			await connection.redis.connect();
			await connection.redis.auth(managementKey);
		} catch (error) {
			connection.close();
			throw connection.failure(error, 'AUTH');
		}
		return connection;
	}

	/** Enters subscriber mode. `onClose` runs once if the connection ends without `close()`. */
	async subscribe(channel: string, onMessage: (text: string) => void, onClose: (error: CpaError) => void): Promise<void> {
		this.redis.on('message', (from: string, text: string) => {
			if (from === channel) onMessage(text);
		});
		this.redis.once('end', () => {
			if (!this.closedByUs) onClose(this.failure(new Error('Connection is closed.'), 'subscription'));
		});
		try {
			await this.redis.subscribe(channel);
		} catch (error) {
			this.close();
			throw this.failure(error, 'SUBSCRIBE');
		}
	}

	/** A round trip on a subscribed connection (CPA answers `pong`). */
	async ping(): Promise<void> {
		try {
			await this.redis.ping();
		} catch (error) {
			throw this.failure(error, 'PING');
		}
	}

	/** `LPOP key count`: CPA answers an array (`*0` when empty), Redis a nil for an empty list. */
	async lpop(key: string, count: number): Promise<string[]> {
		try {
			return (await this.redis.lpop(key, count)) ?? [];
		} catch (error) {
			throw this.failure(error, 'LPOP');
		}
	}

	close(): void {
		this.closedByUs = true;
		this.redis.disconnect();
	}

	/**
	 * Leaves politely: `QUIT` (CPA accepts it while subscribed) and wait for `+OK`, so every
	 * message CPA wrote before it has been handed to `onMessage`; then close.
	 */
	async quit(timeoutMs: number): Promise<void> {
		this.closedByUs = true;
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.redis.quit().catch(() => {}), new Promise(resolve => (timer = setTimeout(resolve, timeoutMs)))]);
		clearTimeout(timer);
		this.redis.disconnect();
	}

	/** ioredis rejects with a bare "Connection is closed."; the socket's own error says why. */
	private failure(error: unknown, step: RespStep): CpaError {
		const closed = error instanceof Error && /connection is closed/i.test(error.message);
		return respFailure(closed && this.lastError ? this.lastError : error, this.endpoint, step);
	}
}

export type RespStep = 'AUTH' | 'SUBSCRIBE' | 'PING' | 'LPOP' | 'subscription';

/**
 * Maps a RESP failure to the collector's errors. An error reply to AUTH stops collection
 * (CpaAuthError: CPA bans after five), except CPA's home-mode refusal, which it writes on
 * connect before reading anything; everything else is retried with backoff.
 */
export function respFailure(error: unknown, endpoint: RespEndpoint, during: RespStep): CpaError {
	const err = error as {message?: string; code?: string};
	// What CPA wrote back (its error replies) is outside text: bounded and shown, never raw.
	const message = safeText(err?.message ?? String(error), 'error');
	const at = `CPA's Redis-protocol port at ${endpoint.label}`;
	if (ioredis && error instanceof ioredis.ReplyError) {
		const said = message.replace(/^(ERR|WRONGPASS|NOAUTH|NOPERM)\s+/, '');
		if (/home mode/i.test(message)) {
			return new CpaUnreachableError(`${at} refuses usage output in home mode ("${said}"); draining over HTTP instead`);
		}
		if (during === 'AUTH') {
			const status = /banned|remote management disabled|key not set/i.test(said) ? 403 : 401;
			const auth = new CpaAuthError(status, said);
			auth.message = `RESP AUTH refused: ${auth.message}`;
			return auth;
		}
		if (/unknown command/i.test(said)) return new CpaUnsupportedError(`${at} has no ${during} ("${said}")`);
		return new CpaPayloadError(`${at} answered ${during} with an error ("${said}")`);
	}
	if (err?.code === 'ECONNREFUSED') return new CpaUnreachableError(`Cannot reach ${at}: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?`);
	if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return new CpaUnreachableError(`Cannot reach ${at}: unknown host. Is CLIPROXY_URL right?`);
	if (err?.code === 'ETIMEDOUT' || /timed out/i.test(message)) return new CpaUnreachableError(`${at} did not answer ${during} in time`);
	if (/protocol error|unknown resp type/i.test(message)) {
		return new CpaUnreachableError(
			`${endpoint.label} does not answer in the Redis protocol: RESP needs a direct TCP path to CPA v6.10 or later (an HTTP reverse proxy cannot carry it)`,
		);
	}
	const step = during === 'subscription' ? 'the subscription' : during;
	if (err?.code === 'ECONNRESET' || /connection is closed/i.test(message)) return new CpaUnreachableError(`${at} closed the connection (${step})`);
	return new CpaUnreachableError(`${at} failed (${step}): ${message}`);
}
