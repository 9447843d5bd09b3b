import {accountJson} from '../../accounts/account-json.js';
import {readAccountViews} from '../../accounts/read-accounts.js';
import type {Config} from '../../core/config.js';
import {PERIODS, type Period} from '../../core/time/periods.js';
import {DateRangeError, parseDateRange, type DateRange} from '../../core/report/report-range.js';
import {addDays, formatLocalDate, localDate, parseLocalDate, zoneLabel} from '../../core/time/zone.js';
import {readDailyStats} from '../../store/daily-stats.js';
import type {Db} from '../../store/database.js';
import {readModelTotals} from '../../store/model-totals.js';
import {instanceScope, UnknownInstanceError, type InstanceScope} from '../../store/instance-scope.js';
import type {LimitsApi} from '../http-server.js';
import {HttpError, sendJson} from '../respond.js';
import type {Router} from '../router.js';

type Deps = {config: Config; db: Db; now: () => number; limits?: LimitsApi};

/** `from`/`to`: inclusive local dates, the same rules as `report --since/--until`; default the last 30 days. */
export function dateRange(url: URL, config: Config, now: number): {from: string; to: string} {
	for (const key of url.searchParams.keys()) {
		if (key !== 'from' && key !== 'to' && key !== 'instance') throw new HttpError(400, `Unknown query parameter "${key}": use from and to (YYYY-MM-DD, inclusive) and instance`);
	}
	let range: DateRange;
	try {
		range = parseDateRange(url.searchParams.get('from') ?? undefined, url.searchParams.get('to') ?? undefined, {since: 'from', until: 'to'});
	} catch (error) {
		if (error instanceof DateRangeError) throw new HttpError(400, error.message);
		throw error;
	}
	const today = localDate(config.zone, now);
	const to = range.to ?? (range.from !== null && range.from > today ? range.from : today);
	return {from: range.from ?? formatLocalDate(addDays(parseLocalDate(to)!, -29)), to};
}

export function dataRoutes(router: Router, deps: Deps): void {
	const {config, db, now} = deps;

	const first = config.instances[0]?.name ?? '';
	router.add('GET', '/api/data/daily', ({res, url}) => {
		const {from, to} = dateRange(url, config, now());
		sendJson(res, 200, readDailyStats(db, config.zone, {from, to}, now(), undefined, scopeParam(db, first, url)));
	});

	router.add('GET', '/api/data/models', ({res, url}) => {
		const {from, to} = dateRange(url, config, now());
		const scope = scopeParam(db, first, url);
		sendJson(res, 200, {from, to, zone: zoneLabel(config.zone), ...(scope.tag !== undefined ? {instance: url.searchParams.get('instance')} : {}), models: readModelTotals(db, config.zone, {from, to}, undefined, scope)});
	});

	router.add('GET', '/api/data/rate-limits', ({res}) => sendJson(res, 200, deps.limits?.list() ?? []));

	router.add('GET', '/api/data/accounts', ({res, url}) => {
		const period = periodParam(url, ['instance']);
		const instance = url.searchParams.get('instance');
		if (instance !== null) scopeParam(db, first, url);
		const views = readAccountViews(db, config.zone, period, now(), undefined, first);
		sendJson(res, 200, views.filter(v => instance === null || v.instance === instance).map(accountJson));
	});
}

/** `?instance=NAME`: one CPA's rows (absent: every CPA's); an unknown name is a 400 listing the known ones. */
export function scopeParam(db: Db, firstName: string, url: URL): InstanceScope {
	const name = url.searchParams.get('instance');
	try {
		return instanceScope(db, firstName, name ?? undefined);
	} catch (error) {
		if (error instanceof UnknownInstanceError) throw new HttpError(400, `instance: ${error.message.slice(0, 300)}`);
		throw error;
	}
}

/** `?period=today|yesterday|7d|30d` (default today); anything else is a 400 naming it. */
export function periodParam(url: URL, also: readonly string[] = []): Period {
	for (const key of url.searchParams.keys()) {
		if (key !== 'period' && !also.includes(key)) throw new HttpError(400, `Unknown query parameter "${key}": use period (${PERIODS.join(', ')})${also.length > 0 ? ` and ${also.join(', ')}` : ''}`);
	}
	const raw = url.searchParams.get('period') ?? 'today';
	if (!(PERIODS as readonly string[]).includes(raw)) throw new HttpError(400, `period must be one of ${PERIODS.join(', ')} (got ${JSON.stringify(raw.slice(0, 20))})`);
	return raw as Period;
}
