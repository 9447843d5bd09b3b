import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';

describe('cliproxy-usage --once with several CPAs', () => {
	it('collects from each, reports each one and the sum, and exits 1 when one of them failed', async () => {
		const team = await startStandIn({generation: 'v7', managementKey: 'team-secret-0001'});
		const laptop = await startStandIn({generation: 'v7'});
		const now = Date.now();
		for (let i = 0; i < 6; i++) team.enqueue(v7Record({at: now - 60_000 + i, input: 100 + i}));
		for (let i = 0; i < 4; i++) laptop.enqueue(v7Record({at: now - 60_000 + i, input: 100 + i}));
		const dir = tempDir();
		const env = {
			CLIPROXY_URL: `team=${team.url},laptop=${laptop.url}`,
			CLIPROXY_MANAGEMENT_KEY: 'test-management-key',
			CLIPROXY_MANAGEMENT_KEY_TEAM: 'team-secret-0001',
			DB_PATH: join(dir, 'c.db'),
			TIMEZONE: 'UTC',
		};
		const result = await runCli(['--once', '--json'], env, dir);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const out = JSON.parse(result.stdout);
		expect(out).toMatchObject({ok: true, collected: {inserted: 10}, today: {requests: 10}});
		expect(out.instances).toEqual([
			{name: 'team', url: team.url, ok: true, error: null, backend: 'queue', cpa_version: '7.2.140', collected: {received: 6, inserted: 6, duplicates: 0, skipped: 0}},
			{name: 'laptop', url: laptop.url, ok: true, error: null, backend: 'queue', cpa_version: '7.2.140', collected: {received: 4, inserted: 4, duplicates: 0, skipped: 0}},
		]);
		expect(result.stdout).not.toContain('team-secret-0001');

		await laptop.close();
		team.enqueue(v7Record({at: now - 1000, input: 7}));
		const text = await runCli(['--once'], env, dir);
		expect(text.code).toBe(1);
		expect(text.stdout).toContain(`CPA team (${team.url}) · 7.2.140 · queue: 1 new, 0 already stored, 0 malformed skipped`);
		expect(text.stdout).toMatch(new RegExp(`CPA laptop \\(${laptop.url.replace(/\./g, '\\.')}\\): failed: `));
		expect(text.stdout).toContain('Today');
		expect(text.stdout).toMatch(/: 11 requests/);
		expect(text.stderr).toMatch(/^cliproxy-usage: laptop: /);
	});

	it.each([
		['a=http://127.0.0.1:1,a=http://127.0.0.1:2', 'CLIPROXY_URL entry "a=http://127.0.0.1:2": the name "a" is used twice; give each CPA its own name (NAME=URL)'],
		['x=http://127.0.0.1:1,y=localhost:8317', 'CLIPROXY_URL must start with http:// or https:// (got "localhost:8317")'],
	])('refuses CLIPROXY_URL=%s with one line naming the entry, exit 2, nothing written', async (url, line) => {
		const dir = tempDir();
		const result = await runCli(['--once'], {CLIPROXY_URL: url, CLIPROXY_MANAGEMENT_KEY: 'k', DB_PATH: join(dir, 'c.db')}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`cliproxy-usage: ${line}. Fix it in the environment, .env or the flag (see .env.example).\n`);
		expect(result.stdout).toBe('');
		expect(existsSync(join(dir, 'c.db'))).toBe(false);
	});
});
