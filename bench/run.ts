import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {authFlood} from './auth-flood.js';
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
const BENCHES: Bench[] = [queueIngest, legacyPoll, priceRecord, respIngest, dashboardQueries, statusThroughput, authFlood, tuiFirstFrame, tuiIdleCpu, tuiRss, reports];

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
const selected = only.length ? BENCHES.filter(b => only.includes(b.id)) : BENCHES;
const groups = new Map<string, Bench[]>();
for (const bench of selected) groups.set(bench.group ?? bench.id, [...(groups.get(bench.group ?? bench.id) ?? []), bench]);
const results: Array<{bench: Bench; result: BenchResult}> = [];
for (const group of groups.values()) {
	process.stdout.write(`${group.map(b => b.title).join('; ')} … `);
	const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...group.map(b => b.id)], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (child.status !== 0) throw new Error(`bench ${group.map(b => b.id).join(', ')} failed (exit ${child.status ?? child.signal})`);
	const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchResult[];
	process.stdout.write(`\n${out.map((r, i) => `  ${group[i]!.id}: ${r.figure} (${r.pass ? 'within' : 'OVER'} budget ${r.budget})`).join('\n')}\n`);
	group.forEach((bench, i) => results.push({bench, result: out[i]!}));
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
