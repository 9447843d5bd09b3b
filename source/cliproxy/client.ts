import type {KyInstance} from 'ky';
import {parseCpaVersion, type CpaVersion} from '../core/cpa/cpa-version.js';
import {isObject} from '../core/cpa/fields.js';
import {CpaAuthError, CpaConfigError, CpaNotFoundError, CpaPayloadError, CpaUnreachableError} from './errors.js';
import {formatBytes, formatSeconds, readCapped, TooLarge} from './read-capped.js';
import {safeText} from '../core/text/safe-text.js';

export type CpaClientOptions = {
	baseUrl: string;
	managementKey: string | null;
	/** Until the answer's headers, per request. The v6 `/usage` body grows without bound, so it gets `slowTimeoutMs`. @default 10_000 */
	timeoutMs?: number;
	/** @default 60_000 */
	slowTimeoutMs?: number;
	/** The whole answer, headers and body: a CPA that drips its body cannot hold a pass longer. @default 30_000 */
	deadlineMs?: number;
	/** The same for `/usage`. @default 180_000 */
	slowDeadlineMs?: number;
	/** Body caps (BODY_CAPS); tests lower them. */
	caps?: Partial<typeof BODY_CAPS>;
	fetch?: typeof fetch;
};

/**
 * The most each answer may be, in bytes, before it is refused unread or part-read (never
 * parsed): a usage-queue page of N records gets N × `perRecord` plus `overhead`. A v7.2.140
 * record with its upstream headers is about 2 KiB, so 64 KiB each is generous.
 */
export const BODY_CAPS = {
	perRecord: 64 * 1024,
	overhead: 64 * 1024,
	/** v6 `/usage`: 100,000 details are about 24 MiB. */
	usage: 512 * 1024 * 1024,
	/** `/auth-files`: a few hundred bytes per credential. */
	authFiles: 16 * 1024 * 1024,
	/** Anything else (`usage-statistics-enabled`, error bodies). */
	small: 1024 * 1024,
};

export type CpaAnswer = {text: string; version: CpaVersion | null};

export const MANAGEMENT_PREFIX = 'v0/management';

/**
 * The management API over HTTP. One request per call, no automatic retries: the collector
 * owns backoff, and auth failures must never be repeated (CPA bans after five).
 */
export class CpaClient {
	private http: Promise<KyInstance> | undefined;
	private readonly caps: typeof BODY_CAPS;
	/** The version from the latest answer that carried `X-CPA-VERSION`. */
	version: CpaVersion | null = null;
	/**
	 * Once CPA refuses the key, nothing more is sent from any part of the program (the
	 * collector, the account refresh, quota polls): five refusals ban the IP for 30 minutes.
	 */
	private refused: CpaAuthError | null = null;

	constructor(private readonly options: CpaClientOptions) {
		this.caps = {...BODY_CAPS, ...options.caps};
	}

	/**
	 * ky on first use: loading it builds a Request, which makes Node load its fetch
	 * implementation (about 60 ms), and the dashboard draws its first frame before any request.
	 */
	private client(): Promise<KyInstance> {
		const {baseUrl, managementKey, timeoutMs, fetch} = this.options;
		this.http ??= import('ky').then(({default: ky}) =>
			ky.create({
				prefixUrl: `${baseUrl}/${MANAGEMENT_PREFIX}`,
				timeout: timeoutMs ?? 10_000,
				retry: 0,
				throwHttpErrors: false,
				headers: managementKey ? {authorization: `Bearer ${managementKey}`} : {},
				...(fetch ? {fetch} : {}),
			}),
		);
		return this.http;
	}

	get baseUrl(): string {
		return this.options.baseUrl;
	}

	/** `usage-statistics-enabled`: `null` when this CPA has no such route (early v6). */
	async statisticsEnabled(): Promise<boolean | null> {
		try {
			const {text} = await this.get('usage-statistics-enabled');
			const body = parseJson(text, '/usage-statistics-enabled');
			const value = isObject(body) ? body['usage-statistics-enabled'] : undefined;
			if (typeof value !== 'boolean') throw new CpaPayloadError('/usage-statistics-enabled: expected {"usage-statistics-enabled": true|false}');
			return value;
		} catch (error) {
			if (error instanceof CpaNotFoundError && !error.managementDisabled) return null;
			throw error;
		}
	}

	/** Pops up to `count` records off CPA's usage queue (destructive). */
	popUsageQueue(count: number): Promise<CpaAnswer> {
		return this.get(`usage-queue?count=${count}`, {maxBytes: count * this.caps.perRecord + this.caps.overhead});
	}

	/**
	 * Whether `/usage-queue` exists, without popping anything: CPA answers `count=0` with 400
	 * ("count must be a positive integer") where the route exists, 404 where it does not.
	 */
	async hasUsageQueue(): Promise<boolean> {
		try {
			await this.get('usage-queue?count=0', {accept: [400]});
			return true;
		} catch (error) {
			if (error instanceof CpaNotFoundError) return false;
			throw error;
		}
	}

	/**
	 * `redis-usage-queue-retention-seconds` from `GET /config` (CPA clamps it to 3600; 0 or
	 * unset means its default, 60). `null` when this CPA does not expose it.
	 */
	async queueRetentionSeconds(): Promise<number | null> {
		let text: string;
		try {
			({text} = await this.get('config', {maxBytes: this.caps.authFiles}));
		} catch (error) {
			if (error instanceof CpaNotFoundError || error instanceof CpaPayloadError) return null;
			throw error;
		}
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			return null;
		}
		const value = isObject(body) ? body['redis-usage-queue-retention-seconds'] : undefined;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
		return value === 0 ? 60 : Math.min(3600, Math.max(1, Math.round(value)));
	}

	/** One entry per credential, with CPA's in-memory `success`/`failed` request counters. */
	getAuthFiles(): Promise<CpaAnswer> {
		return this.get('auth-files', {maxBytes: this.caps.authFiles});
	}

	/** v6 cumulative statistics. */
	getUsage(): Promise<CpaAnswer> {
		const {slowTimeoutMs = 60_000, slowDeadlineMs = 180_000} = this.options;
		return this.get('usage', {timeoutMs: slowTimeoutMs, deadlineMs: slowDeadlineMs, maxBytes: this.caps.usage});
	}

	/** A config API-key list (`claude-api-key`, …): each entry with its `auth-index`. */
	getApiKeyList(list: string): Promise<CpaAnswer> {
		return this.get(list, {maxBytes: this.caps.authFiles});
	}

	/**
	 * `POST /api-call`: CPA makes an HTTP call with a stored credential (`$TOKEN$` in a header
	 * becomes its token) and answers 200 `{status_code, header, body}` whenever the upstream round
	 * trip happened. CPA's own timeout for it is 60 s.
	 */
	apiCall(body: unknown): Promise<CpaAnswer> {
		return this.get('api-call', {timeoutMs: 65_000, deadlineMs: 70_000, maxBytes: 4 * this.caps.small, json: body});
	}

	/** The auth failure that stopped all requests, if any. */
	get authFailure(): CpaAuthError | null {
		return this.refused;
	}

	private async get(path: string, limits: {timeoutMs?: number; deadlineMs?: number; maxBytes?: number; json?: unknown; accept?: number[]} = {}): Promise<CpaAnswer> {
		if (this.refused) throw this.refused;
		if (!this.options.managementKey) {
			// Sending no key counts as a failed login at CPA, so do not send anything.
			throw new CpaConfigError(
				'CLIPROXY_MANAGEMENT_KEY is not set. Put CPA\'s remote-management.secret-key in .env (see .env.example) and restart.',
			);
		}
		const route = `/${MANAGEMENT_PREFIX}/${path.split('?')[0]}`;
		const http = await this.client();
		const deadlineMs = limits.deadlineMs ?? this.options.deadlineMs ?? 30_000;
		const deadline = new AbortController();
		const timer = setTimeout(() => deadline.abort(), deadlineMs);
		const late = () =>
			new CpaUnreachableError(`CPA at ${this.options.baseUrl} did not finish answering ${route} within ${formatSeconds(deadlineMs)}; is it stalled or overloaded? Will retry with backoff.`);
		try {
			let response: Response;
			try {
				const timeout = Math.min(limits.timeoutMs ?? this.options.timeoutMs ?? 10_000, deadlineMs);
				response = await (limits.json === undefined ? http.get(path, {timeout, signal: deadline.signal}) : http.post(path, {timeout, signal: deadline.signal, json: limits.json}));
			} catch (error) {
				if (deadline.signal.aborted) throw late();
				throw new CpaUnreachableError(describeNetworkError(error, this.options.baseUrl));
			}
			const header = response.headers.get('x-cpa-version');
			const version = parseCpaVersion(header);
			if (version) this.version = version;
			const status = response.status;
			const ok = status >= 200 && status < 300;
			let text: string;
			try {
				text = await readCapped(response, ok ? (limits.maxBytes ?? this.caps.small) : this.caps.small);
			} catch (error) {
				if (deadline.signal.aborted) throw late();
				if (error instanceof TooLarge) {
					if (!ok) text = '';
					else throw new CpaPayloadError(`CPA's answer to ${route} is larger than ${formatBytes(error.limit)}${error.declared ? ` (it announced ${formatBytes(error.declared)})` : ''}, more than it can plausibly be: refused without parsing; will retry with backoff`);
				} else {
					throw new CpaUnreachableError(`CPA at ${this.options.baseUrl} closed the connection mid-answer (${safeText((error as Error).message, 'error')})`);
				}
			}
			if (ok || limits.accept?.includes(status)) return {text, version};
			return this.refuse(status, route, header, text);
		} finally {
			clearTimeout(timer);
		}
	}

	private refuse(status: number, route: string, header: string | null, text: string): never {
		const cpaMessage = errorField(text);
		if (status === 401 || status === 403) {
			this.refused = new CpaAuthError(status, cpaMessage);
			throw this.refused;
		}
		if (status === 404) throw new CpaNotFoundError(route, header === null);
		if (status === 429 || status >= 500) {
			throw new CpaUnreachableError(`CPA answered HTTP ${status} for ${route}${cpaMessage ? ` ("${cpaMessage}")` : ''}; will retry with backoff`);
		}
		throw new CpaPayloadError(`CPA answered HTTP ${status} for ${route}${cpaMessage ? ` ("${cpaMessage}")` : ''}`);
	}
}

export function parseJson(text: string, what: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new CpaPayloadError(`${what}: CPA sent invalid JSON (${(error as Error).message})`);
	}
}

function errorField(text: string): string {
	try {
		const body = JSON.parse(text) as unknown;
		if (isObject(body) && typeof body['error'] === 'string') return safeText(body['error'], 'error');
	} catch {
		// Not JSON (Gin's plain "404 page not found", an empty body): nothing to quote.
	}
	return '';
}

function describeNetworkError(error: unknown, baseUrl: string): string {
	const err = error as {name?: string; message?: string; cause?: {code?: string; message?: string}};
	if (err.name === 'TimeoutError') return `CPA at ${baseUrl} did not answer in time; is it overloaded? Will retry with backoff.`;
	const code = err.cause?.code;
	const hint = 'Is CLIProxyAPI running, and is CLIPROXY_URL right?';
	if (code === 'ECONNREFUSED') return `Cannot reach CPA at ${baseUrl}: connection refused. ${hint}`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Cannot reach CPA at ${baseUrl}: unknown host. ${hint}`;
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `CPA at ${baseUrl} reset the connection. ${hint}`;
	return `Cannot reach CPA at ${baseUrl}: ${safeText(err.cause?.message ?? err.message ?? 'network error', 'error')}. ${hint}`;
}
