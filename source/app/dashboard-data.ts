import type {LimitStatus} from '../core/limits/types.js';
import type {Period} from '../core/periods.js';
import type {Zone} from '../core/zone.js';
import {evaluateLimits} from '../limits/evaluate.js';
import type {LimitsService} from '../limits/limits-service.js';
import {modelBreakdown, todayTotals, type TodayTotals} from '../store/dashboard-queries.js';
import type {Db} from '../store/database.js';
import type {ModelUsage} from '../store/range-usage.js';
import {memoUsageReader} from '../store/usage-reader.js';

export type DashboardData = {at: number; today: TodayTotals; period: Period; models: readonly ModelUsage[]; gauges: LimitStatus[]};

/**
 * One screenful: today's totals, the model breakdown for `period` and every gauge, all at the
 * same `now` and sharing range reads. This is the query set PRODUCT.md budgets at 20 ms on a
 * 1,000,000-request database (`npm run bench -- dashboard-queries`).
 */
export function readDashboard(parts: {db: Db; zone: Zone; limits: LimitsService}, now: number, period: Period): DashboardData {
	const {db, zone} = parts;
	const read = memoUsageReader(db);
	return {
		at: now,
		today: todayTotals(db, zone, now, read),
		period,
		models: modelBreakdown(db, zone, now, period, read),
		gauges: evaluateLimits(parts.limits.configs(), {db, zone, now, read}),
	};
}
