import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Collector} from '../collector/collector.js';
import type {EventBus} from '../collector/event-bus.js';
import {isLoopbackHost, type Config} from '../core/config.js';
import type {Logger} from '../runtime/logger.js';
import type {Db} from '../store/database.js';
import {bearerMatches, corsHeaders, FailedAuthLimiter, readBody} from './guard.js';
import {HttpError, sendJson} from './respond.js';
import {Router} from './router.js';
import {collectorRoutes} from './routes/collector.js';
import {dataRoutes} from './routes/data.js';
import {metricsRoute} from './routes/metrics.js';
import {SseHub} from './sse.js';

/** What the routes need to know about rate limits (the limits service satisfies it). */
export type LimitsApi = {
	list(): unknown[];
	reset(configId: number): unknown | null;
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
	const hub = new SseHub(deps.heartbeatMs);
	const limiter = deps.authLimiter ?? new FailedAuthLimiter(10, 60_000, deps.now);
	const router = new Router();
	const detach = collectorRoutes(router, {...deps, hub});
	dataRoutes(router, deps);
	metricsRoute(router, {...deps, hub});

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
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
		if (match.auth && config.apiToken) {
			const client = req.socket.remoteAddress ?? 'unknown';
			const wait = limiter.retryAfter(client);
			if (wait > 0) return sendJson(res, 429, {error: 'Too many failed authentication attempts; try again later'}, {...cors, 'retry-after': String(wait)});
			if (!bearerMatches(req, config.apiToken)) {
				limiter.fail(client);
				return sendJson(res, 401, {error: 'Unauthorized: send Authorization: Bearer <COLLECTOR_API_TOKEN>'}, {...cors, 'www-authenticate': 'Bearer'});
			}
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
				// The body may be unread (413): answer, then close rather than drain it.
				res.setHeader('connection', 'close');
				sendJson(res, error.status, {error: error.message}, error.headers);
				return;
			}
			logger.error('HTTP handler failed', {path: req.url?.split('?')[0], error: (error as Error)?.message ?? String(error)});
			sendJson(res, 500, {error: 'Internal error'});
		});
	});
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
					resolve({host: address.address, port: address.port});
				});
			}),
		close: () =>
			new Promise(resolve => {
				detach();
				hub.closeAll();
				server.close(() => resolve());
				server.closeIdleConnections();
			}),
	};
}
