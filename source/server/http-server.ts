import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {CollectorHandle as Collector} from '../collector/collector-group.js';
import type {EventBus} from '../collector/event-bus.js';
import {isLoopbackHost, type Config} from '../core/config.js';
import type {LimitConfig} from '../core/limits/types.js';
import type {Logger} from '../runtime/logger.js';
import type {Db} from '../store/database.js';
import {AuthFailureLog} from './auth-log.js';
import {FailedAuthLimiter} from './auth-limiter.js';
import {clientKey} from './client-address.js';
import {ConnectionLimits, type ConnectionLimitOptions} from './connection-limits.js';
import {BearerCheck, corsHeaders, readBody} from './guard.js';
import {checkRequest, hostPolicy, type HostPolicy} from './host-guard.js';
import {HttpError, sendJson} from './respond.js';
import {Router} from './router.js';
import {collectorRoutes} from './routes/collector.js';
import {dashboardRoute} from './routes/dashboard.js';
import {dataRoutes} from './routes/data.js';
import {metricsRoute} from './routes/metrics.js';
import {SseHub} from './sse.js';

/** What the routes need to know about rate limits (the limits service satisfies it). */
export type LimitsApi = {
	list(): unknown[];
	reset(configId: number): unknown | null;
	/** The configs, for the dashboard route's gauges (the limits service has them). */
	configs?(): LimitConfig[];
};

export type ApiDeps = {
	config: Config;
	collector: Collector;
	bus: EventBus;
	db: Db;
	logger: Logger;
	now: () => number;
	limits?: LimitsApi;
	heartbeatMs?: number;
	authLimiter?: FailedAuthLimiter;
	/** Caps on sockets and event streams (CONNECTION_LIMITS); tests lower them. */
	connectionLimits?: ConnectionLimitOptions;
	/** How often failed authentication is summed up in a log line. @default 10_000 */
	authLogEveryMs?: number;
};

export type ApiServer = {
	listen(): Promise<{host: string; port: number}>;
	close(): Promise<void>;
	readonly hub: SseHub;
	readonly server: Server;
};

/** Refused at start: an API open to the network must need a token. */
export class UnsafeBindError extends Error {}

/**
 * The HTTP API that both the dashboard and `--headless` run: a small router over node:http.
 * Every answer is JSON (or SSE, or Prometheus text), errors never carry a stack or a secret,
 * and with COLLECTOR_API_TOKEN set every route but health needs the bearer token.
 */
export function createApiServer(deps: ApiDeps): ApiServer {
	const {config, logger} = deps;
	if (!isLoopbackHost(config.host) && !config.apiToken) {
		throw new UnsafeBindError(
			`COLLECTOR_HOST=${config.host} is not a loopback address and COLLECTOR_API_TOKEN is not set: set a token (openssl rand -hex 24) or bind 127.0.0.1`,
		);
	}
	const connections = new ConnectionLimits(deps.connectionLimits);
	const hub = new SseHub(deps.heartbeatMs, connections.max);
	const limiter = deps.authLimiter ?? new FailedAuthLimiter({now: deps.now});
	const authLog = new AuthFailureLog(logger, deps.now, deps.authLogEveryMs);
	const bearer = config.apiToken ? new BearerCheck(config.apiToken) : null;
	const router = new Router();
	const detach = collectorRoutes(router, {...deps, hub});
	dataRoutes(router, deps);
	dashboardRoute(router, deps);
	metricsRoute(router, {...deps, hub});
	// Known once the socket is bound (the address a wildcard or `localhost` bind got).
	let policy: HostPolicy = hostPolicy(config.host, config.host, config.allowedHosts, config.corsOrigins);

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const url = parseUrl(req.url);
		checkRequest(policy, req);
		const cors = corsHeaders(req, config.corsOrigins);
		const method = req.method ?? 'GET';
		if (method === 'OPTIONS' && Object.keys(cors).length > 0) {
			res.writeHead(204, cors);
			res.end();
			return;
		}
		const match = router.match(method, url.pathname);
		if (match.kind === 'none') return sendJson(res, 404, {error: 'Not found'}, cors);
		if (match.kind === 'method') {
			return sendJson(res, 405, {error: `Method ${method} not allowed; use ${match.allow.join(', ')}`}, {...cors, allow: match.allow.join(', ')});
		}
		// The token first: a right one always passes, whatever others sent from the same address.
		if (match.auth && bearer && !bearer.matches(req)) {
			const client = clientKey(req.socket.remoteAddress);
			const wait = limiter.retryAfter(client);
			if (wait > 0) {
				authLog.refused(client, url.pathname);
				return sendJson(res, 429, {error: 'Too many failed authentication attempts; try again later'}, {...cors, 'retry-after': String(wait)});
			}
			const {failures, locked} = limiter.fail(client);
			authLog.failed(client, url.pathname);
			if (locked) authLog.lockedOut(client, failures, limiter.retryAfter(client));
			return sendJson(res, 401, {error: 'Unauthorized: send Authorization: Bearer <COLLECTOR_API_TOKEN>'}, {...cors, 'www-authenticate': 'Bearer'});
		}
		const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);
		res.setHeader('x-content-type-options', 'nosniff');
		for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
		await match.handler({req, res, url, params: match.params, body});
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			if (error instanceof HttpError) {
				// The body may be unread (413, a refused POST): answer, then close rather than drain it.
				if (!req.complete) res.setHeader('connection', 'close');
				sendJson(res, error.status, {error: error.message}, error.headers);
				return;
			}
			logger.error('HTTP handler failed', {path: req.url?.split('?')[0], error: (error as Error)?.message ?? String(error)});
			sendJson(res, 500, {error: 'Internal error'});
		});
	});
	connections.attach(server);
	server.keepAliveTimeout = 5_000;
	server.headersTimeout = 10_000;
	server.requestTimeout = 30_000;

	return {
		hub,
		server,
		listen: () =>
			new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(config.port, config.host, () => {
					server.off('error', reject);
					const address = server.address() as AddressInfo;
					policy = hostPolicy(config.host, address.address, config.allowedHosts, config.corsOrigins);
					resolve({host: address.address, port: address.port});
				});
			}),
		close: () =>
			new Promise(resolve => {
				detach();
				authLog.close();
				hub.closeAll();
				server.close(() => resolve());
				server.closeIdleConnections();
			}),
	};
}

/** The request target as a URL; one that cannot be parsed is the client's mistake (400). */
function parseUrl(target: string | undefined): URL {
	try {
		return new URL(target ?? '/', 'http://localhost');
	} catch {
		throw new HttpError(400, 'Malformed URL');
	}
}
