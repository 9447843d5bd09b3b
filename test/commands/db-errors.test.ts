import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/collector/event-bus.js';
import {LimitsService} from '../../source/limits/limits-service.js';
import {openDatabase} from '../../source/store/database.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {cliCommand, runCli} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {TmuxPane} from '../support/tmux.js';
import {skipWithout, titled} from '../support/tools.js';

/**
 * Every way the database cannot be opened or written, and every bad COLLECTOR_HOST, is one
 * line on stderr with the path (or the setting) and the fix, exit 1 or 2: never a stack trace.
 */
const EXPORT = JSON.stringify({version: 1, exported_at: '2026-11-20T10:00:00Z', usage: {total_requests: 0, apis: {}}});

const WRITERS: string[][] = [
	['--once'],
	['--headless'],
	['limits', 'list'],
	['limits', 'add', '--provider', 'A', '--tier', 'B', '--pattern', 'claude', '--tokens', '1M', '--strategy', 'daily'],
	['prices', 'set', 'glm-4.6', '--input', '1', '--output', '2'],
	['import', 'export.json'],
	['db', 'vacuum'],
	['db', 'prune', '--older-than', '30'],
];
const READERS: string[][] = [['report', 'daily'], ['report', 'models'], ['db', 'stats'], ['db', 'backup', 'copy.db']];

/** A database made by this process, with limits, and the files the commands need. */
function place(): {dir: string; data: string; dbPath: string; env: Record<string, string>} {
	const dir = tempDir();
	const data = join(dir, 'data');
	const dbPath = join(data, 'collector.db');
	const db = openDatabase(dbPath);
	new LimitsService(db, {kind: 'iana', name: 'UTC'}, new EventBus(), Date.now).add({provider: 'A', tier_name: 'B', model_pattern: 'claude', strategy: 'daily', request_limit: 10});
	db.close();
	writeFileSync(join(dir, 'export.json'), EXPORT);
	return {dir, data, dbPath, env: {DB_PATH: dbPath, TIMEZONE: 'UTC', CLIPROXY_URL: 'http://127.0.0.1:9', CLIPROXY_MANAGEMENT_KEY: 'test-management-key', COLLECTOR_TRIGGER_PORT: '0', PRICES_AUTO_UPDATE: 'false'}};
}

function expectOneLine(result: {code: number | null; stderr: string}, code: number, pattern: RegExp, what: string): void {
	expect(result.stderr, what).toMatch(pattern);
	expect(result.stderr.trimEnd().split('\n'), what).toHaveLength(1);
	expect(result.stderr, what).not.toMatch(/\n\s+at |SqliteError|unexpected failure/);
	expect(result.code, what).toBe(code);
}

describe('a database that cannot be opened or written', () => {
	it('DB_PATH a directory: every command says so and exits 2', async () => {
		const {dir, env} = place();
		const folder = join(dir, 'dbdir');
		mkdirSync(folder);
		const results = await Promise.all([...WRITERS, ...READERS].map(args => runCli(args, {...env, DB_PATH: folder}, dir)));
		for (const [i, result] of results.entries()) {
			const args = [...WRITERS, ...READERS][i]!.join(' ');
			expectOneLine(result, 2, new RegExp(`^cliproxy-usage: DB_PATH \\(or --db\\) names a directory, ${folder}: point it at a file, such as ${folder}/collector.db\\.\\n$`), args);
		}
	});

	it('a read-only file: the writers say so and exit 1; reports and stats still read it', async () => {
		const {dir, data, dbPath, env} = place();
		chmodSync(dbPath, 0o444);
		// The directory stays writable, so SQLite can make its -shm beside the file for the readers.
		const writers = await Promise.all(WRITERS.map(args => runCli(args, env, dir, 15_000, '', true)));
		for (const [i, result] of writers.entries()) {
			expectOneLine(result, 1, new RegExp(`^cliproxy-usage: The database ${dbPath} is read-only for this user \\(SQLITE_READONLY\\): make it writable \\(chmod u\\+w, or run as its owner\\), or set DB_PATH \\(or --db\\) to a writable place, such as \\./data/collector\\.db\\.\\n$`), WRITERS[i]!.join(' '));
		}
		for (const args of READERS.slice(0, 3)) {
			const result = await runCli(args, env, dir, 15_000, '', true);
			expect(result.stderr, args.join(' ')).toBe('');
			expect(result.code, args.join(' ')).toBe(0);
		}
	});

	it('a read-only directory: SQLite cannot keep its -wal and -shm beside the file', async () => {
		const {dir, data, dbPath, env} = place();
		chmodSync(data, 0o555);
		onCleanup(() => chmodSync(data, 0o700));
		const results = await Promise.all([...WRITERS, ...READERS.slice(0, 3)].map(args => runCli(args, env, dir, 15_000, '', true)));
		for (const [i, result] of results.entries()) {
			expectOneLine(result, 1, new RegExp(`^cliproxy-usage: The database ${dbPath} cannot be used: its directory ${data} is not writable for this user, .* Make ${data} writable \\(or run as its owner\\), or set DB_PATH`), [...WRITERS, ...READERS][i]!.join(' '));
		}
	});

	it.skipIf(skipWithout('tmux'))(titled('the dashboard on a read-only file: the line, before any frame, exit 1', 'tmux'), async () => {
		const {dir, dbPath, env} = place();
		chmodSync(dbPath, 0o444);
		const command = cliCommand([], true).map(a => `'${a}'`).join(' ');
		const pane = TmuxPane.start(100, 30, `cd ${dir} && ${command}; echo EXIT=$?; sleep 30`, {...env, TERM: 'xterm-256color'});
		const screen = await waitFor(() => (pane.capture().includes('EXIT=') ? pane.capture() : false), 15_000, 'the dashboard to exit');
		expect(screen.replace(/\n/g, '')).toContain(`cliproxy-usage: The database ${dbPath} is read-only for this user (SQLITE_READONLY)`);
		expect(screen).toContain('EXIT=1');
		expect(screen).not.toMatch(/ at |SqliteError|╭/);
	});

	it.each([
		['/sys/x/y.db', 'directory /sys/x'],
		['/proc/x.db', '/proc/x.db'],
	])('%s: cannot be created, said in one line; the readers say there is no database', async (path, what) => {
		const dir = tempDir();
		for (const args of [['--once'], ['limits', 'list'], ['prices', 'set', 'm', '--input', '1', '--output', '1']]) {
			const result = await runCli(args, {DB_PATH: path, CLIPROXY_MANAGEMENT_KEY: 'k', CLIPROXY_URL: 'http://127.0.0.1:9'}, dir);
			expectOneLine(result, 1, new RegExp(`^cliproxy-usage: Cannot create the database ${what} \\(E[A-Z]+: [^)]+\\): fix its permissions, or set DB_PATH \\(or --db\\) to a writable place`), `${path} ${args.join(' ')}`);
		}
		for (const args of [['report', 'daily'], ['db', 'stats']]) {
			const result = await runCli(args, {DB_PATH: path}, dir);
			expectOneLine(result, 1, new RegExp(`^cliproxy-usage: No database at ${path}\\. Run the collector first, or set DB_PATH \\(or --db\\) to where it is\\.\\n$`), `${path} ${args.join(' ')}`);
		}
	});
});

describe('COLLECTOR_HOST', () => {
	it.each(['[::1]', '::1'])('%s: the HTTP API listens on IPv6 loopback', async host => {
		const cpa = await startStandIn({generation: 'v7'});
		const headless = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', COLLECTOR_HOST: host, PRICES_AUTO_UPDATE: 'false'});
		expect(headless.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
		const health = await fetch(`${headless.url}/api/collector/health`);
		expect(health.status).toBe(200);
		expect(await health.json()).toMatchObject({status: 'healthy'});
		expect(headless.stderr()).toBe('');
	});

	it('an address this machine does not have: one line naming COLLECTOR_HOST, exit 1 (binding fails locally; nothing is sent)', async () => {
		const {dir, env} = place();
		const result = await runCli(['--headless'], {...env, COLLECTOR_HOST: '192.0.2.1', COLLECTOR_API_TOKEN: 'tok-0123456789abcdef0123'}, dir);
		expectOneLine(result, 1, /^cliproxy-usage: cannot listen on 192\.0\.2\.1:0 \(EADDRNOTAVAIL: not an address of this machine\): set COLLECTOR_HOST to one of its addresses, such as 127\.0\.0\.1\n$/, 'headless');
	});

	it.each([
		['http://127.0.0.1', 'COLLECTOR_HOST'],
		['127.0.0.1:5001', 'COLLECTOR_HOST'],
		['[::1', 'COLLECTOR_HOST'],
	])('%s: refused in one line naming the setting, exit 2', async (host, field) => {
		const {dir, env} = place();
		for (const args of [['--headless'], ['--once']]) {
			const result = await runCli(args, {...env, COLLECTOR_HOST: host}, dir);
			expectOneLine(result, 2, new RegExp(`^cliproxy-usage: ${field} must be an IP address or a host name to listen on, such as 127\\.0\\.0\\.1, ::1 or 0\\.0\\.0\\.0, without a port \\(got "${host.replace(/[[.]/g, '\\$&')}"\\)`), `${host} ${args}`);
		}
		const flag = await runCli(['--headless', '--host', host], env, dir);
		expectOneLine(flag, 2, /^cliproxy-usage: --host must be an IP address/, `--host ${host}`);
	});
});
