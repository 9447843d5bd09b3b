import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net';
import {RespSession, type RespCommand} from './resp-stand-in.js';

/**
 * A stand-in for CLIProxyAPI's management API, built from the reference (both generations):
 * a real HTTP server on 127.0.0.1 with an ephemeral port. It keeps CPA's semantics: the auth
 * middleware and its ban (5 failures → 30 minutes, localhost included), `X-CPA-VERSION` on
 * every management answer, the v7 queue's destructive pop and retention, and the v6
 * cumulative snapshot whose detail fields depend on the version. From v6.10 it also speaks
 * RESP on the same port, told apart by the first byte as CPA does, with CPA's subscriber
 * rule: while any RESP client is subscribed, records go only to subscribers, never to the queue.
 */
export type Generation = 'v6' | 'v6.10-early' | 'v7';

export type StandInOptions = {
	generation: Generation;
	/** `X-CPA-VERSION`, e.g. `6.9.49`, `v7.2.140`, `dev`; `null` sends no header. */
	version?: string | null;
	/** `null`: no secret configured, so the management API does not exist (404, no header). */
	managementKey?: string | null;
	statisticsEnabled?: boolean;
	retentionSeconds?: number;
	now?: () => number;
};

/**
 * How the port answers RESP: as CPA does; `refuse` closes the connection at once;
 * `http-proxy` answers like an HTTP reverse proxy in front of CPA; `home` is CPA in home mode.
 */
export type RespMode = 'cpa' | 'refuse' | 'http-proxy' | 'home';

/** The credential the fixtures use; `/auth-files` lists it from the start, as CPA lists its auth files. */
const DEFAULT_AUTH_INDEX = 'a1b2c3d4e5f67890';

export type V6Detail = {
	timestamp: string;
	tokens: {input_tokens: number; output_tokens: number; reasoning_tokens: number; cached_tokens: number; total_tokens: number};
	source?: string;
	auth_index?: string;
	failed?: boolean;
	latency_ms?: number;
};

export type LoggedRequest = {method: string; path: string; hadKey: boolean; status: number};

/** A credential as CPA's auth manager holds it; `/auth-files` lists it with CPA's field names. */
export type StandInAccount = {
	auth_index: string;
	provider?: string;
	name?: string;
	email?: string;
	label?: string;
	account_type?: 'oauth' | 'api_key';
	/** For an api_key credential CPA puts the raw key here: it must never be stored. */
	account?: string;
	path?: string;
	status?: string;
	status_message?: string;
	disabled?: boolean;
	unavailable?: boolean;
	next_retry_after?: string;
	project_id?: string;
	id_token?: {chatgpt_account_id?: string; plan_type?: string};
	/** The stored token `$TOKEN$` becomes in api-call headers. */
	token?: string;
};

/** An upstream answer to an api-call, by URL; `headers` values as Go's http.Header. */
export type UpstreamAnswer = {status: number; headers?: Record<string, string[]>; body?: string};
export type UpstreamCall = {auth_index: string | null; method: string; url: string; header: Record<string, string>; data?: string};

type ModelStats = {total_requests: number; total_tokens: number; details: V6Detail[]};

export class CpaStandIn {
	readonly options: Required<Omit<StandInOptions, 'version'>> & {version: string | null};
	readonly log: LoggedRequest[] = [];
	private server: Server | undefined;
	private listener: NetServer | undefined;
	private readonly sockets = new Set<Socket>();
	private readonly subscribers = new Set<RespSession>();
	private readonly errorSubscribers = new Set<RespSession>();
	/** The credentials `/auth-files` lists (the fixtures' default one from the start). */
	accounts: StandInAccount[] = [{auth_index: DEFAULT_AUTH_INDEX, provider: 'claude', name: `claude-${DEFAULT_AUTH_INDEX}.json`}];
	/** Whether credentials seen only in enqueued records are listed too (as CPA lists every credential it serves from). */
	listServed = true;
	/** Config API keys by list (`claude-api-key`, …); each entry holds a raw `api-key` CPA sends too. */
	apiKeys: Record<string, Array<Record<string, unknown>>> = {};
	/** What the providers answer to api-call, by URL; unset URLs answer 404. */
	upstream = new Map<string, UpstreamAnswer | ((call: UpstreamCall) => UpstreamAnswer)>();
	/** Every api-call CPA made upstream, `$TOKEN$` already replaced. */
	readonly upstreamCalls: UpstreamCall[] = [];
	private queue: Array<{at: number; body: string}> = [];
	/** Per auth_index: what `/auth-files` reports as `success` / `failed`. */
	private served = new Map<string, {success: number; failed: number}>([[DEFAULT_AUTH_INDEX, {success: 0, failed: 0}]]);
	/** Every RESP command received, in order. */
	readonly respLog: RespCommand[] = [];
	respMode: RespMode = 'cpa';
	/** RESP connections accepted so far (refused ones included). */
	respConnections = 0;
	private apis = new Map<string, Map<string, ModelStats>>();
	private totals = {total_requests: 0, success_count: 0, failure_count: 0, total_tokens: 0};
	private failures = 0;
	private bannedUntil = 0;
	private scripted: Array<{status: number; body: string; headers?: Record<string, string>}> = [];
	/** When false, `/usage` lists counters but no details (the counter-only fallback). */
	showDetails = true;
	/** Delay before answering, to hold a pass in flight. */
	delayMs = 0;
	/**
	 * A misbehaving CPA: answers a management route itself (after auth, with the version
	 * header already set) when it returns true. `route` is the path after /v0/management.
	 */
	intercept: ((route: string, req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
	port = 0;

	constructor(options: StandInOptions) {
		const defaults: Record<Generation, string> = {v6: '6.9.49', 'v6.10-early': '6.10.3', v7: '7.2.140'};
		this.options = {
			generation: options.generation,
			version: options.version === undefined ? defaults[options.generation] : options.version,
			managementKey: options.managementKey === undefined ? 'test-management-key' : options.managementKey,
			statisticsEnabled: options.statisticsEnabled ?? true,
			retentionSeconds: options.retentionSeconds ?? 60,
			now: options.now ?? Date.now,
		};
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(port = 0): Promise<this> {
		const http = createServer((req, res) => void this.handle(req, res));
		this.server = http;
		this.listener = createNetServer(socket => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			socket.once('data', chunk => {
				socket.pause();
				socket.unshift(chunk);
				if (this.options.generation !== 'v6' && '*$+-:'.includes(String.fromCharCode(chunk[0]!))) this.acceptResp(socket);
				else http.emit('connection', socket);
				process.nextTick(() => socket.resume());
			});
		});
		await new Promise<void>(resolve => this.listener!.listen(port, '127.0.0.1', resolve));
		this.port = (this.listener.address() as AddressInfo).port;
		return this;
	}

	async close(): Promise<void> {
		if (!this.listener) return;
		for (const socket of this.sockets) socket.destroy();
		this.subscribers.clear();
		await new Promise<void>(resolve => this.listener!.close(() => resolve()));
		this.listener = undefined;
		this.server = undefined;
	}

	/** Answers the next management requests with these, in order (after auth). */
	script(...answers: Array<{status: number; body?: string; headers?: Record<string, string>}>): void {
		this.scripted.push(...answers.map(a => ({status: a.status, body: a.body ?? '', headers: a.headers})));
	}

	setStatisticsEnabled(value: boolean): void {
		this.options.statisticsEnabled = value;
	}

	// v7 queue -----------------------------------------------------------------------------

	/**
	 * A request completes: CPA counts it for its credential, then publishes the record to
	 * the RESP subscribers if there are any, else queues it (strings go in verbatim).
	 */
	enqueue(...records: Array<Record<string, unknown> | string>): void {
		for (const r of records) if (typeof r !== 'string') this.count(r);
		if (!this.options.statisticsEnabled) return;
		const at = this.options.now();
		for (const r of records) {
			const body = typeof r === 'string' ? r : JSON.stringify(r);
			if (this.subscribers.size > 0) for (const s of this.subscribers) s.publish(body);
			else this.queue.push({at, body});
		}
	}

	/** A request CPA served whose record never reaches the queue (statistics off, or lost). */
	count(record: Record<string, unknown>): void {
		const index = String(record['auth_index'] ?? 'none');
		const c = this.served.get(index) ?? {success: 0, failed: 0};
		if (record['failed'] === true) c.failed++;
		else c.success++;
		this.served.set(index, c);
	}

	get subscriberCount(): number {
		return this.subscribers.size;
	}

	get errorSubscriberCount(): number {
		return this.errorSubscribers.size;
	}

	/** Set to say whether RESP knows SUBSCRIBE regardless of the version header; by default from v7.0.7 (dev builds have it). */
	subscribeCommand: boolean | null = null;

	get hasSubscribe(): boolean {
		if (this.subscribeCommand !== null) return this.subscribeCommand;
		const v = versionParts(this.options.version);
		return v === null || compare(v, [7, 0, 7]) >= 0;
	}

	/** Whether `GET /config` shows `redis-usage-queue-retention-seconds` (false: as if the route were blocked by a proxy). */
	configRoute = true;

	/** Set to say whether RESP knows `errors` regardless of the version header (a dev build without it). */
	errorsChannel: boolean | null = null;

	/** The `errors` channel arrived in v7.1.44 (dev builds have it). */
	get hasErrorsChannel(): boolean {
		if (this.errorsChannel !== null) return this.errorsChannel;
		const v = versionParts(this.options.version);
		return v === null || compare(v, [7, 1, 44]) >= 0;
	}

	/** CPA publishes an error event to live `errors` subscribers only; nobody listening, it is gone. */
	publishError(event: Record<string, unknown>): void {
		const body = JSON.stringify(event);
		for (const s of this.errorSubscribers) s.publish(body);
	}

	/** CPA drops a subscriber whose 256-slot buffer is full (it closes the connection). */
	dropSubscribers(keepClientPort?: number): void {
		for (const s of [...this.subscribers]) if (s.socket.remotePort !== keepClientPort) s.drop();
	}

	/** CPA's `{"refresh":true}` after its credentials or config changed. */
	publishRefresh(): void {
		for (const s of this.subscribers) s.publish('{"refresh":true}');
	}

	private acceptResp(socket: Socket): void {
		if (this.respMode !== 'cpa') this.respConnections++;
		if (this.respMode === 'refuse' || this.options.managementKey === null) return void socket.destroy();
		if (this.respMode === 'http-proxy') {
			return void socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request');
		}
		if (this.respMode === 'home') return void socket.end('-ERR redis usage output disabled in home mode\r\n');
		new RespSession(socket, {
			authenticate: provided => this.authenticate(provided),
			pop: count => {
				this.prune();
				return this.queue.splice(0, count).map(i => i.body);
			},
			hasSubscribe: () => this.hasSubscribe,
			subscribe: (session, channel) => {
				if (channel === 'usage') return this.subscribers.add(session), true;
				if (!this.hasErrorsChannel) return false;
				this.errorSubscribers.add(session);
				return true;
			},
			unsubscribe: session => {
				this.subscribers.delete(session);
				this.errorSubscribers.delete(session);
			},
			log: this.respLog,
		}, ++this.respConnections);
	}

	get queueLength(): number {
		this.prune();
		return this.queue.length;
	}

	private prune(): void {
		const cutoff = this.options.now() - this.options.retentionSeconds * 1000;
		this.queue = this.queue.filter(q => q.at > cutoff);
	}

	// v6 cumulative statistics --------------------------------------------------------------

	/** What v6's LoggerPlugin.HandleUsage does for one request. */
	record(api: string, model: string, detail: V6Detail): void {
		if (!this.options.statisticsEnabled) return;
		let models = this.apis.get(api);
		if (!models) this.apis.set(api, (models = new Map()));
		let stats = models.get(model);
		if (!stats) models.set(model, (stats = {total_requests: 0, total_tokens: 0, details: []}));
		stats.total_requests++;
		stats.total_tokens += detail.tokens.total_tokens;
		stats.details.push(detail);
		this.totals.total_requests++;
		this.totals.total_tokens += detail.tokens.total_tokens;
		if (detail.failed) this.totals.failure_count++;
		else this.totals.success_count++;
	}

	/** A CPA restart: every counter and detail starts from zero. */
	restart(): void {
		this.apis = new Map();
		this.totals = {total_requests: 0, success_count: 0, failure_count: 0, total_tokens: 0};
		this.queue = [];
		this.served = new Map([[DEFAULT_AUTH_INDEX, {success: 0, failed: 0}]]);
		this.dropSubscribers();
	}

	usageSnapshot(): Record<string, unknown> {
		const v = versionParts(this.options.version);
		const has = (min: [number, number, number]) => v === null || compare(v, min) >= 0;
		const apis: Record<string, unknown> = {};
		for (const [api, models] of this.apis) {
			const m: Record<string, unknown> = {};
			let req = 0;
			let tok = 0;
			for (const [model, stats] of models) {
				req += stats.total_requests;
				tok += stats.total_tokens;
				m[model] = {
					total_requests: stats.total_requests,
					total_tokens: stats.total_tokens,
					details: this.showDetails
						? stats.details.map(d => {
								// Go emits every struct field the version has, zero values included.
								const out: Record<string, unknown> = {timestamp: d.timestamp};
								if (has([6, 9, 1])) out['latency_ms'] = d.latency_ms ?? 0;
								if (has([6, 2, 7])) out['source'] = d.source ?? '';
								if (has([6, 3, 56])) out['auth_index'] = d.auth_index ?? '';
								out['tokens'] = d.tokens;
								if (has([6, 3, 0])) out['failed'] = d.failed ?? false;
								return out;
							})
						: [],
				};
			}
			apis[api] = {total_requests: req, total_tokens: tok, models: m};
		}
		const usage = {...this.totals, apis, requests_by_day: {}, requests_by_hour: {}, tokens_by_day: {}, tokens_by_hour: {}};
		return has([6, 3, 0]) ? {usage, failed_requests: this.totals.failure_count} : {usage};
	}

	/** CPA's AuthenticateManagementKey: shared by HTTP and RESP, 5 failures ban for 30 minutes. */
	private authenticate(provided: string): {ok: true} | {ok: false; status: number; error: string} {
		const now = this.options.now();
		if (now < this.bannedUntil) {
			const left = Math.ceil((this.bannedUntil - now) / 1000);
			return {ok: false, status: 403, error: `IP banned due to too many failed attempts. Try again in ${Math.floor(left / 60)}m${left % 60}s`};
		}
		if (provided !== this.options.managementKey) {
			this.failures++;
			if (this.failures >= 5) {
				this.bannedUntil = now + 30 * 60_000;
				this.failures = 0;
			}
			return {ok: false, status: 401, error: provided ? 'invalid management key' : 'missing management key'};
		}
		this.failures = 0;
		return {ok: true};
	}

	/** `/auth-files` entries as CPA's buildAuthFileEntry writes them, counters included. */
	private authFiles(): Array<Record<string, unknown>> {
		const listed = new Set(this.accounts.map(a => a.auth_index));
		const served = this.listServed ? [...this.served.keys()] : [];
		const all: StandInAccount[] = [...this.accounts, ...served.filter(i => !listed.has(i) && i !== 'none').map(i => ({auth_index: i, provider: 'claude', name: `claude-${i}.json`}))];
		return all.map(a => {
			const c = this.served.get(a.auth_index) ?? {success: 0, failed: 0};
			const {token: _token, ...shown} = a;
			const provider = a.provider ?? 'claude';
			return {
				id: a.name ?? `${provider}-${a.auth_index}.json`,
				name: a.name ?? `${provider}-${a.auth_index}.json`,
				type: provider,
				status: 'active',
				disabled: false,
				unavailable: false,
				runtime_only: false,
				source: 'file',
				size: 1234,
				modtime: '2026-11-20T10:00:00Z',
				...shown,
				provider,
				success: c.success,
				failed: c.failed,
				recent_requests: Array.from({length: 20}, (_, i) => ({time: `${String(i).padStart(2, '0')}:00-${String(i).padStart(2, '0')}:10`, success: 0, failed: 0})),
			};
		});
	}

	/** CPA's api_tools.go: validate, put the credential's token for `$TOKEN$`, call "upstream", answer `{status_code, header, body}`. */
	private apiCall(raw: string, json: (status: number, body: unknown) => void): void {
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			return json(400, {error: 'invalid body'});
		}
		if (body['data'] !== undefined && typeof body['data'] !== 'string') return json(400, {error: 'invalid body'});
		if (typeof body['method'] !== 'string' || body['method'] === '') return json(400, {error: 'missing method'});
		if (typeof body['url'] !== 'string' || body['url'] === '') return json(400, {error: 'missing url'});
		const index = typeof body['auth_index'] === 'string' ? body['auth_index'] : null;
		const account = this.accounts.find(a => a.auth_index === index);
		if (account && account.token === '') return json(400, {error: 'auth token not found'});
		const header: Record<string, string> = {};
		for (const [k, v] of Object.entries((body['header'] as Record<string, string> | undefined) ?? {})) {
			// Unknown auth_index: CPA skips the substitution and sends the literal text.
			header[k] = account ? String(v).replaceAll('$TOKEN$', account.token ?? `token-${account.auth_index}`) : String(v);
		}
		const call: UpstreamCall = {auth_index: index, method: body['method'], url: body['url'], header, ...(typeof body['data'] === 'string' ? {data: body['data']} : {})};
		this.upstreamCalls.push(call);
		const literal = Object.values(header).some(v => v.includes('$TOKEN$'));
		const handler = this.upstream.get(call.url);
		const answer: UpstreamAnswer = literal
			? {status: 401, body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'}
			: handler === undefined
				? {status: 404, body: 'not found'}
				: typeof handler === 'function'
					? handler(call)
					: handler;
		json(200, {status_code: answer.status, header: {'Set-Cookie': ['__cf_bm=UPSTREAMCOOKIE; HttpOnly'], ...answer.headers}, body: answer.body ?? ''});
	}

	// HTTP ------------------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://x');
		const entry: LoggedRequest = {method: req.method ?? 'GET', path: url.pathname + url.search, hadKey: false, status: 0};
		this.log.push(entry);
		const send = (status: number, body: string, headers: Record<string, string> = {}) => {
			entry.status = status;
			res.writeHead(status, {'content-type': body.startsWith('{') || body.startsWith('[') ? 'application/json; charset=utf-8' : 'text/plain', ...headers});
			res.end(body);
		};
		if (this.delayMs > 0) await new Promise(r => setTimeout(r, this.delayMs));
		if (!url.pathname.startsWith('/v0/management/')) return send(404, '404 page not found');
		if (this.options.managementKey === null) {
			return this.options.generation === 'v7' ? send(404, '') : send(404, '404 page not found');
		}
		const versionHeader: Record<string, string> = this.options.version === null ? {} : {'X-CPA-VERSION': this.options.version, 'X-CPA-COMMIT': 'abc1234', 'X-CPA-BUILD-DATE': '2026-08-22T00:00:00Z'};
		const json = (status: number, body: unknown) => send(status, JSON.stringify(body), versionHeader);

		let provided = '';
		const auth = req.headers.authorization;
		if (auth) {
			const parts = auth.split(' ');
			provided = parts.length >= 2 && parts[0]!.toLowerCase() === 'bearer' ? parts.slice(1).join(' ') : auth;
		}
		if (!provided) provided = String(req.headers['x-management-key'] ?? '');
		entry.hadKey = provided !== '';
		const verdict = this.authenticate(provided);
		if (!verdict.ok) return json(verdict.status, {error: verdict.error});

		const scripted = this.scripted.shift();
		if (scripted) return send(scripted.status, scripted.body, {...versionHeader, ...scripted.headers});

		const route = url.pathname.slice('/v0/management'.length);
		for (const [k, v] of Object.entries(versionHeader)) res.setHeader(k, v);
		if (this.intercept?.(route, req, res)) {
			entry.status = res.statusCode;
			return;
		}
		if (req.method === 'GET' && route === '/usage-statistics-enabled') {
			return json(200, {'usage-statistics-enabled': this.options.statisticsEnabled});
		}
		if (this.options.generation === 'v6' && req.method === 'GET' && route === '/usage') {
			return json(200, this.usageSnapshot());
		}
		if (req.method === 'GET' && route === '/auth-files') return json(200, {files: this.authFiles()});
		if (req.method === 'GET' && route === '/config' && this.configRoute) {
			// The runtime config as CPA serves it: secrets included, which is why only one key is read from it.
			const config: Record<string, unknown> = {debug: false, 'usage-statistics-enabled': this.options.statisticsEnabled, 'api-keys': ['sk-client-secret-in-config-0001'], 'request-retry': 3};
			if (this.options.generation !== 'v6') config['redis-usage-queue-retention-seconds'] = this.options.retentionSeconds;
			return json(200, config);
		}
		if (req.method === 'GET' && /^\/[a-z-]+-api-key$|^\/openai-compatibility$/.test(route)) {
			if (this.options.generation === 'v6') return send(404, '', versionHeader);
			const list = route.slice(1);
			return json(200, {[list]: this.apiKeys[list] ?? []});
		}
		if (req.method === 'POST' && route === '/api-call') return this.apiCall(await readBody(req), json);
		if (this.options.generation === 'v7' && req.method === 'GET' && route === '/usage-queue') {
			const raw = url.searchParams.get('count');
			const count = raw === null || raw === '' ? 1 : Number(raw);
			if (!Number.isInteger(count) || count <= 0) return json(400, {error: 'count must be a positive integer'});
			this.prune();
			const items = this.queue.splice(0, count);
			return send(200, `[${items.map(i => i.body).join(',')}]`, versionHeader);
		}
		// Unknown route with management enabled: the middleware ran, so the header is there.
		return send(404, '', versionHeader);
	}
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function versionParts(version: string | null): [number, number, number] | null {
	const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
	return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a: [number, number, number], b: [number, number, number]): number {
	return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
