import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {authFlood} from './auth-flood.js';
import {dashboardQueries} from './dashboard-queries.js';
import {legacyPoll} from './legacy-poll.js';
import {pageSize} from './page-size.js';
import type {Bench, BenchResult} from './harness.js';
import {priceRecord} from './price-record.js';
import {queueIngest} from './queue-ingest.js';
import {reportsBench} from './reports.js';
import {respIngest} from './resp-ingest.js';
import {benchmarksMd, groupsOf, notMeasured, runGroups} from './runner.js';
import {statusThroughput} from './status-throughput.js';
import {tuiFirstFrame, tuiIdleCpu, tuiRss} from './tui.js';

/** Every budget from PRODUCT.md that has a bench. Later work adds to this list. */
const BENCHES: Bench[] = [queueIngest, legacyPoll, priceRecord, respIngest, dashboardQueries, statusThroughput, authFlood, tuiFirstFrame, tuiIdleCpu, tuiRss, reportsBench, pageSize];

// Each bench (or group sharing one measurement) runs in a fresh process: what one leaves behind
// (a large heap, a busy GC) must not slow the next; the dashboard's first frame lost ~60 ms
// after the ingest benches.
if (process.argv[2] === '--child') {
	const ids = process.argv.slice(3);
	const out: BenchResult[] = [];
	for (const bench of BENCHES.filter(b => ids.includes(b.id))) out.push(await bench.run());
	process.stdout.write(`${JSON.stringify(out)}\n`);
	process.exit(0);
}

const only = process.argv.slice(2);
const unknown = only.filter(id => !BENCHES.some(b => b.id === id));
if (unknown.length > 0) {
	process.stderr.write(`unknown bench ${unknown.join(', ')}; the benches are ${BENCHES.map(b => b.id).join(', ')}\n`);
	process.exit(2);
}
const selected = only.length ? BENCHES.filter(b => only.includes(b.id)) : BENCHES;
const outcomes = runGroups(
	groupsOf(selected),
	group => {
		const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...group.map(b => b.id)], {
			stdio: ['ignore', 'pipe', 'inherit'],
			encoding: 'utf8',
		});
		if (child.status !== 0) throw new Error(`the bench process failed (exit ${child.status ?? child.signal}; its error is above)`);
		return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchResult[];
	},
	undefined,
	text => process.stdout.write(text),
);

let existing = '';
try {
	existing = readFileSync('BENCHMARKS.md', 'utf8');
} catch {
	existing = '';
}
const date = new Date().toISOString().slice(0, 10);
writeFileSync('BENCHMARKS.md', benchmarksMd(existing, BENCHES, outcomes, date, `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}`));
process.stdout.write(notMeasured(outcomes));
if (outcomes.some(o => o.kind === 'failed' || (o.kind === 'measured' && o.results.some(r => !r.pass)))) process.exitCode = 1;
