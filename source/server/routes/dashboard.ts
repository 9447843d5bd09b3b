import {readDashboard} from '../../app/dashboard-data.js';
import {readRecentActivity} from '../../app/recent-activity.js';
import type {CollectorHandle as Collector} from '../../collector/collector-group.js';
import type {Config} from '../../core/config.js';
import type {Db} from '../../store/database.js';
import type {LimitsApi} from '../http-server.js';
import {sendJson} from '../respond.js';
import type {Router} from '../router.js';
import {periodParam} from './data.js';

type Deps = {config: Config; collector: Collector; db: Db; now: () => number; limits?: LimitsApi};

/** Bumped when the answer's shape changes in a way an older `--connect` cannot read. */
export const DASHBOARD_SCHEMA = 1;

/**
 * `GET /api/data/dashboard?period=P`: one screenful exactly as the local dashboard reads it
 * (today's totals, the period's model breakdown, hourly costs, every gauge, every account with
 * its official windows) and the collector's status, all at one `now`. This is the dashboard's
 * own view model (camelCase, epoch ms), for `--connect`; integrations use the other routes.
 * `GET /api/data/recent`: the latest requests and the latency per model, the same way.
 */
export function dashboardRoute(router: Router, deps: Deps): void {
	const {config, collector, db, now} = deps;
	const limits = {configs: () => deps.limits?.configs?.() ?? []};
	router.add('GET', '/api/data/dashboard', ({res, url}) => {
		const period = periodParam(url);
		const data = readDashboard({db, zone: config.zone, limits}, now(), period);
		sendJson(res, 200, {schema: DASHBOARD_SCHEMA, zone: config.zone, data, status: collector.status()});
	});
	// The full wide layout's latest requests and latency per model, as the local one reads them
	// (two reads bounded by their row limits): asked for only by a --connect showing that layout.
	router.add('GET', '/api/data/recent', ({res}) => {
		sendJson(res, 200, {schema: DASHBOARD_SCHEMA, recent: readRecentActivity(db, config.zone, now())});
	});
}
