import type {KyInstance} from 'ky';
import {formatBytes, readCapped, TooLarge} from '../cliproxy/read-capped.js';
import {safeText} from '../core/text/safe-text.js';
import type {Period} from '../core/time/periods.js';
import {readDashboardAnswer, type DashboardAnswer} from './dashboard-answer.js';
import {RemotePayloadError} from './payload-checks.js';
import {readRecentAnswer} from './recent-answer.js';
import type {RecentActivity} from '../app/recent-activity.js';

/** The remote refused us in a way retrying cannot fix (401/403, a Host it does not answer to): never retried. */
export class RemoteRefusedError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

/** The remote could not be reached or answered badly; worth another try after a backoff. */
export class RemoteUnreachableError extends Error {}

export type RemoteClientOptions = {
	base: URL;
	token: string | null;
	/** Per request (headers and body); the stream has no overall timeout. @default 10_000 */
	timeoutMs?: number;
	/** The dashboard answer's cap. @default 8 MiB */
	maxBytes?: number;
};

const ERROR_BODY_BYTES = 16 * 1024;

/**
 * HTTP to a `--headless` instance's API with its bearer token: the dashboard route, the
 * collection trigger, and the event stream. ky with no retries: a refusal (401/403) is kept and
 * every later call fails with it without a request, so a wrong token costs exactly one.
 */
export class RemoteClient {
	private http: Promise<KyInstance> | undefined;
	private refused: RemoteRefusedError | null = null;

	constructor(private readonly options: RemoteClientOptions) {}

	get refusal(): RemoteRefusedError | null {
		return this.refused;
	}

	/** `http://server:5001`: how messages name the remote (no path, never the token). */
	get origin(): string {
		return this.options.base.origin;
	}

	dashboard(period: Period): Promise<DashboardAnswer> {
		return this.read(`api/data/dashboard?period=${period}`, readDashboardAnswer);
	}

	/** The latest requests and latency per model (the full wide layout's panels). */
	recent(): Promise<RecentActivity> {
		return this.read('api/data/recent', readRecentAnswer);
	}

	/** A data route's answer, capped and checked by `reader` before anything shows it. */
	private async read<T>(path: string, reader: (text: string) => T): Promise<T> {
		const route = `/${path.split('?')[0]}`;
		const response = await this.request('GET', path);
		const text = await this.body(response, this.options.maxBytes ?? 8 * 1024 * 1024, route);
		try {
			return reader(text);
		} catch (error) {
			if (error instanceof RemotePayloadError) throw new RemoteUnreachableError(`${this.origin}${route}: ${error.message}`);
			throw error;
		}
	}

	/** `POST /api/collector/trigger`: the remote's answer, in its words. */
	async trigger(): Promise<string> {
		const response = await this.request('POST', 'api/collector/trigger');
		const text = await this.body(response, ERROR_BODY_BYTES, '/api/collector/trigger');
		return safeText(messageField(text) ?? 'collection pass triggered', 'message');
	}

	/** The event stream's body, open until the remote ends it or `signal` aborts. */
	async stream(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
		const response = await this.request('GET', 'api/collector/stream', {signal, timeout: false, headers: {accept: 'text/event-stream'}});
		if (!response.body) throw new RemoteUnreachableError(`${this.origin}/api/collector/stream sent no body`);
		return response.body;
	}

	private client(): Promise<KyInstance> {
		const {base, token, timeoutMs} = this.options;
		const prefix = `${base.origin}${base.pathname === '/' ? '' : base.pathname}`;
		this.http ??= import('ky').then(({default: ky}) =>
			ky.create({prefixUrl: prefix, timeout: timeoutMs ?? 10_000, retry: 0, throwHttpErrors: false, headers: token ? {authorization: `Bearer ${token}`} : {}}),
		);
		return this.http;
	}

	private async request(method: 'GET' | 'POST', path: string, extra: {signal?: AbortSignal; timeout?: false; headers?: Record<string, string>} = {}): Promise<Response> {
		if (this.refused) throw this.refused;
		const http = await this.client();
		const route = `/${path.split('?')[0]}`;
		let response: Response;
		try {
			response = await http(path, {method, ...extra});
		} catch (error) {
			throw new RemoteUnreachableError(describeNetworkError(error, this.origin, route));
		}
		if (response.ok) return response;
		const text = await readCapped(response, ERROR_BODY_BYTES).catch(() => '');
		const said = messageField(text);
		const quoted = said ? ` ("${safeText(said, 'message')}")` : '';
		const {status} = response;
		if (status === 401 || status === 403) {
			const fix = this.options.token
				? 'set COLLECTOR_API_TOKEN to the token that instance was started with'
				: 'that instance needs a token: set COLLECTOR_API_TOKEN to the one it was started with';
			this.refused = new RemoteRefusedError(status, `${this.origin} refused the connection (HTTP ${status}): ${fix}. Not retried (failed attempts lock an address out).`);
			throw this.refused;
		}
		if (status === 421) {
			this.refused = new RemoteRefusedError(status, `${this.origin} does not answer to the host name "${safeText(this.options.base.hostname, 'label')}" (HTTP 421): add it to COLLECTOR_ALLOWED_HOSTS on that instance.`);
			throw this.refused;
		}
		if (status === 404 && (route === '/api/data/dashboard' || route === '/api/data/recent')) {
			throw new RemoteUnreachableError(`${this.origin} has no ${route} (HTTP 404): is it a cliproxy-usage --headless of this version?`);
		}
		throw new RemoteUnreachableError(`${this.origin} answered HTTP ${status} for ${route}${quoted}`);
	}

	private async body(response: Response, max: number, route: string): Promise<string> {
		try {
			return await readCapped(response, max);
		} catch (error) {
			if (error instanceof TooLarge) throw new RemoteUnreachableError(`${this.origin}${route}: the answer is larger than ${formatBytes(max)}; refused without parsing`);
			throw new RemoteUnreachableError(`${this.origin} closed the connection mid-answer (${safeText((error as Error).message, 'error')})`);
		}
	}
}

function messageField(text: string): string | null {
	try {
		const body = JSON.parse(text) as unknown;
		if (body && typeof body === 'object') {
			const value = (body as Record<string, unknown>)['message'] ?? (body as Record<string, unknown>)['error'];
			if (typeof value === 'string') return value;
		}
	} catch {
		// not JSON: nothing to quote
	}
	return null;
}

function describeNetworkError(error: unknown, origin: string, route: string): string {
	const e = error as {name?: string; message?: string; cause?: {code?: string}};
	if (e.name === 'TimeoutError') return `${origin} did not answer ${route} in time`;
	if (e.name === 'AbortError') return `the request to ${origin}${route} was cancelled`;
	const code = e.cause?.code;
	if (code === 'ECONNREFUSED') return `nothing listens at ${origin} (connection refused): is cliproxy-usage --headless running there?`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${safeText(new URL(origin).hostname, 'label')}`;
	return `cannot reach ${origin}: ${safeText(code ?? e.message ?? String(error), 'error')}`;
}
