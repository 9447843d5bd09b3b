import {readAccountViews} from '../source/accounts/read-accounts.js';
import {readDashboard} from '../source/app/dashboard-data.js';
import {EventBus} from '../source/collector/event-bus.js';
import {PERIODS} from '../source/core/time/periods.js';
import {zoneLabel} from '../source/core/time/zone.js';
import {evaluateLimits} from '../source/limits/evaluate.js';
import {LimitsService} from '../source/limits/limits-service.js';
import {todayTotals} from '../source/store/dashboard-queries.js';
import {openDatabase} from '../source/store/database.js';
import {generateDb} from './generate-db.js';
import {fmt, gc, median, type Bench} from './harness.js';

const RUNS = 200;
const WARMUP = 100;

function time(runs: number, fn: () => unknown): number[] {
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		fn();
		out.push(performance.now() - t0);
	}
	return out;
}

export const dashboardQueries: Bench = {
	id: 'dashboard-queries',
	title: "Dashboard query set on a 1,000,000-request database: today's totals, model breakdown, every gauge, every account",
	async run() {
		// BENCH_DB_REQUESTS=50000 checks the bench quickly; the recorded figure uses the default.
		const requests = Number(process.env['BENCH_DB_REQUESTS'] ?? 1_000_000);
		const t0 = performance.now();
		const gen = await generateDb({requests});
		const generatedIn = performance.now() - t0;
		const db = openDatabase(gen.path);
		try {
			const now = gen.endAt;
			const limits = new LimitsService(db, gen.zone, new EventBus(), () => now);
			const parts = {db, zone: gen.zone, limits};
			const set = () => readDashboard(parts, now, '30d');
			const [cold] = time(1, set);
			time(WARMUP, set);
			gc();
			const whole = time(RUNS, set);
			const perPeriod = PERIODS.map(p => `${p} ${fmt(median(time(50, () => readDashboard(parts, now, p))), 2)} ms`);
			const gauges = median(time(50, () => evaluateLimits(limits.configs(), {db, zone: gen.zone, now})));
			const today = median(time(50, () => todayTotals(db, gen.zone, now)));
			const accounts = median(time(50, () => readAccountViews(db, gen.zone, '30d', now)));
			const accountCount = readAccountViews(db, gen.zone, '30d', now).length;
			const figure = median(whole);
			const sorted = [...whole].sort((a, b) => a - b);
			return {
				figure: `${fmt(figure, 2)} ms`,
				budget: '<= 20 ms',
				pass: figure <= 20,
				method: `bench/generate-db.ts: ${fmt(gen.requests)} v7.2.140 requests over ${gen.days} days through the real UsageWriter (8 models, 4 providers, 20 accounts with their official quota windows, working-hours rhythm, legacy counter deltas), ${gen.configs} limit configs (rolling 5 h, weekly with a manual reset, daily, rolling 7 d), zone ${zoneLabel(gen.zone)}, WAL file on disk. The whole set (today's totals, the 30-day model breakdown, every gauge, every account with its 30-day usage and official windows) at one instant, warm (${WARMUP} runs first), median of ${RUNS} runs.`,
				details: `p95 ${fmt(sorted[Math.floor(RUNS * 0.95)]!, 2)} ms; first run in a fresh process (cold statements and JIT) ${fmt(cold!, 1)} ms; whole set by breakdown period: ${perPeriod.join(', ')}; gauges alone ${fmt(gauges, 2)} ms; today's totals alone ${fmt(today, 2)} ms; the ${accountCount} accounts alone (30 days) ${fmt(accounts, 2)} ms; database ${gen.cached ? 'reused from cache' : `generated in ${fmt(generatedIn / 1000, 1)} s`} (${gen.path})`,
			};
		} finally {
			db.close();
		}
	},
};
