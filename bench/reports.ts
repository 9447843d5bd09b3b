import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {periodRows} from '../source/core/report/period-report.js';
import {retentionCutoff} from '../source/core/time/retention.js';
import {addDays, formatLocalDate, localParts, zoneLabel} from '../source/core/time/zone.js';
import {backupDatabase} from '../source/store/backup.js';
import {openDatabase, type Db} from '../source/store/database.js';
import {readDailyStats} from '../source/store/daily-stats.js';
import {readModelTotals} from '../source/store/model-totals.js';
import {pruneRawRows} from '../source/store/retention.js';
import {generateDb, type GeneratedDb} from './generate-db.js';
import {copyForRun, fmt, gc, median, type Bench} from './harness.js';
import {benchSizes, sizeLabel} from './sizes.js';

const BUDGET_MS = 250;
const MAX_BYTES_PER_REQUEST = 120;

function time(fn: () => unknown, rounds: number): number {
	const ms: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const t0 = performance.now();
		fn();
		ms.push(performance.now() - t0);
	}
	return median(ms);
}

type Figures = {gen: GeneratedDb; reports: Record<string, number>; slowest: number; bytes: number};

/** Each report's query and grouping as the command runs it (no process start, no printing), on the database read-only. */
function reports(gen: GeneratedDb): Figures {
	const db: Db = openDatabase(gen.path, {readonly: true});
	try {
		const {zone, endAt: end} = gen;
		const today = localParts(zone, end);
		const last30 = {from: formatLocalDate(addDays(today, -29)), to: formatLocalDate(today)};
		const all = {from: null, to: null};
		gc();
		const figures: Record<string, number> = {
			daily: time(() => periodRows('daily', readDailyStats(db, zone, all, end), all), 20),
			monthly: time(() => periodRows('monthly', readDailyStats(db, zone, all, end), all), 20),
			'models 30 d': time(() => readModelTotals(db, zone, last30), 20),
			'models all': time(() => readModelTotals(db, zone, all), 20),
			'weekly --model 30 d': time(() => periodRows('weekly', readDailyStats(db, zone, last30, end, 'gpt'), last30), 20),
		};
		return {gen, reports: figures, slowest: Math.max(...Object.values(figures)), bytes: statSync(gen.path).size};
	} finally {
		db.close();
	}
}

export const reportsBench: Bench = {
	id: 'reports',
	title: 'Reports and database care at 1,000,000 and 10,000,000 requests',
	async run() {
		const sizes: Figures[] = [];
		for (const requests of benchSizes()) sizes.push(reports(await generateDb({requests})));
		const largest = sizes.at(-1)!;
		// Backup and prune on a copy of the largest: the cached database stays as generated.
		const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
		try {
			const file = join(dir, 'bench.db');
			copyForRun(largest.gen.path, file);
			const db = openDatabase(file);
			const b0 = performance.now();
			await backupDatabase(db, join(dir, 'copy.db'));
			const backupSeconds = (performance.now() - b0) / 1000;
			rmSync(join(dir, 'copy.db'), {force: true});
			const p0 = performance.now();
			const pruned = pruneRawRows(db, largest.gen.zone, retentionCutoff(largest.gen.zone, largest.gen.endAt, 14));
			const pruneSeconds = (performance.now() - p0) / 1000;
			db.close();
			const perRequest = largest.bytes / largest.gen.requests;
			const line = (f: Figures) => `${sizeLabel(f.gen.requests)}: ${Object.entries(f.reports).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')} ms; ${fmt(f.bytes / 2 ** 20)} MiB, ${fmt(f.bytes / f.gen.requests, 1)} bytes per request`;
			return {
				figure: `slowest report ${fmt(largest.slowest, 1)} ms at ${sizeLabel(largest.gen.requests)}${sizes.length > 1 ? ` (${fmt(sizes[0]!.slowest, 1)} ms at ${sizeLabel(sizes[0]!.gen.requests)})` : ''}; ${fmt(perRequest, 1)} bytes per request; backup ${fmt(backupSeconds, 1)} s, prune ${fmt(pruneSeconds, 1)} s`,
				budget: `<= ${BUDGET_MS} ms per report; <= ${MAX_BYTES_PER_REQUEST} bytes per request (db prune and backup: no budget, reported)`,
				pass: largest.slowest <= BUDGET_MS && perRequest <= MAX_BYTES_PER_REQUEST,
				method: `The databases of bench/generate-db.ts (35 days, zone ${zoneLabel(largest.gen.zone)}, v7.2.140 records through the real UsageWriter), opened read-only; each report's query and grouping as the command runs it (no process start, no printing): daily and monthly over all dates, models over the last 30 days and over all, weekly --model gpt over 30 days; median of 20 runs. File size after generation (no vacuum). Then, on a copy of the ${sizeLabel(largest.gen.requests)} file: one online backup (db backup) and one prune of the raw rows older than 14 days (db prune --older-than 14).`,
				details: `${sizes.map(line).join('; ')}; backup: ${fmt(largest.bytes / 2 ** 20)} MiB in ${fmt(backupSeconds, 2)} s; prune: ${fmt(pruned.requests)} rows in ${fmt(pruneSeconds, 2)} s (${fmt(pruned.requests / pruneSeconds)} rows/s)`,
			};
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	},
};
