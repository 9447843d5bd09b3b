import type {KyInstance} from 'ky';
import {parseCpaVersion, type CpaVersion} from '../core/cpa/cpa-version.js';
import {isObject} from '../core/cpa/fields.js';
import {CpaAuthError, CpaConfigError, CpaNotFoundError, CpaPayloadError, CpaUnreachableError} from './errors.js';
import {safeText} from '../core/text/safe-text.js';

export type CpaClientOptions = {
	baseUrl: string;
	managementKey: string | null;
	/** Per request. The v6 `/usage` body grows without bound, so it gets `slowTimeoutMs`. */
	timeoutMs?: number;
	slowTimeoutMs?: number;
	fetch?: typeof fetch;
};

export type CpaAnswer = {text: string; version: CpaVersion | null};

export const MANAGEMENT_PREFIX = 'v0/management';

/**
 * The management API over HTTP. One request per call, no automatic retries: the collector
 * owns backoff, and auth failures must never be repeated (CPA bans after five).
 */
export class CpaClient {
	private http: Promise<KyInstance> | undefined;
	private readonly slowTimeoutMs: number;
	/** The version from the latest answer that carried `X-CPA-VERSION`. */
	version: CpaVersion | null = null;

	constructor(private readonly options: CpaClientOptions) {
		this.slowTimeoutMs = options.slowTimeoutMs ?? 60_000;
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
		return this.get(`usage-queue?count=${count}`);
	}

	/** One entry per credential, with CPA's in-memory `success`/`failed` request counters. */
	getAuthFiles(): Promise<CpaAnswer> {
		return this.get('auth-files');
	}

	/** v6 cumulative statistics. */
	getUsage(): Promise<CpaAnswer> {
		return this.get('usage', this.slowTimeoutMs);
	}

	private async get(path: string, timeout?: number): Promise<CpaAnswer> {
		if (!this.options.managementKey) {
			// Sending no key counts as a failed login at CPA, so do not send anything.
			throw new CpaConfigError(
				'CLIPROXY_MANAGEMENT_KEY is not set. Put CPA\'s remote-management.secret-key in .env (see .env.example) and restart.',
			);
		}
		const route = `/${MANAGEMENT_PREFIX}/${path.split('?')[0]}`;
		const http = await this.client();
		let response: Response;
		try {
			response = await http.get(path, timeout ? {timeout} : {});
		} catch (error) {
			throw new CpaUnreachableError(describeNetworkError(error, this.options.baseUrl));
		}
		const header = response.headers.get('x-cpa-version');
		const version = parseCpaVersion(header);
		if (version) this.version = version;
		let text: string;
		try {
			text = await response.text();
		} catch (error) {
			throw new CpaUnreachableError(`CPA at ${this.options.baseUrl} closed the connection mid-answer (${(error as Error).message})`);
		}
		const status = response.status;
		if (status >= 200 && status < 300) return {text, version};
		const cpaMessage = errorField(text);
		if (status === 401 || status === 403) throw new CpaAuthError(status, cpaMessage);
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
