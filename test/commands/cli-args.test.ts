import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/collector/event-bus.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {openDatabase} from '../../source/store/database.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {goTime, v6Detail, v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {PriceFeeds} from '../support/price-feeds.js';
import {CLI, runCli} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';

/**
 * Every command and subcommand: --help and -h anywhere print that command's help and do
 * nothing else; an unknown flag or a flag without its value is one line pointing to --help,
 * exit 2; and every example the help texts show runs as written.
 */
/** `where` is how the error lines name the command. */
type Case = {args: string[]; where: string; usage: string; flags: string[]};

const CASES: Case[] = [
	{args: [], where: '', usage: '$ cliproxy-usage --headless', flags: []},
	{args: ['--once'], where: '', usage: '$ cliproxy-usage --once [--json]', flags: []},
	{args: ['--headless'], where: '', usage: '$ cliproxy-usage --headless', flags: []},
	{args: ['report'], where: 'report', usage: '$ cliproxy-usage report daily|weekly|monthly|models', flags: ['--since', '--until', '--model']},
	...['daily', 'weekly', 'monthly', 'models'].map(kind => ({args: ['report', kind], where: `report ${kind}`, usage: '$ cliproxy-usage report daily|weekly|monthly|models', flags: ['--since', '--until', '--model']})),
	{args: ['import'], where: 'import', usage: '$ cliproxy-usage import FILE', flags: []},
	{args: ['import', 'usage-export.json'], where: 'import', usage: '$ cliproxy-usage import FILE', flags: []},
	{args: ['db'], where: 'db', usage: '$ cliproxy-usage db stats [--json]', flags: []},
	{args: ['db', 'backup', 'copy.db'], where: 'db backup', usage: '$ cliproxy-usage db backup FILE [--force]', flags: []},
	{args: ['db', 'stats'], where: 'db stats', usage: '$ cliproxy-usage db stats [--json]', flags: []},
	{args: ['db', 'vacuum'], where: 'db vacuum', usage: '$ cliproxy-usage db vacuum\n', flags: []},
	{args: ['db', 'prune', '--older-than', '7'], where: 'db prune', usage: '$ cliproxy-usage db prune --older-than DAYS [--dry-run]', flags: ['--older-than']},
	{args: ['limits'], where: 'limits', usage: '$ cliproxy-usage limits list [--json]', flags: []},
	{args: ['limits', 'list'], where: 'limits list', usage: '$ cliproxy-usage limits list [--json]\n', flags: []},
	{args: ['limits', 'add', '--provider', 'X', '--tier', 'Y', '--pattern', 'z', '--tokens', '5', '--strategy', 'daily'], where: 'limits add', usage: '$ cliproxy-usage limits add --provider NAME', flags: ['--provider', '--tier', '--pattern', '--strategy', '--window-minutes', '--tokens', '--requests', '--cost']},
	{args: ['limits', 'remove', '1'], where: 'limits remove', usage: '$ cliproxy-usage limits remove ID\n', flags: []},
	{args: ['limits', 'reset', '1'], where: 'limits reset', usage: '$ cliproxy-usage limits reset ID [--json]\n', flags: []},
	{args: ['prices'], where: 'prices', usage: '$ cliproxy-usage prices update [--json]', flags: []},
	{args: ['prices', 'show', 'gpt-5'], where: 'prices show', usage: '$ cliproxy-usage prices [show] [MODEL] [--provider P] [--json]\n', flags: ['--provider']},
	{args: ['prices', 'update'], where: 'prices update', usage: '$ cliproxy-usage prices update [--json]\n', flags: []},
	{args: ['prices', 'set', 'glm-4.6', '--input', '1', '--output', '2'], where: 'prices set', usage: '$ cliproxy-usage prices set MODEL --input USD', flags: ['--input', '--output', '--cache-read', '--cache-write']},
	{args: ['prices', 'unset', 'glm-4.6'], where: 'prices unset', usage: '$ cliproxy-usage prices unset MODEL\n', flags: []},
	{args: ['prices', 'reprice', '--since', '2026-11-01'], where: 'prices reprice', usage: '$ cliproxy-usage prices reprice --since YYYY-MM-DD', flags: ['--since', '--until']},
	{args: ['accounts'], where: 'accounts', usage: '$ cliproxy-usage accounts [--period today|yesterday|7d|30d] [--json]', flags: ['--period']},
];

type World = {dir: string; env: Record<string, string>; cpa: CpaStandIn; feeds: PriceFeeds; fingerprint: () => string};

/** A database with three limits and some usage, a CPA stand-in and the price feeds, all watched for any change. */
async function world(): Promise<World> {
	const dir = tempDir();
	const dbPath = join(dir, 'data', 'collector.db');
	const db = openDatabase(dbPath);
	const limits = new LimitsService(db, {kind: 'iana', name: 'UTC'}, new EventBus(), Date.now);
	for (const pattern of ['claude', 'gpt-5*', 'gemini']) limits.add({provider: 'P', tier_name: 'T', model_pattern: pattern, strategy: 'daily', request_limit: 100});
	limits.dispose();
	db.close();
	const cpa = await startStandIn({generation: 'v7'});
	cpa.enqueue(v7Record({at: Date.now() - 60_000, model: 'claude-sonnet-4-5', input: 1000, output: 100}));
	const feeds = await new PriceFeeds().start();
	onCleanup(() => feeds.close());
	const env = {DB_PATH: dbPath, TIMEZONE: 'UTC', CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', PRICES_AUTO_UPDATE: 'false', COLLECTOR_TRIGGER_PORT: '0', ...feeds.urls};
	const fingerprint = () =>
		[dbPath, `${dbPath}-wal`, join(dir, 'copy.db')]
			.map(f => (existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : '-'))
			.concat(String(cpa.log.length), String(feeds.hits.length))
			.join(' ');
	return {dir, env, cpa, feeds, fingerprint};
}

describe('--help and -h', () => {
	it.each(CASES)('$args: prints the help and does nothing else', async ({args, usage}) => {
		const w = await world();
		const before = w.fingerprint();
		const variants = [
			[...args, '--help'],
			[...args, '-h'],
			args.length > 1 ? [args[0]!, '--help', ...args.slice(1)] : ['-h', ...args],
		];
		const helps = new Set<string>();
		const results = await Promise.all(variants.map(argv => runCli(argv, w.env, w.dir)));
		for (const [i, result] of results.entries()) {
			const argv = variants[i]!;
			expect(result.stderr, argv.join(' ')).toBe('');
			expect(result.code, argv.join(' ')).toBe(0);
			expect(result.stdout, argv.join(' ')).toContain(usage);
			expect(result.stdout).toContain('Examples');
			helps.add(result.stdout);
		}
		expect(helps.size).toBe(1);
		expect(w.fingerprint()).toBe(before);
		expect(w.cpa.log).toEqual([]);
	});
});

describe('bad flags', () => {
	it.each(CASES)('$args: an unknown flag, and each flag without its value, is one line and exit 2', async ({args, where, flags}) => {
		const w = await world();
		const before = w.fingerprint();
		const see = `see cliproxy-usage ${where ? `${where} ` : ''}--help\n`;
		const unknown = await runCli([...args, '--frobnicate'], w.env, w.dir);
		expect(unknown).toEqual({code: 2, stdout: '', stderr: `cliproxy-usage: ${where ? `${where}: ` : ''}unknown flag --frobnicate; ${see}`});
		expect((await runCli([...args, '-x'], w.env, w.dir)).stderr).toBe(`cliproxy-usage: ${where ? `${where}: ` : ''}unknown flag -x; ${see}`);
		// A value-taking flag at the end, before another flag, or given as --flag=.
		const missing: Array<[string[], string]> = [...[...flags, '--db'].map(f => [[...args, f], f] as [string[], string]), [[...args, '--db', '--json'], '--db'], [[...args, '--db='], '--db']];
		const results = await Promise.all(missing.map(([argv]) => runCli(argv, w.env, w.dir)));
		for (const [i, [argv, flag]] of missing.entries()) {
			const result = results[i]!;
			expect(result.code, argv.join(' ')).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr, argv.join(' ')).toMatch(new RegExp(`^cliproxy-usage: (${where}: )?${flag} needs a value, such as ${flag} \\S+; see cliproxy-usage .*--help\\n$`));
		}
		expect(w.fingerprint()).toBe(before);
	});

	it('report daily --since with no value used to be ignored (exit 0)', async () => {
		const w = await world();
		expect(await runCli(['report', 'daily', '--since'], w.env, w.dir)).toEqual({
			code: 2,
			stdout: '',
			stderr: 'cliproxy-usage: report daily: --since needs a value, such as --since 2026-11-01; see cliproxy-usage report daily --help\n',
		});
	});

	it('a value flag given twice is one line, not a stack trace', async () => {
		const w = await world();
		expect(await runCli(['report', 'daily', '--since', '2026-11-01', '--since=2026-11-02'], w.env, w.dir)).toEqual({
			code: 2,
			stdout: '',
			stderr: 'cliproxy-usage: report daily: --since is given more than once; give it once; see cliproxy-usage report daily --help\n',
		});
		expect((await runCli(['--db', 'a.db', '--once', '--db', 'b.db'], w.env, w.dir)).stderr).toBe('cliproxy-usage: --db is given more than once; give it once; see cliproxy-usage --help\n');
	});

	it('settings flags may come before the command', async () => {
		const w = await world();
		const result = await runCli(['--timezone', 'Europe/Berlin', 'report', 'models', '--json'], w.env, w.dir);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual([]);
		// A flag's value that happens to be a command's name is still the value.
		const odd = await runCli(['--db', 'limits', '--timezone', 'UTC', 'limits', 'list', '--json'], {...w.env, DB_PATH: ''}, w.dir);
		expect(odd.stderr).toBe('');
		expect(JSON.parse(odd.stdout)).toEqual([]);
	});
});

/** The `$ …` lines of a help text's Examples section, continuation lines joined. */
function examplesOf(help: string): string[] {
	const section = help.split(/\n\s*Examples\n/)[1] ?? '';
	return section
		.replace(/\\\n\s*/g, '')
		.split('\n')
		.map(l => l.trim())
		.filter(l => l.startsWith('$ '))
		.map(l => l.slice(2));
}

describe('the examples in every help text', () => {
	it('run as written (exit 0), in a prepared directory', async () => {
		const w = await world();
		// `cliproxy-usage` on PATH, as `npm link` puts it.
		const bin = join(w.dir, 'bin');
		mkdirSync(bin);
		writeFileSync(join(bin, 'cliproxy-usage'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
		chmodSync(join(bin, 'cliproxy-usage'), 0o755);
		const detail = v6Detail({at: Date.now() - 3_600_000, input: 100, output: 10});
		const usage = {total_requests: 1, apis: {'POST /v1/messages': {total_requests: 1, models: {'claude-sonnet-4-5': {total_requests: 1, details: [detail]}}}}};
		writeFileSync(join(w.dir, 'usage-export.json'), JSON.stringify({version: 1, exported_at: goTime(Date.now()), usage}));

		const seen = new Set<string>();
		const examples: string[] = [];
		for (const {args} of CASES) {
			const help = await runCli([...args, '--help'], w.env, w.dir);
			for (const e of examplesOf(help.stdout)) if (!seen.has(e) && seen.add(e)) examples.push(e);
		}
		expect(examples.length).toBeGreaterThan(35);
		// Long-running modes (the dashboard, --headless) and pipelines from other programs are not run here.
		const runnable = examples.filter(e => /^(\w+=\S+ )*cliproxy-usage\b/.test(e) && !/--headless|--compact|^cliproxy-usage$/.test(e));
		expect(runnable.length).toBeGreaterThan(30);
		for (const example of runnable) {
			// Asynchronously: the CPA stand-in and the price feeds answer from this process.
			const result = await new Promise<{code: number; stderr: string}>(resolve =>
				execFile('sh', ['-c', example], {cwd: w.dir, env: {PATH: `${bin}:${process.env['PATH']}`, ...w.env}, timeout: 20_000}, (error, _stdout, stderr) =>
					resolve({code: error ? Number(error.code ?? 1) : 0, stderr}),
				),
			);
			expect({example, ...result, stderr: result.code === 0 ? '' : result.stderr}).toEqual({example, code: 0, stderr: ''});
		}
	}, 180_000);
});
