import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {EventBus} from '../source/collector/event-bus.js';
import {LegacyBackend} from '../source/collector/legacy-backend.js';
import {RecordSink} from '../source/collector/record-sink.js';
import {CpaClient} from '../source/cliproxy/client.js';
import {silentLogger} from '../source/runtime/logger.js';
import {openDatabase} from '../source/store/database.js';
import {LegacyStateStore} from '../source/store/legacy-state.js';
import {StateStore} from '../source/store/state.js';
import {UsageWriter} from '../source/store/usage-writer.js';
import {CpaStandIn} from '../test/support/cpa-stand-in.js';
import {v6Detail} from '../test/support/fixtures.js';
import {bundledSnapshot} from '../source/pricing/bundled.js';
import {PriceBook} from '../source/pricing/price-book.js';
import {fmt, gc, median, type Bench} from './harness.js';

const DETAILS = 100_000;

export const legacyPoll: Bench = {
	id: 'legacy-poll',
	title: 'Legacy poll, 100,000-detail /usage payload with nothing new, vs a bare JSON.parse',
	async run() {
		// The payload CPA v6.9.49 would send after a long uptime: 4 client keys × 10 models.
		const cpa = new CpaStandIn({generation: 'v6'});
		const start = Date.parse('2026-11-01T00:00:00Z');
		for (let i = 0; i < DETAILS; i++) {
			cpa.record(`sk-client-${i % 4}-0123456789abcdef`, `model-${i % 10}`, v6Detail({at: start + i * 20_000, nanos: i % 1000, input: 500 + (i % 900), output: 40 + (i % 300)}));
		}
		const text = JSON.stringify(cpa.usageSnapshot());
		const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
		const db = openDatabase(join(dir, 'bench.db'));
		const state = new StateStore(db);
		const salt = state.salt();
		const writer = new UsageWriter(db, {kind: 'iana', name: 'UTC'}, salt, new PriceBook(bundledSnapshot().tables));
		const bus = new EventBus();
		const backend = new LegacyBackend({
			client: new CpaClient({baseUrl: 'http://127.0.0.1:9', managementKey: null}),
			db,
			writer,
			sink: new RecordSink(writer, bus, silentLogger, Date.now),
			legacyState: new LegacyStateStore(db),
			state,
			salt,
			logger: silentLogger,
			now: Date.now,
			intervalMs: 300_000,
		});
		const t0 = performance.now();
		const first = backend.process(text, '6.9.49');
		const firstMs = performance.now() - t0;
		if (first.inserted !== DETAILS) throw new Error(`first poll stored ${first.inserted}, expected ${DETAILS}`);

		const parseTimes: number[] = [];
		const pollTimes: number[] = [];
		for (let round = 0; round < 15; round++) {
			gc();
			let t = performance.now();
			JSON.parse(text);
			parseTimes.push(performance.now() - t);
			gc();
			t = performance.now();
			const again = backend.process(text, '6.9.49');
			pollTimes.push(performance.now() - t);
			if (again.inserted !== 0) throw new Error('a repeated poll inserted rows');
		}
		db.close();
		rmSync(dir, {recursive: true, force: true});
		const parse = median(parseTimes);
		const poll = median(pollTimes);
		const ratio = poll / parse;
		return {
			figure: `${fmt(ratio, 2)}x JSON.parse (${fmt(poll, 1)} ms vs ${fmt(parse, 1)} ms)`,
			budget: '<= 2x JSON.parse',
			pass: ratio <= 2,
			method: `${(text.length / 2 ** 20).toFixed(1)} MiB payload, 100,000 details in 40 arrays; whole poll after the HTTP body (parse, validate, find new details, counter check, snapshot row, commit) vs JSON.parse of the same string; medians of 15 rounds.`,
			details: `first poll storing all 100,000 details: ${fmt(firstMs)} ms`,
		};
	},
};
