import {closeSync, existsSync, openSync, writeFileSync, writeSync} from 'node:fs';
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {CpaStandIn} from '../support/cpa-stand-in.js';
import {goTime, v6Detail} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {CLI, runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';

const DAY = 86_400_000;
const CLIENT = 'sk-client-secret-0123456789';

/** Traffic over the last ten days on two endpoints and a client key, recorded as CPA v6 does. */
function traffic(cpa: CpaStandIn, count: number): number {
	const now = Date.now();
	let tokens = 0;
	for (let i = 0; i < count; i++) {
		const api = ['POST /v1/chat/completions', 'POST /v1/messages', CLIENT][i % 3]!;
		const model = ['gpt-5-codex', 'claude-sonnet-4-5', 'gemini-2.5-pro'][i % 3]!;
		const d = v6Detail({at: now - 10 * DAY + i * 611_113, nanos: (i % 997) * 1000, input: 200 + i, output: 30, failed: i % 17 === 0, offsetMinutes: 420});
		tokens += d.tokens.total_tokens;
		cpa.record(api, model, d);
	}
	return tokens;
}

/** CPA v6's `GET /usage/export` body for the stand-in's statistics. */
function exportOf(cpa: CpaStandIn): string {
	return JSON.stringify({version: 1, exported_at: goTime(Date.now()), usage: cpa.usageSnapshot()['usage']});
}

function totals(file: string) {
	const db = new Database(file, {readonly: true});
	try {
		return db
			.prepare(
				`SELECT (SELECT count(*) FROM requests) AS requests, (SELECT sum(total_tokens) FROM requests) AS tokens,
					(SELECT sum(requests) FROM usage_1d) AS daily, (SELECT sum(requests) FROM usage_1h) AS hourly`,
			)
			.get();
	} finally {
		db.close();
	}
}

describe('cliproxy-usage import', () => {
	it('merges a v6 export; importing it twice adds nothing and changes no total', async () => {
		const cpa = new CpaStandIn({generation: 'v6'});
		const tokens = traffic(cpa, 240);
		const dir = tempDir();
		const file = join(dir, 'usage-export.json');
		writeFileSync(file, exportOf(cpa));
		const env = {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'Asia/Ho_Chi_Minh'};

		const first = await runCli(['import', file, '--json'], env, dir);
		expect(first.code, first.stderr).toBe(0);
		expect(JSON.parse(first.stdout)).toMatchObject({file, kind: 'export', added: 240, already_present: 0, malformed_skipped: 0, counter_only_not_imported: 0, zone: 'Asia/Ho_Chi_Minh'});
		const after = totals(env.DB_PATH);
		expect(after).toEqual({requests: 240, tokens, daily: 240, hourly: 240});

		const again = await runCli(['import', file], env, dir);
		expect(again.code).toBe(0);
		expect(again.stdout).toContain('0 added, 240 already present, 0 malformed skipped');
		expect(totals(env.DB_PATH)).toEqual(after);

		const report = JSON.parse((await runCli(['report', 'daily', '--json'], env, dir)).stdout) as Array<{total_requests: number; total_tokens: number; breakdown: {endpoints: Record<string, unknown>}}>;
		expect(report.reduce((s, d) => s + d.total_requests, 0)).toBe(240);
		expect(report.reduce((s, d) => s + d.total_tokens, 0)).toBe(tokens);
		expect(Object.keys(Object.assign({}, ...report.map(d => d.breakdown.endpoints))).sort()).toEqual(['POST /v1/chat/completions', 'POST /v1/messages', 'sk-…6789']);
		const db = new Database(env.DB_PATH, {readonly: true});
		expect(db.prepare("SELECT count(*) n FROM requests_full WHERE origin = 'import'").get()).toEqual({n: 240});
		db.close();
	});

	it('reads a file longer than the longest string V8 can make (512 MiB), a piece at a time', async () => {
		const dir = tempDir();
		const file = join(dir, 'big-export.json');
		const at = Date.parse('2026-11-20T10:00:00Z');
		const fd = openSync(file, 'w');
		// CPA pretty-prints nothing, but JSON allows any whitespace: 560 MiB of it, between real details.
		const pad = Buffer.alloc(8 << 20, 0x20);
		writeSync(fd, `{"version":1,"exported_at":"2026-11-20T11:00:00Z","usage":{"apis":{"POST /v1/messages":{"models":{"claude-sonnet-4-5":{"total_requests":3,"details":[`);
		for (let i = 0; i < 3; i++) {
			for (let j = 0; j < 23; j++) writeSync(fd, pad);
			writeSync(fd, `${i > 0 ? ',' : ''}${JSON.stringify(v6Detail({at: at + i * 1000, input: 100 + i, output: 10}))}`);
		}
		writeSync(fd, ']}}}}}}');
		closeSync(fd);
		const result = await runCli(['import', file, '--json'], {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'}, dir, 120_000);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({added: 3, already_present: 0, malformed_skipped: 0, counter_only_not_imported: 0, first_date: '2026-11-20'});
		expect(totals(join(dir, 'c.db'))).toEqual({requests: 3, tokens: 333, daily: 3, hourly: 3});
	}, 180_000);

	it('commits every 5,000 requests: stopped midway, what landed is whole, and a re-run adds the rest', async () => {
		const dir = tempDir();
		const file = join(dir, 'export.json');
		const db = join(dir, 'c.db');
		const at = Date.parse('2026-11-01T00:00:00Z');
		const details = Array.from({length: 60_000}, (_, i) => v6Detail({at: at + i * 10_000, input: 100, output: 10}));
		writeFileSync(file, JSON.stringify({version: 1, usage: {apis: {'POST /v1/messages': {models: {'claude-sonnet-4-5': {total_requests: details.length, details}}}}}}));
		const child = spawn(process.execPath, [CLI, 'import', file], {cwd: dir, env: {PATH: process.env['PATH'] ?? '', DB_PATH: db, TIMEZONE: 'UTC'}});
		const exited = new Promise(resolve => child.on('exit', resolve));
		const landed = () => {
			try {
				return (totals(db) as {requests: number}).requests;
			} catch {
				return 0; // not created, or not migrated yet
			}
		};
		while (landed() < 5000 && child.exitCode === null) await new Promise(r => setTimeout(r, 5));
		child.kill('SIGKILL');
		await exited;
		const partial = totals(db) as {requests: number; tokens: number; daily: number; hourly: number};
		expect(partial.requests % 5000).toBe(0);
		expect(partial.requests).toBeLessThan(60_000);
		expect(partial).toEqual({requests: partial.requests, tokens: partial.requests * 110, daily: partial.requests, hourly: partial.requests});

		const rerun = await runCli(['import', file, '--json'], {DB_PATH: db, TIMEZONE: 'UTC'}, dir, 60_000);
		expect(rerun.code, rerun.stderr).toBe(0);
		expect(JSON.parse(rerun.stdout)).toMatchObject({added: 60_000 - partial.requests, already_present: partial.requests});
		expect(totals(db)).toEqual({requests: 60_000, tokens: 6_600_000, daily: 60_000, hourly: 60_000});
	}, 120_000);

	it('adds nothing for requests the collector already took from /usage, and reads standard input', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		traffic(cpa, 60);
		const dir = tempDir();
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'};
		expect((await runCli(['--once'], env, dir)).code).toBe(0);
		const collected = totals(env.DB_PATH);

		const raw = JSON.stringify(cpa.usageSnapshot());
		const fromStdin = await runCli(['import', '-'], env, dir, 15_000, raw);
		expect(fromStdin.code, fromStdin.stderr).toBe(0);
		expect(fromStdin.stdout).toContain('Imported standard input (CPA /usage answer)');
		expect(fromStdin.stdout).toContain('0 added, 60 already present');
		expect(totals(env.DB_PATH)).toEqual(collected);

		traffic(cpa, 9); // nine more, not collected yet
		const exported = await runCli(['import', '-', '--json'], env, dir, 15_000, exportOf(cpa));
		expect(JSON.parse(exported.stdout)).toMatchObject({file: '-', kind: 'export', added: 9, already_present: 60});
		expect((await runCli(['--once', '--json'], env, dir)).stdout).toContain('"inserted": 0');
	});

	it('--instance: an export of the second CPA is keyed as that CPA\'s, so what was collected from it is already present', async () => {
		const team = await startStandIn({generation: 'v6'});
		const lab = await startStandIn({generation: 'v6'});
		traffic(team, 12);
		for (let i = 0; i < 21; i++) lab.record('POST /v1/messages', 'claude-opus-4-1', v6Detail({at: Date.now() - DAY + i * 60_000, input: 5000 + i, output: 70}));
		const dir = tempDir();
		const env = {CLIPROXY_URL: `team=${team.url},lab=${lab.url}`, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'};
		expect((await runCli(['--once'], env, dir)).code).toBe(0);
		expect(totals(env.DB_PATH)).toMatchObject({requests: 33});

		const asLab = await runCli(['import', '-', '--json', '--instance', 'lab'], env, dir, 15_000, exportOf(lab));
		expect(asLab.code, asLab.stderr).toBe(0);
		expect(JSON.parse(asLab.stdout)).toMatchObject({added: 0, already_present: 21});
		// The same file as the first CPA's: requests that CPA never served, so they are new to it.
		const asTeam = await runCli(['import', '-', '--json'], env, dir, 15_000, exportOf(lab));
		expect(JSON.parse(asTeam.stdout)).toMatchObject({added: 21, already_present: 0});
		expect(totals(env.DB_PATH)).toMatchObject({requests: 54});

		const wrong = await runCli(['import', '-', '--instance', 'nope'], env, dir, 15_000, exportOf(lab));
		expect(wrong.code).toBe(2);
		expect(wrong.stderr).toBe('cliproxy-usage: --instance must name a CPA in CLIPROXY_URL (team, lab); got "nope".\n');
	});

	it('reports malformed requests and counter-only requests, and imports the rest', async () => {
		const dir = tempDir();
		const file = join(dir, 'export.json');
		const at = Date.parse('2026-11-20T10:00:00Z');
		const usage = {
			total_requests: 9,
			apis: {
				[CLIENT]: {models: {'gpt-5': {total_requests: 6, total_tokens: 100, details: [v6Detail({at}), v6Detail({at: at + 1}), {timestamp: 'soon', tokens: {}}]}}},
				'POST /v1/messages': {models: {'claude-x': {total_requests: 3, total_tokens: 90, details: null}}},
			},
		};
		writeFileSync(file, JSON.stringify({version: 1, exported_at: '2026-11-20T11:00:00Z', usage}));
		const result = await runCli(['import', file], {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'}, dir);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(
			[
				`Imported ${file} (CPA usage export of 2026-11-20T11:00:00Z) into ${join(dir, 'c.db')}`,
				'  2 added, 0 already present, 1 malformed skipped',
				'  requests from 2026-11-20 to 2026-11-20 (UTC)',
				'  6 requests only counted by CPA, with no per-request detail: they cannot be placed in time, so they were not imported',
				'',
			].join('\n'),
		);
		expect(result.stderr).toBe('warning: skipped a malformed request: sk-…6789 gpt-5 details[2].timestamp: not an RFC 3339 timestamp: "soon"\n');
		expect(result.stdout + result.stderr).not.toContain('secret');
	});

	it.each([
		['{"usage": {"apis": {"sk-live-verysecret-00001234": {"models": {"m": {"details": 7}}}}}}', 'is not a usage export: usage.apis[sk-…1234].models[m].details: expected an array; nothing was imported.'],
		['{"version": 2, "usage": {}}', 'is not a usage export: version: unsupported export version 2: this reads CPA\'s version 1 exports; nothing was imported.'],
		['{"requests": []}', 'is not a usage export: usage: missing: expected a CPA usage export'],
		['{"sk-live-verysecret-00001234": oops}', 'is not valid JSON (expected a value, within bytes 0–37); nothing was imported.'],
		['{"usage": {"apis": {}', "is not valid JSON (it ends early: expected ','); nothing was imported."],
		['', 'is not valid JSON (it ends early: expected a value); nothing was imported.'],
	])('a malformed file writes nothing and exits 1: %s', async (text, message) => {
		const dir = tempDir();
		const file = join(dir, 'bad.json');
		writeFileSync(file, text);
		const db = join(dir, 'c.db');
		const result = await runCli(['import', file], {DB_PATH: db}, dir);
		expect(result.code).toBe(1);
		expect(result.stderr.startsWith(`cliproxy-usage: ${file} ${message}`)).toBe(true);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).not.toContain('verysecret');
		expect(existsSync(db)).toBe(false);
	});

	it('says what is wrong with the arguments or the file', async () => {
		const dir = tempDir();
		const none = await runCli(['import'], {}, dir);
		expect(none.code).toBe(2);
		expect(none.stderr).toBe('cliproxy-usage: import needs a FILE: a CPA usage export, or - for standard input (see cliproxy-usage import --help).\n');
		const missing = await runCli(['import', 'nope.json'], {}, dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toBe(`cliproxy-usage: Cannot read ${join(dir, 'nope.json')}: no such file.\n`);
		const help = await runCli(['import', '--help'], {}, dir);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('$ cliproxy-usage import usage-export.json');
	});
});
