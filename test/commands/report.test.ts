import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'csv-parse/sync';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {localDate, type Zone} from '../../source/core/time/zone.js';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {seededDb, spreadRecords} from '../support/seed.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';

const berlin: Zone = {kind: 'iana', name: 'Europe/Berlin'};
const DAY = 86_400_000;

type Daily = {
	stat_date: string;
	total_requests: number;
	success_count: number;
	failure_count: number;
	rate_limited: number;
	cancelled: number;
	input_tokens: number;
	cache_read_tokens: number;
	cache_write_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	total_tokens: number;
	estimated_cost_usd: number;
	estimated_requests: number;
	breakdown: {models: Record<string, {requests: number; input_tokens: number; output_tokens: number; reasoning_tokens: number; cached_tokens: number; cache_read_tokens: number; cache_write_tokens: number}>};
};

/** Collects a few weeks of traffic from the stand-in with `--once`, into a Berlin-zoned database. */
async function collected() {
	const cpa = await startStandIn({generation: 'v7'});
	const now = Date.now();
	const models = [['claude', 'claude-sonnet-4-5-20250929'], ['codex', 'gpt-5-codex'], ['gemini', 'gemini-2.5-pro']] as const;
	for (let i = 0; i < 700; i++) {
		const [provider, model] = models[i % 3]!;
		cpa.enqueue(v7Record({at: now - 25 * DAY + ((i * 7919) % 700) * Math.floor((25 * DAY) / 700) + i, provider, model, input: 100 + i, output: 10 + (i % 50), reasoning: i % 3, cached: i % 4 ? 0 : 40, failed: i % 23 === 0}));
	}
	const dir = tempDir();
	const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'Europe/Berlin'};
	const once = await runCli(['--once', '--json'], env, dir);
	expect(once.code, once.stderr).toBe(0);
	expect(JSON.parse(once.stdout).collected.inserted).toBe(700);
	return {dir, env, db: join(dir, 'c.db')};
}

function fromDb(file: string) {
	const db = new Database(file, {readonly: true});
	try {
		// Input in the vocabulary: Claude's input_tokens leave the cache out already; the others' include it.
		const rows = db
			.prepare("SELECT ts, failed, total_tokens, CASE WHEN provider = 'claude' THEN input_tokens ELSE input_tokens - cached_tokens END AS input_tokens, model FROM requests_full")
			.all() as Array<{ts: number; failed: number; total_tokens: number; input_tokens: number; model: string}>;
		const days = new Map<string, {requests: number; failed: number; tokens: number}>();
		for (const r of rows) {
			const d = localDate(berlin, r.ts);
			const day = days.get(d) ?? {requests: 0, failed: 0, tokens: 0};
			day.requests++;
			day.failed += r.failed;
			day.tokens += r.total_tokens;
			days.set(d, day);
		}
		return {rows, days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b))};
	} finally {
		db.close();
	}
}

const json = async (args: string[], env: Record<string, string>, dir: string) => {
	const result = await runCli(args, env, dir);
	expect(result.code, result.stderr).toBe(0);
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout);
};

describe('cliproxy-usage report', () => {
	it('--json totals equal the database, per local day and in every grouping; --csv says the same', async () => {
		const {dir, env, db} = await collected();
		const truth = fromDb(db);
		const totalTokens = truth.rows.reduce((s, r) => s + r.total_tokens, 0);

		const daily = (await json(['report', 'daily', '--json'], env, dir)) as Daily[];
		expect(daily.map(d => [d.stat_date, d.total_requests, d.failure_count, d.total_tokens])).toEqual(truth.days.map(([d, t]) => [d, t.requests, t.failed, t.tokens]));
		expect(daily.every(d => d.success_count + d.failure_count === d.total_requests)).toBe(true);

		for (const kind of ['weekly', 'monthly']) {
			const rows = (await json(['report', kind, '--json'], env, dir)) as Array<{total_requests: number; total_tokens: number; input_tokens: number}>;
			expect(rows.reduce((s, r) => s + r.total_requests, 0), kind).toBe(truth.rows.length);
			expect(rows.reduce((s, r) => s + r.total_tokens, 0), kind).toBe(totalTokens);
			expect(rows.reduce((s, r) => s + r.input_tokens, 0), kind).toBe(truth.rows.reduce((s, r) => s + r.input_tokens, 0));
		}
		const models = (await json(['report', 'models', '--json'], env, dir)) as Array<{model: string; requests: number; total_tokens: number}>;
		expect(Object.fromEntries(models.map(m => [m.model, m.requests]))).toEqual(Object.fromEntries(['claude-sonnet-4-5-20250929', 'gpt-5-codex', 'gemini-2.5-pro'].map(m => [m, truth.rows.filter(r => r.model === m).length])));

		// CSV, read back by a real parser, carries the same numbers as the JSON.
		const csv = await runCli(['report', 'daily', '--csv'], env, dir);
		expect(csv.code).toBe(0);
		const records = parse(csv.stdout, {columns: true, cast: (value, ctx) => (ctx.header || ctx.column === 'stat_date' || ctx.column === 'models' ? value : Number(value))}) as Array<Record<string, string | number>>;
		const sum = (d: Daily, k: 'input_tokens' | 'output_tokens' | 'reasoning_tokens' | 'cache_read_tokens' | 'cache_write_tokens') => Object.values(d.breakdown.models).reduce((s, m) => s + m[k], 0);
		for (const d of daily) {
			for (const k of ['input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_read_tokens', 'cache_write_tokens'] as const) expect(sum(d, k), `${d.stat_date} ${k}`).toBe(d[k]);
			expect(Object.values(d.breakdown.models).reduce((s, m) => s + m.cached_tokens, 0)).toBe(d.cache_read_tokens + d.cache_write_tokens);
		}
		expect(records).toEqual(
			daily.map(d => ({
				stat_date: d.stat_date,
				total_requests: d.total_requests,
				success_count: d.success_count,
				failure_count: d.failure_count,
				rate_limited: d.rate_limited,
				cancelled: d.cancelled,
				input_tokens: d.input_tokens,
				cache_read_tokens: d.cache_read_tokens,
				cache_write_tokens: d.cache_write_tokens,
				output_tokens: d.output_tokens,
				reasoning_tokens: d.reasoning_tokens,
				total_tokens: d.total_tokens,
				estimated_cost_usd: d.estimated_cost_usd,
				estimated_requests: d.estimated_requests,
				models: Object.keys(d.breakdown.models).sort().join(';'),
			})),
		);
		const modelsCsv = parse((await runCli(['report', 'models', '--csv'], env, dir)).stdout, {columns: true}) as Array<Record<string, string>>;
		expect(modelsCsv.map(r => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'provider' || k === 'model' || k === 'tier' ? v : Number(v)])))).toEqual(models);

		// Ranges: inclusive local dates.
		const [first, second] = [daily[1]!.stat_date, daily[2]!.stat_date];
		const two = (await json(['report', 'daily', '--json', '--since', first, '--until', second], env, dir)) as Daily[];
		expect(two.map(d => d.stat_date)).toEqual([first, second]);
	});

	it('prints a readable table with a total row, marks estimated costs, and narrows with the terminal', async () => {
		const {writer, salt, path, db} = seededDb(berlin);
		const start = Date.parse('2026-11-02T00:00:00Z');
		writer.ingest(spreadRecords(salt, start, start + 10 * DAY, 400), start);
		db.close();
		const dir = tempDir();
		const env = {DB_PATH: path, TIMEZONE: 'Europe/Berlin'};
		const wide = await runCli(['report', 'weekly'], env, dir);
		expect(wide.code).toBe(0);
		const lines = wide.stdout.split('\n');
		expect(lines[0]).toBe('Weekly usage · 2026-11-02 – 2026-11-12 · Europe/Berlin');
		expect(lines[2]).toMatch(/^│ Week of\s+│ Models\s+│ Requests │ Failed │ 429 │ Cancelled │\s+Input │ Cache Read │ Cache Write │\s+Output │ Reasoning │ Total Tokens │ Cost \(USD\) │$/);
		expect(wide.stdout).toMatch(/│ Total\s+│\s+│\s+400 │/);
		expect(wide.stdout).toContain('│ 2026-11-09 │ - claude-sonnet-4-5-20250929 │');
		expect(wide.stdout).toMatch(/~\$\d+\.\d\d │\n/);
		expect(wide.stdout).toContain('~ includes 100 requests with estimated costs');

		const narrow = await runCli(['report', 'models'], {...env, COLUMNS: '60'}, dir);
		expect(narrow.code).toBe(0);
		expect(Math.max(...narrow.stdout.split('\n').filter(l => l.startsWith('│') || l.startsWith('┌')).map(l => [...l].length))).toBeLessThanOrEqual(60);
		// The least needed go first: the total and the cost stay.
		expect(narrow.stdout.replace(/\n/g, ' ')).toMatch(/Narrow terminal: Reasoning, Tier, Cancelled, 429, Failed, Cache Write, Cache Read, Provider.* not shown/);
		expect(narrow.stdout).toMatch(/│ Model\s+│.*Total Tokens │ Cost \(USD\) │/);

		// A 40-column pane: the heading and the footnotes wrap to it too, words whole.
		const pane = await runCli(['report', 'weekly', '--model', 'mystery'], {...env, COLUMNS: '40'}, dir);
		expect(pane.code).toBe(0);
		const paneLines = pane.stdout.trimEnd().split('\n');
		expect(paneLines.filter(l => [...l].length > 40)).toEqual([]);
		expect(paneLines.join(' ')).toContain("~ includes 100 requests with estimated costs: a model missing from the price list (priced at the default rate), a token total with no split, a CPA version that reports cache writes as reads (a lower bound), or CPA's counters only");
		expect(paneLines.join(' ')).toMatch(/Narrow terminal: .* not shown; widen it, or use --json or --csv for every column\./);
		expect(paneLines.join(' ')).toMatch(/^Weekly usage · 2026-11-\d\d – 2026-11-\d\d · Europe\/Berlin · models matching "mystery"/);

		const sonnet = await runCli(['report', 'daily', '--model', 'SONNET', '--since', '2026-11-05'], env, dir);
		expect(sonnet.stdout).toContain('· models matching "SONNET"');
		expect(sonnet.stdout).not.toContain('gpt-5-codex');
		expect(sonnet.stdout).not.toContain('estimated prices');

		const empty = await runCli(['report', 'monthly', '--since', '2030-01-01'], env, dir);
		expect(empty.stdout).toBe('Monthly usage · 2030-01-01 – … · Europe/Berlin\nNo usage recorded in this range.\n');
		expect((await runCli(['report', 'daily', '--json', '--since', '2030-01-01'], env, dir)).stdout).toBe('[]\n');
	});

	it.each([
		[['report'], 'cliproxy-usage: report needs a kind: daily, weekly, monthly or models'],
		[['report', 'yearly'], 'cliproxy-usage: report kind must be daily, weekly, monthly or models (got "yearly")'],
		[['report', 'daily', '--since', '2026-13-01'], 'cliproxy-usage: --since must be a calendar date as YYYY-MM-DD, such as 2026-11-01 (got "2026-13-01").'],
		[['report', 'daily', '--until', 'yesterday'], 'cliproxy-usage: --until must be a calendar date as YYYY-MM-DD'],
		[['report', 'weekly', '--since', '2026-11-10', '--until', '2026-11-01'], 'cliproxy-usage: --since 2026-11-10 is after --until 2026-11-01: swap them.'],
		[['report', 'daily', '--json', '--csv'], 'cliproxy-usage: --json and --csv cannot be combined'],
		[['report', 'daily', '--timezone', 'Mars/Olympus'], 'cliproxy-usage: --timezone is not a known IANA time zone'],
	])('exits 2 on bad usage: %j', async (args, message) => {
		const dir = tempDir();
		const result = await runCli(args, {}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr.startsWith(message), result.stderr).toBe(true);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stdout).toBe('');
	});

	it('exits 1 with one line for a missing, newer or corrupt database, saying where it looked', async () => {
		const dir = tempDir();
		const missing = await runCli(['report', 'daily'], {}, dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toBe(`cliproxy-usage: No database at ${join(dir, 'data', 'collector.db')}. Run the collector first, or set DB_PATH (or --db) to where it is.\n`);

		const newer = join(dir, 'newer.db');
		const db = new Database(newer);
		db.pragma('user_version = 99');
		db.close();
		const fromFuture = await runCli(['report', 'models', '--db', newer], {}, dir);
		expect(fromFuture.code).toBe(1);
		expect(fromFuture.stderr).toMatch(/^cliproxy-usage: The database at .*newer\.db has schema version 99, newer than this cliproxy-usage understands \(\d+\)\. Upgrade cliproxy-usage, or point DB_PATH at another file\.\n$/);

		const corrupt = join(dir, 'corrupt.db');
		writeFileSync(corrupt, 'this is not a database, just some text that is long enough to have a header'.repeat(100));
		const broken = await runCli(['report', 'daily'], {DB_PATH: corrupt}, dir);
		expect(broken.code).toBe(1);
		expect(broken.stderr).toBe(`cliproxy-usage: ${corrupt} is not a usable SQLite database (SQLITE_NOTADB). Restore it from a backup (cliproxy-usage db backup) or move it aside.\n`);
	});

	it('--help lists the kinds, flags and examples', async () => {
		const result = await runCli(['report', '--help'], {}, tempDir());
		expect(result.code).toBe(0);
		for (const text of ['report daily|weekly|monthly|models', '--since YYYY-MM-DD', '--model PATTERN', '--csv', 'Examples', '$ cliproxy-usage report weekly --model sonnet']) expect(result.stdout).toContain(text);
	});
});
