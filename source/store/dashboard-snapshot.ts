import {burnRatePerHour, projectEndOfDay, relativeChange, shares} from '../core/dashboard-math.js';
import {addDays, HOUR_MS, localParts, startOfDay, startOfLocalDate, startOfNextDay, type Zone} from '../core/zone.js';
import type {Statement} from 'better-sqlite3';
import type {Db} from './database.js';
import {usageByModel, type ModelUsage} from './range-usage.js';

export type Period = 'today' | 'yesterday' | '7d' | '30d';
export const PERIODS: readonly Period[] = ['today', 'yesterday', '7d', '30d'];
export const PERIOD_LABELS: Record<Period, string> = {today: 'today', yesterday: 'yesterday', '7d': 'last 7 days', '30d': 'last 30 days'};

export type ModelRow = ModelUsage & {share: number};

export type DashboardSnapshot = {
	at: number;
	today: {requests: number; failed: number; tokens: number; costUsd: number; estimatedRequests: number; successRate: number | null};
	/** Today so far against yesterday up to the same time of day. */
	vsYesterday: {costChange: number | null; yesterdayCostSoFar: number; yesterdayCost: number};
	burnPerHour: number;
	projectedEndOfDay: number;
	period: Period;
	models: ModelRow[];
	periodTotals: {requests: number; tokens: number; costUsd: number; estimatedRequests: number};
	/** Cost per hour for the last 24 hours, oldest first; the last bucket is the current hour. */
	hourlyCost: number[];
};

const sum = (rows: readonly ModelUsage[], key: 'requests' | 'failed' | 'totalTokens' | 'costUsd' | 'estimatedRequests') => rows.reduce((s, r) => s + r[key], 0);

const hourlyStatements = new WeakMap<Db, Statement<[number, number], {hour: number; cost: number}>>();

/** Start and end of a period around `now` in the zone (end is exclusive). */
export function periodRange(period: Period, zone: Zone, now: number): {start: number; end: number} {
	const todayStart = startOfDay(zone, now);
	const today = localParts(zone, now);
	switch (period) {
		case 'today':
			return {start: todayStart, end: now + 1};
		case 'yesterday':
			return {start: startOfLocalDate(zone, addDays(today, -1)), end: todayStart};
		case '7d':
			return {start: startOfLocalDate(zone, addDays(today, -6)), end: now + 1};
		case '30d':
			return {start: startOfLocalDate(zone, addDays(today, -29)), end: now + 1};
	}
}

/**
 * Everything the dashboard shows except the collector's state and the gauges: a handful of
 * range sums over rollups and the edge hours, so it stays a few milliseconds on a large DB.
 */
export function loadDashboard(db: Db, zone: Zone, now: number, period: Period): DashboardSnapshot {
	const todayStart = startOfDay(zone, now);
	const yesterdayStart = startOfLocalDate(zone, addDays(localParts(zone, now), -1));
	const today = usageByModel(db, todayStart, now + 1);
	const yesterdaySoFar = usageByModel(db, yesterdayStart, yesterdayStart + (now - todayStart));
	const yesterdayAll = period === 'yesterday' ? null : usageByModel(db, yesterdayStart, todayStart);
	const window = Math.min(HOUR_MS, now - todayStart);
	const lastHour = window > 0 ? usageByModel(db, now - window, now + 1) : [];
	const burn = burnRatePerHour(sum(lastHour, 'costUsd'), window);

	const {start, end} = periodRange(period, zone, now);
	const models = period === 'today' ? today : usageByModel(db, start, end);
	const modelShares = shares(models.map(m => m.costUsd > 0 ? m.costUsd : 0));
	const requestShares = shares(models.map(m => m.requests));
	const anyCost = models.some(m => m.costUsd > 0);

	const requests = sum(today, 'requests');
	const failed = sum(today, 'failed');
	const costToday = sum(today, 'costUsd');
	const yesterdayCostSoFar = sum(yesterdaySoFar, 'costUsd');
	return {
		at: now,
		today: {requests, failed, tokens: sum(today, 'totalTokens'), costUsd: costToday, estimatedRequests: sum(today, 'estimatedRequests'), successRate: requests > 0 ? (requests - failed) / requests : null},
		vsYesterday: {costChange: relativeChange(costToday, yesterdayCostSoFar), yesterdayCostSoFar, yesterdayCost: sum(yesterdayAll ?? models, 'costUsd')},
		burnPerHour: burn,
		projectedEndOfDay: projectEndOfDay(costToday, burn, now, startOfNextDay(zone, now)),
		period,
		models: models.map((m, i) => ({...m, share: anyCost ? modelShares[i]! : requestShares[i]!})),
		periodTotals: {requests: sum(models, 'requests'), tokens: sum(models, 'totalTokens'), costUsd: sum(models, 'costUsd'), estimatedRequests: sum(models, 'estimatedRequests')},
		hourlyCost: hourlyCost(db, now),
	};
}

function hourlyCost(db: Db, now: number): number[] {
	let stmt = hourlyStatements.get(db);
	if (!stmt) {
		stmt = db.prepare<[number, number], {hour: number; cost: number}>('SELECT hour_start AS hour, sum(cost_usd) AS cost FROM hourly_stats WHERE hour_start >= ? AND hour_start <= ? GROUP BY hour_start');
		hourlyStatements.set(db, stmt);
	}
	const current = Math.floor(now / HOUR_MS) * HOUR_MS;
	const first = current - 23 * HOUR_MS;
	const series = new Array<number>(24).fill(0);
	for (const row of stmt.all(first, current)) series[(row.hour - first) / HOUR_MS] = row.cost;
	return series;
}
