import {spawn} from 'node:child_process';
import {existsSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/core/time/zone.js';
import {seededDb, spreadRecords} from '../support/seed.js';
import {runCli} from '../support/spawn-cli.js';
import {onCleanup, tempDir} from '../support/temp.js';

const WRITE_BURST = fileURLToPath(new URL('../support/write-burst.mjs', import.meta.url));
const DAY = 86_400_000;

/** A child process committing batches through the real writer; `committed()` is its last reported total. */
function writeBurst(file: string) {
	const child = spawn(process.execPath, [WRITE_BURST, file], {stdio: ['ignore', 'pipe', 'pipe']});
	onCleanup(() => child.kill('SIGKILL'));
	let committed = 0;
	let pending = '';
	let stderr = '';
	child.stdout.on('data', chunk => {
		const lines = (pending + String(chunk)).split('\n');
		pending = lines.pop()!;
		if (lines.length > 0) committed = Number(lines.at(-1));
	});
	child.stderr.on('data', chunk => (stderr += chunk));
	return {
		committed: () => committed,
		async reach(n: number) {
			for (let i = 0; i < 600 && committed < n; i++) await new Promise(r => setTimeout(r, 50));
			if (committed < n) throw new Error(`write burst stalled at ${committed}: ${stderr}`);
		},
	};
}

function open(file: string) {
	const db = new Database(file, {readonly: true});
	onCleanup(() => db.close());
	return db;
}

describe('cliproxy-usage db backup', () => {
	it('taken during a write burst, holds every row committed before it began, consistently', async () => {
		const dir = tempDir();
		const live = join(dir, 'collector.db');
		const burst = writeBurst(live);
		await burst.reach(40_000);

		// Reports read while the burst writes (WAL).
		const report = await runCli(['report', 'models', '--json'], {DB_PATH: live}, dir);
		expect(report.code, report.stderr).toBe(0);
		expect((JSON.parse(report.stdout) as Array<{requests: number}>).reduce((s, m) => s + m.requests, 0)).toBeGreaterThanOrEqual(40_000);

		const before = burst.committed();
		const backup = join(dir, 'backups', 'collector-copy.db');
		const result = await runCli(['db', 'backup', backup], {DB_PATH: live}, dir);
		const after = burst.committed();
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`^Backed up ${live} to ${backup}: [\\d.]+ MiB, [\\d,]+ requests at the time of the copy, integrity check ok\\.\\n$`));
		expect(after).toBeGreaterThan(before); // the burst went on while the backup ran

		expect(existsSync(`${backup}-wal`)).toBe(false);
		const copy = open(backup);
		expect(copy.pragma('journal_mode', {simple: true})).toBe('delete');
		expect(copy.pragma('integrity_check', {simple: true})).toBe('ok');
		const n = (copy.prepare('SELECT count(*) n FROM requests').get() as {n: number}).n;
		expect(n).toBeGreaterThanOrEqual(before);
		expect(n % 200).toBe(0); // whole batches only: no transaction half in the copy
		// One snapshot: the rollups written in the same transactions agree with the rows.
		for (const table of ['usage_5m', 'usage_1h', 'usage_1d']) expect(copy.prepare(`SELECT sum(requests) n FROM ${table}`).get(), table).toEqual({n});
		expect(statSync(backup).mode & 0o777).toBe(0o600);
	});

	it('refuses the live database and an existing file unless --force', async () => {
		const {path, db} = seededDb({kind: 'iana', name: 'UTC'});
		db.close();
		const dir = tempDir();
		const onto = await runCli(['db', 'backup', path], {DB_PATH: path}, dir);
		expect(onto.code).toBe(2);
		expect(onto.stderr).toBe(`cliproxy-usage: ${path} is the live database (or one of its files): back up to another path.\n`);
		expect((await runCli(['db', 'backup', `${path}-wal`], {DB_PATH: path}, dir)).code).toBe(2);

		const existing = join(dir, 'old.db');
		writeFileSync(existing, 'keep me');
		const refused = await runCli(['db', 'backup', existing], {DB_PATH: path}, dir);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toBe(`cliproxy-usage: ${existing} already exists: choose another FILE, or pass --force to replace it.\n`);
		expect((await runCli(['db', 'backup', existing, '--force'], {DB_PATH: path}, dir)).code).toBe(0);
		expect(open(existing).pragma('integrity_check', {simple: true})).toBe('ok');

		const missing = await runCli(['db', 'backup', join(dir, 'x.db')], {DB_PATH: join(dir, 'nothing-here.db')}, dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toBe(`cliproxy-usage: No database at ${join(dir, 'nothing-here.db')}. Run the collector first, or set DB_PATH (or --db) to where it is.\n`);
	});
});

describe('cliproxy-usage db stats, prune, vacuum', () => {
	it('prune drops raw rows, leaves every report unchanged, and vacuum returns the space', async () => {
		const zone: Zone = {kind: 'iana', name: 'Asia/Kolkata'};
		const {writer, salt, path, db} = seededDb(zone);
		const now = Date.now();
		const records = spreadRecords(salt, now - 60 * DAY, now - 60_000, 8000);
		for (let i = 0; i < records.length; i += 1000) writer.ingest(records.slice(i, i + 1000), now);
		db.close();
		const dir = tempDir();
		const env = {DB_PATH: path, TIMEZONE: 'Asia/Kolkata'};
		const cli = async (...args: string[]) => {
			const result = await runCli(args, env, dir);
			expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
			return result.stdout;
		};
		const reports = async () => Promise.all([['daily', '--json'], ['weekly', '--csv'], ['monthly', '--json', '--model', 'gpt'], ['models', '--json'], ['models', '--csv', '--since', '2000-01-01'], ['daily']].map(args => cli('report', ...args)));
		const before = await reports();
		const stats = JSON.parse(await cli('db', 'stats', '--json'));
		expect(stats).toMatchObject({file: path, schema_version: expect.any(Number), zone: 'Asia/Kolkata', raw_pruned_before: null, tables: {requests: 8000, counter_deltas: 0}});
		expect(stats.file_bytes).toBeGreaterThan(0);
		expect(Date.parse(stats.requests_first)).toBe(Math.min(...records.map(r => r.timestampMs)));

		const dry = await cli('db', 'prune', '--older-than', '30', '--dry-run');
		const [, planned] = /^Would delete ([\d,]+) request rows/.exec(dry)!;
		expect(JSON.parse(await cli('db', 'stats', '--json')).tables.requests).toBe(8000);

		const pruned = await cli('db', 'prune', '--older-than', '30');
		expect(pruned).toMatch(new RegExp(`^Deleted ${planned} request rows and 0 counter deltas from before \\d{4}-\\d\\d-\\d\\d 00:00 \\(Asia/Kolkata\\)\\. The rollups are kept`));
		const left = JSON.parse(await cli('db', 'stats', '--json'));
		expect(left.tables.requests).toBe(8000 - Number(planned!.replaceAll(',', '')));
		expect(left.tables.requests).toBeLessThan(4500);
		expect(left.raw_pruned_before).not.toBeNull();
		expect(await reports()).toEqual(before);

		const size = () => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
		const beforeVacuum = size();
		expect(await cli('db', 'vacuum')).toMatch(new RegExp(`^Vacuumed ${path}: .+ → .+ \\(file and WAL\\)\\.\\n$`));
		expect(size()).toBeLessThan(beforeVacuum);
		expect(await reports()).toEqual(before);

		const text = await cli('db', 'stats');
		expect(text).toContain(`Database      ${path}`);
		expect(text).toMatch(/Pruned\s+raw rows before \d{4}-\d\d-\d\d \(the rollups keep those days\)/);
		expect(text).toMatch(/│ requests\s+│\s+[\d,]+ │/);
	});

	it.each([
		[['db'], 'cliproxy-usage: db needs a command: backup FILE, stats, vacuum or prune'],
		[['db', 'shrink'], 'cliproxy-usage: db command must be backup, stats, vacuum or prune (got "shrink")'],
		[['db', 'backup'], 'cliproxy-usage: db backup needs exactly one FILE to write'],
		[['db', 'prune'], 'cliproxy-usage: db prune needs --older-than DAYS (at least 7), such as --older-than 90.'],
		[['db', 'prune', '--older-than', '3'], 'cliproxy-usage: --older-than must be a whole number of days, at least 7: rate-limit windows read the last week\'s rows (got "3").'],
		[['db', 'prune', '--older-than', '30d'], 'cliproxy-usage: --older-than must be a whole number of days'],
		[['db', 'stats', '--force'], 'cliproxy-usage: --force applies to db backup, not db stats.'],
		[['db', 'vacuum', 'now'], 'cliproxy-usage: db vacuum takes no arguments; unexpected "now".'],
	])('exits 2 on bad usage: %j', async (args, message) => {
		const result = await runCli(args, {}, tempDir());
		expect(result.code).toBe(2);
		expect(result.stderr.startsWith(message), result.stderr).toBe(true);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('--help shows every command with examples', async () => {
		const result = await runCli(['db', '--help'], {}, tempDir());
		expect(result.code).toBe(0);
		for (const text of ['db backup FILE [--force]', 'db stats [--json]', 'db vacuum', 'db prune --older-than DAYS', '$ cliproxy-usage db prune --older-than 90 --dry-run']) expect(result.stdout).toContain(text);
	});
});
