import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CpaClient} from '../source/cliproxy/client.js';
import {EventBus} from '../source/collector/event-bus.js';
import {QueueBackend} from '../source/collector/queue-backend.js';
import {RecordSink} from '../source/collector/record-sink.js';
import {silentLogger} from '../source/runtime/logger.js';
import {openDatabase} from '../source/store/database.js';
import {StateStore} from '../source/store/state.js';
import {UsageWriter} from '../source/store/usage-writer.js';
import {v7Record} from '../test/support/fixtures.js';
import {bundledSnapshot} from '../source/pricing/bundled.js';
import {PriceBook} from '../source/pricing/price-book.js';
import {generateDb} from './generate-db.js';
import {benchAccount, copyForRun, fmt, gc, median, MODEL_MIX, type Bench} from './harness.js';
import {benchSizes, sizeLabel} from './sizes.js';

const RECORDS = 200_000;
const PAGE = 500;
const MODELS = MODEL_MIX;

/** CPA's pages as they arrive over HTTP: JSON text of 500 full v7.2.140 records each, from `start` on (50 hours of them). */
export function pages(start: number): string[] {
	const out: string[] = [];
	for (let p = 0; p < RECORDS / PAGE; p++) {
		const page = [];
		for (let i = 0; i < PAGE; i++) {
			const n = p * PAGE + i;
			const [provider, model] = MODELS[n % MODELS.length]!;
			page.push(v7Record({at: start + n * 900, provider, model, input: 1000 + (n % 5000), output: 100 + (n % 700), reasoning: n % 3 ? 0 : 50, cacheRead: n % 4 ? 0 : 4000, cacheCreation: n % 9 ? 0 : 1200, apiKey: `sk-client-${n % 4}-0123456789abcdef`, authIndex: benchAccount(provider, n)}));
		}
		out.push(JSON.stringify(page));
	}
	return out;
}

const HOUR = 3_600_000;

/** One round: every page into the database at `file` (a fresh one, or a copy of a big one), its clock just after the records. */
export function round(file: string, input: string[], start: number): {rate: number; cpuRate: number} {
	const db = openDatabase(file);
	const salt = new StateStore(db).salt();
	const writer = new UsageWriter(db, {kind: 'iana', name: 'Europe/Berlin'}, salt, new PriceBook(bundledSnapshot().tables));
	const sink = new RecordSink(writer, new EventBus(), silentLogger, () => start + 51 * HOUR);
	const backend = new QueueBackend(new CpaClient({baseUrl: 'http://127.0.0.1:9', managementKey: null}), sink, salt, silentLogger);
	gc();
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	for (const text of input) backend.ingestPage(text);
	const seconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	db.close();
	return {rate: RECORDS / seconds, cpuRate: RECORDS / ((cpu.user + cpu.system) / 1e6)};
}

export const queueIngest: Bench = {
	id: 'queue-ingest',
	title: 'Queue ingest: parse + price + insert, one transaction per 500-record page, into a new and into a 10,000,000-request database',
	async run() {
		// Recent records, as a running collector writes them: the 1-minute rollup takes them too.
		const start = Math.floor(Date.now() / HOUR) * HOUR - 60 * HOUR;
		const input = pages(start);
		const bytes = input.reduce((sum, p) => sum + p.length, 0);
		const fresh: Array<{rate: number; cpuRate: number}> = [];
		for (let r = 0; r < 5; r++) {
			const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
			fresh.push(round(join(dir, 'bench.db'), input, start));
			rmSync(dir, {recursive: true, force: true});
		}
		// The same pages appended to a copy of the big database, after its last request.
		const size = benchSizes().at(-1)!;
		const gen = await generateDb({requests: size});
		const later = gen.endAt + HOUR;
		const appended = pages(later);
		const big: Array<{rate: number; cpuRate: number}> = [];
		for (let r = 0; r < 3; r++) {
			const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
			copyForRun(gen.path, join(dir, 'big.db'));
			big.push(round(join(dir, 'big.db'), appended, later));
			rmSync(dir, {recursive: true, force: true});
		}
		const rate = median(fresh.map(f => f.rate));
		const bigRate = median(big.map(f => f.rate));
		return {
			figure: `${fmt(rate)} records/s into a new database, ${fmt(bigRate)} records/s into the ${sizeLabel(size)}-request one`,
			budget: '>= 50,000 records/s, both',
			pass: rate >= 50_000 && bigRate >= 50_000,
			method: `${fmt(RECORDS)} full v7.2.140 records (7 models over 4 providers, cache and reasoning tokens, each with a realistic copy of the upstream response headers, Claude's and Codex's carrying their quota windows, over 20 accounts, ${fmt(bytes / RECORDS)} bytes a record on average) as 500-record JSON pages; the queue backend's page path (parse, validate, price with the real PriceBook over the bundled snapshot, INSERT, the 1-minute, 5-minute, hourly and daily rollups per series, the quota windows of each account, usage_delta and quotas events) in one transaction per page, WAL file on disk; median of 5 runs (wall clock) into a new database, and of 3 into a copy of bench/generate-db.ts's ${sizeLabel(size)}-request database (the records after its last one, as a running collector appends them). This VM shares its host, so wall-clock runs vary by up to ±15 %; the CPU-time rate, which steal time does not distort, is given beside it.`,
			details: `new database: ${fresh.map(r => fmt(r.rate)).join(', ')} records/s, per CPU-second (median) ${fmt(median(fresh.map(f => f.cpuRate)))}; ${sizeLabel(size)} database: ${big.map(r => fmt(r.rate)).join(', ')} records/s, per CPU-second (median) ${fmt(median(big.map(f => f.cpuRate)))}`,
		};
	},
};
