import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {periodRows} from '../source/core/report/period-report.js';
import {readQueueRecord} from '../source/core/cpa/queue-record.js';
import {retentionCutoff} from '../source/core/time/retention.js';
import {addDays, formatLocalDate, localParts, type Zone} from '../source/core/time/zone.js';
import {backupDatabase} from '../source/store/backup.js';
import {openDatabase} from '../source/store/database.js';
import {readDailyStats} from '../source/store/daily-stats.js';
import {readModelTotals} from '../source/store/model-totals.js';
import {pruneRawRows} from '../source/store/retention.js';
import {StateStore} from '../source/store/state.js';
import {UsageWriter} from '../source/store/usage-writer.js';
import {v7Record, readV7} from '../test/support/fixtures.js';
import {bundledSnapshot} from '../source/pricing/bundled.js';
import {PriceBook} from '../source/pricing/price-book.js';
import {fmt, gc, median, MODEL_MIX, type Bench} from './harness.js';

/** BENCH_REQUESTS shrinks the database for a quick check that the bench runs. */
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1_000_000);
const DAYS = 90;
const BUDGET_MS = 250;
const MODELS = MODEL_MIX;

function time(fn: () => unknown, rounds: number): number {
	const ms: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const t0 = performance.now();
		fn();
		ms.push(performance.now() - t0);
	}
	return median(ms);
}

export const reports: Bench = {
	id: 'reports',
	title: `Reports and database care on a ${fmt(REQUESTS)}-request, ${DAYS}-day database`,
	async run() {
		const zone: Zone = {kind: 'iana', name: 'Europe/Berlin'};
		const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
		try {
			const file = join(dir, 'bench.db');
			const db = openDatabase(file);
			const salt = new StateStore(db).salt();
			const writer = new UsageWriter(db, zone, salt, new PriceBook(bundledSnapshot().tables));
			const end = Date.parse('2026-11-23T12:00:00Z');
			const step = Math.floor((DAYS * 86_400_000) / REQUESTS);
			for (let i = 0; i < REQUESTS; i += 5000) {
				const batch = [];
				for (let n = i; n < Math.min(REQUESTS, i + 5000); n++) {
					const [provider, model] = MODELS[n % MODELS.length]!;
					batch.push(readV7({at: end - DAYS * 86_400_000 + n * step, provider, model, input: 800 + (n % 4000), output: 60 + (n % 900), cacheRead: n % 3 ? 0 : 2000, failed: n % 41 === 0, apiKey: `sk-client-${n % 5}-0123456789abcdef`}, salt, '7.0.3'));
				}
				writer.ingest(batch, end);
			}
			const today = localParts(zone, end);
			const last30 = {from: formatLocalDate(addDays(today, -29)), to: formatLocalDate(today)};
			const all = {from: null, to: null};
			gc();
			const daily = time(() => periodRows('daily', readDailyStats(db, zone, all, end), all), 20);
			const monthly = time(() => periodRows('monthly', readDailyStats(db, zone, all, end), all), 20);
			const models30 = time(() => readModelTotals(db, zone, last30), 20);
			const modelsAll = time(() => readModelTotals(db, zone, all), 20);
			const filtered = time(() => periodRows('weekly', readDailyStats(db, zone, last30, end, 'gpt'), last30), 5);

			const bytes = statSync(file).size;
			const b0 = performance.now();
			await backupDatabase(db, join(dir, 'copy.db'));
			const backupSeconds = (performance.now() - b0) / 1000;
			const p0 = performance.now();
			const pruned = pruneRawRows(db, zone, retentionCutoff(zone, end, 30));
			const pruneSeconds = (performance.now() - p0) / 1000;
			db.close();

			const slowest = Math.max(daily, monthly, models30, modelsAll, filtered);
			return {
				figure: `slowest report ${fmt(slowest, 1)} ms (daily ${fmt(daily, 1)}, monthly ${fmt(monthly, 1)}, models 30 d ${fmt(models30, 1)}, models all ${fmt(modelsAll, 1)}, weekly --model 30 d ${fmt(filtered, 1)})`,
				budget: `<= ${BUDGET_MS} ms per report (no PRODUCT budget: interactive feel)`,
				pass: slowest <= BUDGET_MS,
				method: `${fmt(REQUESTS)} v7 requests over ${DAYS} days (7 models, 5 client keys, priced), Europe/Berlin; each report's query and grouping as the command runs it (no process start, no printing), median of 20 runs (5 for --model, which reads one day of hourly rollups per day); then one online backup and one prune of raw rows older than 30 days.`,
				details: `backup: ${fmt(bytes / 2 ** 20, 1)} MiB in ${fmt(backupSeconds, 2)} s; prune: ${fmt(pruned.requests)} rows in ${fmt(pruneSeconds, 2)} s (${fmt(pruned.requests / pruneSeconds)} rows/s)`,
			};
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	},
};
