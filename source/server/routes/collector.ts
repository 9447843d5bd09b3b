import {accountJson} from '../../accounts/account-json.js';
import {readAccountViews} from '../../accounts/read-accounts.js';
import type {CollectorHandle as Collector} from '../../collector/collector-group.js';
import type {BusEvent, EventBus} from '../../collector/event-bus.js';
import type {Config} from '../../core/config.js';
import {localDate} from '../../core/time/zone.js';
import type {Db} from '../../store/database.js';
import {readModelTotals} from '../../store/model-totals.js';
import type {LimitsApi} from '../http-server.js';
import {clientKey} from '../client-address.js';
import {HttpError, sendJson} from '../respond.js';
import type {Router} from '../router.js';
import type {SseHub} from '../sse.js';
import {statusView} from '../status-view.js';
import {wireEvent} from '../wire.js';

type Deps = {config: Config; collector: Collector; bus: EventBus; db: Db; now: () => number; limits?: LimitsApi; hub: SseHub};

/** Bus events the stream forwards, by the SSE event name clients listen for. */
const FORWARDED: Record<string, string> = {usage_delta: 'usage_delta', limits: 'limits', pass: 'pass', warning: 'warning', error: 'collector_error', alert: 'alert'};

/** Adds the routes; returns a function that detaches the stream from the bus. */
export function collectorRoutes(router: Router, deps: Deps): () => void {
	const {config, collector, bus, db, now, hub} = deps;
	const status = (joining = 0) => statusView(collector.status(), db, config.zone, now(), {events: bus.emitted, subscribers: hub.size + joining});

	router.add('GET', '/api/collector/health', ({res}) => sendJson(res, 200, {status: 'healthy', timestamp: new Date(now()).toISOString()}), {auth: false});

	router.add('POST', '/api/collector/trigger', ({res}) => {
		const stopped = collector.status().stopped;
		if (stopped) return sendJson(res, 409, {error: `Collection is stopped: ${stopped.reason}`});
		const joined = collector.passInProgress;
		void collector.trigger();
		sendJson(res, 202, {message: joined ? 'A collection pass is already running; this trigger joins it.' : 'Collection pass triggered.'});
	});

	router.add('POST', '/api/collector/reset/:config_id', ({res, params}) => {
		const raw = params['config_id'] ?? '';
		if (!/^[1-9]\d{0,15}$/.test(raw)) throw new HttpError(400, 'Invalid config_id');
		const id = Number(raw);
		if (!deps.limits) throw new HttpError(404, `Configuration with id ${id} not found.`);
		const next = deps.limits.reset(id);
		if (next === null) throw new HttpError(404, `Configuration with id ${id} not found.`);
		sendJson(res, 200, {message: `Rate limit ${id} reset; its window now starts at this moment.`, new_status: next});
	});

	router.add('GET', '/api/collector/status', ({res}) => sendJson(res, 200, status()));

	router.add('GET', '/api/collector/events', ({res, url}) => {
		const limit = url.searchParams.get('limit');
		// The ring keeps the last `capacity` events: a larger limit gets them all.
		if (limit !== null && !/^0*[1-9]\d*$/.test(limit)) throw new HttpError(400, `limit must be a whole number of events, 1 or more (the last ${bus.capacity} are kept; a larger limit returns them all); got ${JSON.stringify(limit.slice(0, 20))}`);
		sendJson(res, 200, bus.recent(limit === null ? undefined : Math.min(bus.capacity, Number(limit))).map(wireEvent));
	});

	router.add('GET', '/api/collector/stream', ({req, res}) => {
		// HEAD: the headers a stream would get, and no subscription.
		if (req.method === 'HEAD') {
			res.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff'});
			res.end();
			return;
		}
		const client = clientKey(req.socket.remoteAddress);
		hub.admit(client);
		const at = now();
		const snapshot = {
			...status(1),
			models_today: readModelTotals(db, config.zone, {from: localDate(config.zone, at), to: localDate(config.zone, at)}),
			rate_limits: deps.limits?.list() ?? [],
			accounts: readAccountViews(db, config.zone, 'today', at).map(accountJson),
		};
		hub.open(res, {}, {event: 'snapshot', data: snapshot}, client);
	});

	const forward = (event: BusEvent) => {
		if ((event.type === 'quotas' || event.type === 'accounts') && hub.size > 0) {
			// The changed accounts as /api/data/accounts shows them, so a client can update in place.
			const wanted = new Set((event.data as {accounts: string[]}).accounts);
			const accounts = readAccountViews(db, config.zone, 'today', now()).filter(a => wanted.has(a.authIndex)).map(accountJson);
			const wire = wireEvent(event);
			hub.send(event.type, {...wire, data: {...(wire.data as object), accounts}});
			return;
		}
		const name = FORWARDED[event.type];
		if (name) hub.send(name, wireEvent(event));
	};
	return bus.onAny(forward);
}
