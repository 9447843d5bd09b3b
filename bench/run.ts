import {readFileSync, writeFileSync} from 'node:fs';
import {dashboardQueries} from './dashboard-queries.js';
import {legacyPoll} from './legacy-poll.js';
import {machine, type Bench, type BenchResult} from './harness.js';
import {priceRecord} from './price-record.js';
import {queueIngest} from './queue-ingest.js';
import {reports} from './reports.js';
import {respIngest} from './resp-ingest.js';
import {statusThroughput} from './status-throughput.js';
import {tuiFirstFrame, tuiIdleCpu, tuiRss} from './tui.js';

/** Every budget from PRODUCT.md that has a bench. Later work adds to this list. */
const BENCHES: Bench[] = [queueIngest, legacyPoll, priceRecord, respIngest, dashboardQueries, statusThroughput, tuiFirstFrame, tuiIdleCpu, tuiRss, reports];

const only = process.argv.slice(2);
const selected = only.length ? BENCHES.filter(b => only.includes(b.id)) : BENCHES;
const results: Array<{bench: Bench; result: BenchResult}> = [];
for (const bench of selected) {
	process.stdout.write(`${bench.title} … `);
	const result = await bench.run();
	process.stdout.write(`${result.figure} (${result.pass ? 'within' : 'OVER'} budget ${result.budget})\n`);
	results.push({bench, result});
}

const date = new Date().toISOString().slice(0, 10);
const command = `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}`;
const section = (b: Bench, r: BenchResult) =>
	[
		`<!-- bench:${b.id} -->`,
		`### ${b.title}`,
		'',
		`| figure | budget | verdict | date | command |`,
		`|---|---|---|---|---|`,
		`| **${r.figure}** | ${r.budget} | ${r.pass ? 'within budget' : '**over budget**'} | ${date} | \`${command}\` |`,
		'',
		`Machine: ${machine()}.`,
		'',
		`Method: ${r.method}${r.details ? `\n\nDetails: ${r.details}` : ''}`,
		`<!-- /bench:${b.id} -->`,
	].join('\n');

// Keep sections of benches not run this time; replace the ones that were.
let existing = '';
try {
	existing = readFileSync('BENCHMARKS.md', 'utf8');
} catch {
	existing = '';
}
const kept = new Map<string, string>();
for (const m of existing.matchAll(/<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g)) kept.set(m[1]!, m[0]);
for (const {bench, result} of results) kept.set(bench.id, section(bench, result));
const ordered = BENCHES.filter(b => kept.has(b.id)).map(b => kept.get(b.id)!);
writeFileSync(
	'BENCHMARKS.md',
	`# Benchmarks\n\nBudgets are PRODUCT.md's. Every figure comes from \`npm run bench\` (or \`npm run bench -- <id>\` for one), which rewrites its own section below. Never as timed unit tests.\n\n${ordered.join('\n\n')}\n`,
);
if (results.some(r => !r.result.pass)) process.exitCode = 1;
