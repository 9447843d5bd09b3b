import type {Config} from '../../core/config.js';
import {addDays, formatLocalDate, localDate, parseLocalDate, startOfLocalDate, zoneLabel} from '../../core/zone.js';
import {parseBreakdown} from '../../core/daily-breakdown.js';
import type {Db} from '../../store/database.js';
import {usageByModel} from '../../store/range-usage.js';
import type {LimitsApi} from '../http-server.js';
import {HttpError, sendJson} from '../respond.js';
import type {Router} from '../router.js';
import {wireModelUsage} from '../wire.js';

type Deps = {config: Config; db: Db; now: () => number; limits?: LimitsApi};

/** `from`/`to` (inclusive local dates); defaults to the last 30 days up to today. */
export function dateRange(url: URL, config: Config, now: number): {from: string; to: string} {
	const today = parseLocalDate(localDate(config.zone, now))!;
	const read = (name: string, fallback: string) => {
		const value = url.searchParams.get(name);
		if (value === null || value === '') return fallback;
		if (!parseLocalDate(value)) throw new HttpError(400, `${name} must be a date as YYYY-MM-DD (got ${JSON.stringify(value.slice(0, 20))})`);
		return value;
	};
	const from = read('from', formatLocalDate(addDays(today, -29)));
	const to = read('to', formatLocalDate(today));
	if (from > to) throw new HttpError(400, `from (${from}) is after to (${to})`);
	return {from, to};
}

export function dataRoutes(router: Router, deps: Deps): void {
	const {config, db, now} = deps;
	const daily = db.prepare<[string, string], {id: number; stat_date: string; total_requests: number; success_count: number; failure_count: number; total_tokens: number; estimated_cost_usd: number; estimated_requests: number; breakdown: string; updated_at: number}>(
		'SELECT * FROM daily_stats WHERE stat_date >= ? AND stat_date <= ? ORDER BY stat_date',
	);

	router.add('GET', '/api/data/daily', ({res, url}) => {
		const {from, to} = dateRange(url, config, now());
		const rows = daily.all(from, to).map(r => ({...r, breakdown: parseBreakdown(r.breakdown), updated_at: new Date(r.updated_at).toISOString()}));
		sendJson(res, 200, rows);
	});

	router.add('GET', '/api/data/models', ({res, url}) => {
		const {from, to} = dateRange(url, config, now());
		const start = startOfLocalDate(config.zone, parseLocalDate(from)!);
		const end = startOfLocalDate(config.zone, addDays(parseLocalDate(to)!, 1));
		const models = usageByModel(db, start, end).map(wireModelUsage);
		sendJson(res, 200, {from, to, zone: zoneLabel(config.zone), models});
	});

	router.add('GET', '/api/data/rate-limits', ({res}) => sendJson(res, 200, deps.limits?.list() ?? []));
}
