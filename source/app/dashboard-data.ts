import {readAccountViews} from '../accounts/read-accounts.js';
import type {AccountView} from '../core/quota/account-view.js';
import {burnRatePerHour, projectEndOfDay, relativeChange, shares} from '../core/report/dashboard-math.js';
import type {LimitStatus} from '../core/limits/types.js';
import {periodRange, type Period} from '../core/time/periods.js';
import {addDays, HOUR_MS, localParts, startOfDay, startOfLocalDate, startOfNextDay, type Zone} from '../core/time/zone.js';
import {intervalCosts, memoSumsReader, type SumsReader} from '../store/usage-sums.js';
import {evaluateLimits} from '../limits/evaluate.js';
import type {LimitConfig} from '../core/limits/types.js';
import {modelBreakdown, todayTotals, type TodayTotals} from '../store/dashboard-queries.js';
import type {Db} from '../store/database.js';
import type {ModelUsage} from '../store/range-usage.js';
import {memoUsageReader, type UsageReader} from '../store/usage-reader.js';
import {instanceNames} from '../store/instances.js';
import {seriesLookup} from '../store/series.js';
import {modelUsage} from '../core/report/usage.js';

/** `instance`: the CPA's name, when the database holds more than one (then a model has a row per CPA). */
export type ModelRow = Omit<ModelUsage, 'instance'> & {share: number; instance?: string};

export type DashboardData = {
	at: number;
	today: TodayTotals;
	/** Today so far against yesterday up to the same time of day. */
	vsYesterday: {costChange: number | null; yesterdayCostSoFar: number; yesterdayCost: number};
	/** Cost per hour over the last hour (or since midnight, if that is shorter). */
	burnPerHour: number;
	projectedEndOfDay: number;
	period: Period;
	/** The period's models, each with its share of the cost (of the requests while nothing is priced). */
	models: ModelRow[];
	periodTotals: {requests: number; tokens: number; costUsd: number; estimatedRequests: number};
	/** Cost per hour for the last 24 hours, oldest first; the last bucket is the current hour. */
	hourlyCost: number[];
	/** The local hour (0–23) of hourlyCost's last bucket. */
	lastHour: number;
	gauges: LimitStatus[];
	/** Every credential with its state, the period's usage and its official windows (worst first). */
	accounts: AccountView[];
};

const sum = (rows: readonly ModelUsage[], key: 'requests' | 'totalTokens' | 'costUsd' | 'estimatedRequests') => rows.reduce((s, r) => s + r[key], 0);

/**
 * One screenful, all at the same `now` and sharing range reads: today's totals, the model
 * breakdown for `period`, every gauge and every account with its official windows (the query set PRODUCT.md budgets at 20 ms on a
 * 1,000,000-request database, `npm run bench -- dashboard-queries`), plus what the Today panel
 * derives from them.
 */
export function readDashboard(parts: {db: Db; zone: Zone; limits: {configs(): LimitConfig[]}}, now: number, period: Period): DashboardData {
	const {db, zone} = parts;
	const sums = memoSumsReader(db);
	const read = memoUsageReader(db, sums);
	const todayStart = startOfDay(zone, now);
	const yesterdayStart = startOfLocalDate(zone, addDays(localParts(zone, now), -1));
	const today = todayTotals(db, zone, now, read);
	const yesterdayCostSoFar = sum(read(yesterdayStart, yesterdayStart + (now - todayStart)), 'costUsd');
	const window = Math.min(HOUR_MS, now - todayStart);
	const burn = burnRatePerHour(window > 0 ? sum(read(now - window, now + 1), 'costUsd') : 0, window);
	const models = periodModels(db, zone, now, period, read, sums);
	const anyCost = models.some(m => m.costUsd > 0);
	const weights = shares(models.map(m => (anyCost ? Math.max(0, m.costUsd) : m.requests)));
	const yesterday = periodRange('yesterday', zone, now);
	return {
		at: now,
		today,
		vsYesterday: {
			costChange: relativeChange(today.cost_usd, yesterdayCostSoFar),
			yesterdayCostSoFar,
			yesterdayCost: sum(read(yesterday.start, yesterday.end), 'costUsd'),
		},
		burnPerHour: burn,
		projectedEndOfDay: projectEndOfDay(today.cost_usd, burn, now, startOfNextDay(zone, now)),
		period,
		models: models.map((m, i) => ({...m, share: weights[i]!})),
		periodTotals: {requests: sum(models, 'requests'), tokens: sum(models, 'totalTokens'), costUsd: sum(models, 'costUsd'), estimatedRequests: sum(models, 'estimatedRequests')},
		hourlyCost: hourlyCost(db, zone, now, sums),
		lastHour: localParts(zone, now).hour,
		gauges: evaluateLimits(parts.limits.configs(), {db, zone, now, read}),
		accounts: readAccountViews(db, zone, period, now, sums),
	};
}

/** The period's models; with several CPAs stored, per model and CPA (by name), so the table can say which. */
function periodModels(db: Db, zone: Zone, now: number, period: Period, read: UsageReader, sums: SumsReader): Array<Omit<ModelUsage, 'instance'> & {instance?: string}> {
	const names = instanceNames(db, '');
	if (names.size <= 1) return [...modelBreakdown(db, zone, now, period, read)];
	const {start, end} = periodRange(period, zone, now);
	return modelUsage(sums(start, end), seriesLookup(db), {byInstance: true}).map(m => ({...m, instance: names.get(m.instance ?? '') ?? m.instance ?? ''}));
}

/** Cost per local hour (a local hour starts off the UTC hour in zones like +5:45), the current one last. */
function hourlyCost(db: Db, zone: Zone, now: number, sums: SumsReader): number[] {
	const minute = Math.floor(now / 60_000) * 60_000;
	const current = minute - localParts(zone, now).minute * 60_000;
	const hours = Array.from({length: 24}, (_, i): [number, number] => {
		const start = current - (23 - i) * HOUR_MS;
		return [start, i === 23 ? now + 1 : start + HOUR_MS];
	});
	return intervalCosts(db, hours, sums);
}
