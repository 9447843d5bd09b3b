import {readAccountViews} from '../source/accounts/read-accounts.js';
import {readDashboard} from '../source/app/dashboard-data.js';
import {EventBus} from '../source/collector/event-bus.js';
import {PERIODS} from '../source/core/time/periods.js';
import {zoneLabel} from '../source/core/time/zone.js';
import {evaluateLimits} from '../source/limits/evaluate.js';
import {LimitsService} from '../source/limits/limits-service.js';
import {todayTotals} from '../source/store/dashboard-queries.js';
import {openDatabase} from '../source/store/database.js';
import {generateDb, type GeneratedDb} from './generate-db.js';
import {fmt, gc, median, type Bench} from './harness.js';
import {benchSizes, sizeLabel} from './sizes.js';

const RUNS = 200;
const WARMUP = 100;
const BUDGET_MS = 20;
const MAX_RATIO = 1.5;

function time(runs: number, fn: () => unknown): number[] {
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		fn();
		out.push(performance.now() - t0);
	}
	return out;
}

type Measured = {gen: GeneratedDb; generatedIn: number; figure: number; p95: number; cold: number; perPeriod: string[]; gauges: number; today: number; accounts: number; accountCount: number};

async function measure(requests: number): Promise<Measured> {
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
		const sorted = [...whole].sort((a, b) => a - b);
		return {
			gen,
			generatedIn,
			figure: median(whole),
			p95: sorted[Math.floor(RUNS * 0.95)]!,
			cold: cold!,
			perPeriod: PERIODS.map(p => `${p} ${fmt(median(time(50, () => readDashboard(parts, now, p))), 2)} ms`),
			gauges: median(time(50, () => evaluateLimits(limits.configs(), {db, zone: gen.zone, now}))),
			today: median(time(50, () => todayTotals(db, gen.zone, now))),
			accounts: median(time(50, () => readAccountViews(db, gen.zone, '30d', now))),
			accountCount: readAccountViews(db, gen.zone, '30d', now).length,
		};
	} finally {
		db.close();
	}
}

export const dashboardQueries: Bench = {
	id: 'dashboard-queries',
	title: "Dashboard query set at 1,000,000 and 10,000,000 requests: today's totals, model breakdown, every gauge, every account",
	async run() {
		const results: Measured[] = [];
		for (const n of benchSizes()) results.push(await measure(n));
		const small = results[0]!;
		const large = results.at(-1)!;
		const ratio = large.figure / small.figure;
		const at = (m: Measured) => `${fmt(m.figure, 2)} ms at ${sizeLabel(m.gen.requests)}`;
		return {
			figure: results.length === 1 ? at(large) : `${at(large)}, ${fmt(ratio, 2)}x the ${at(small)}`,
			budget: `<= ${BUDGET_MS} ms${results.length === 1 ? '' : ` at ${sizeLabel(large.gen.requests)}, and at most ${MAX_RATIO}x the ${sizeLabel(small.gen.requests)} figure`}`,
			pass: large.figure <= BUDGET_MS && (results.length === 1 || ratio <= MAX_RATIO),
			method: `bench/generate-db.ts: v7.2.140 requests over ${large.gen.days} days through the real UsageWriter (8 models, 4 providers, 20 accounts with their official quota windows, working-hours rhythm, legacy counter deltas), ${large.gen.configs} limit configs (rolling 5 h, weekly with a manual reset, daily, rolling 7 d), zone ${zoneLabel(large.gen.zone)}, WAL file on disk; the same days at each size, so a larger database is a denser one. The whole set (today's totals, the 30-day model breakdown, every gauge, every account with its 30-day usage and official windows, the 24-hour cost chart) at one instant, warm (${WARMUP} runs first), median of ${RUNS} runs.`,
			details: results
				.map(
					m =>
						`${sizeLabel(m.gen.requests)}: p95 ${fmt(m.p95, 2)} ms; first run in a fresh process ${fmt(m.cold, 1)} ms; by breakdown period: ${m.perPeriod.join(', ')}; gauges alone ${fmt(m.gauges, 2)} ms; today's totals alone ${fmt(m.today, 2)} ms; the ${m.accountCount} accounts alone (30 days) ${fmt(m.accounts, 2)} ms; database ${m.gen.cached ? 'reused from cache' : `generated in ${fmt(m.generatedIn / 1000, 1)} s`}`,
				)
				.join('. '),
		};
	},
};
