import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v6Detail, v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';

describe('cliproxy-usage --once', () => {
	it('--json: one pass, exact totals, exit 0', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const now = Date.now();
		let tokens = 0;
		for (let i = 0; i < 37; i++) {
			const r = v7Record({at: now - 60_000 + i, input: 1000 + i, output: 50, failed: i % 10 === 0});
			tokens += (r['tokens'] as {total_tokens: number}).total_tokens;
			cpa.enqueue(r);
		}
		const dir = tempDir();
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'};
		const result = await runCli(['--once', '--json'], env, dir);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const out = JSON.parse(result.stdout);
		expect(out).toMatchObject({
			ok: true,
			error: null,
			source: {url: cpa.url, mode: 'auto', backend: 'queue', cpa_version: '7.2.140', usage_statistics_enabled: true},
			collected: {received: 37, inserted: 37, duplicates: 0, skipped: 0},
			today: {date: new Date(now).toISOString().slice(0, 10), zone: 'UTC', requests: 37, success: 33, failed: 4, tokens},
			warnings: [],
		});
		const again = JSON.parse((await runCli(['--once', '--json'], env, dir)).stdout);
		expect(again.collected.inserted).toBe(0);
		expect(again.today.requests).toBe(37);
	});

	it('prints a readable summary, reading settings from .env', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		cpa.record('POST /v1/chat/completions', 'gpt-4o', v6Detail({at: Date.now() - 1000, input: 1500, output: 500}));
		const dir = tempDir();
		writeFileSync(join(dir, '.env'), `# settings\nCLIPROXY_URL=${cpa.url}\nCLIPROXY_MANAGEMENT_KEY="test-management-key"\nDB_PATH=./state/c.db\nTIMEZONE=UTC\n`);
		const result = await runCli(['--once'], {}, dir);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`CPA ${cpa.url} · 6.9.49 · legacy (auto: CPA 6.9.49 predates v6.10, so it keeps cumulative /usage)`);
		expect(result.stdout).toContain('Collected 1 new request (0 already stored, 0 malformed skipped)');
		expect(result.stdout).toMatch(/Today \d{4}-\d\d-\d\d \(UTC\): 1 requests, 2k tokens/);
	});

	it('prices what it collects and says plainly how many requests are at estimated prices', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const now = Date.now();
		// 100,000 input tokens of Claude Sonnet 4.5 at $3 per 1M, and one unknown model at _default ($0.15 per 1M)
		cpa.enqueue(v7Record({at: now - 2000, input: 100_000, output: 0}), v7Record({at: now - 1000, model: 'glm-99', alias: 'glm-99', provider: 'openai-compatibility', input: 100_000, output: 0}));
		const dir = tempDir();
		const env = {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), TIMEZONE: 'UTC'};
		const result = await runCli(['--once'], env, dir);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('2 requests, 200k tokens, ~$0.32; ~ 1 request with estimated costs (cliproxy-usage prices show says why)');
		expect(result.stderr).toContain('warn: no price known for a model: priced at _default and flagged estimated (model=glm-99');
		cpa.enqueue(v7Record({at: now - 500, model: 'glm-99', alias: 'glm-99', provider: 'openai-compatibility', input: 10, output: 0}));
		const json = JSON.parse((await runCli(['--once', '--json'], env, dir)).stdout);
		expect(json.today).toMatchObject({requests: 3, estimated_requests: 2});
		expect(json.today.cost_usd).toBeCloseTo(0.3150015, 5); // daily totals keep micro-dollars
	});

	it('exits 1 with one clear line when CPA is unreachable', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const url = cpa.url;
		await cpa.close();
		const dir = tempDir();
		const result = await runCli(['--once'], {CLIPROXY_URL: url, CLIPROXY_MANAGEMENT_KEY: 'k', DB_PATH: join(dir, 'c.db')}, dir);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`cliproxy-usage: Cannot reach CPA at ${url}: connection refused. Is CLIProxyAPI running, and is CLIPROXY_URL right?\n`);
	});

	it('exits 1 when CPA refuses the key, without ever printing it', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'right'});
		const dir = tempDir();
		const result = await runCli(['--once', '--json'], {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'wrong-key-value', DB_PATH: join(dir, 'c.db'), LOG_LEVEL: 'debug'}, dir);
		expect(result.code).toBe(1);
		expect(JSON.parse(result.stdout)).toMatchObject({ok: false});
		expect(result.stderr).toContain('cliproxy-usage: CPA rejected the management key ("invalid management key")');
		expect(result.stdout + result.stderr).not.toContain('wrong-key-value');
		expect(cpa.log).toHaveLength(1);
	});

	it.each([
		[['--once'], {COLLECTOR_SOURCE: 'kafka'}, 'cliproxy-usage: COLLECTOR_SOURCE must be one of auto, queue, resp, legacy (got "kafka")'],
		[['--once', '--interval', 'often'], {}, 'cliproxy-usage: --interval must be a whole number of seconds from 1 to 86400 (got "often")'],
		[['--once'], {TIMEZONE: 'Nowhere/Land'}, 'cliproxy-usage: TIMEZONE is not a known IANA time zone'],
		[['--once', '--dotenv', 'missing.env'], {}, 'cliproxy-usage: --dotenv names'],
		[['--once', '--headless'], {}, 'cliproxy-usage: --headless and --once cannot be combined'],
		[['frobnicate'], {}, 'cliproxy-usage: unknown command "frobnicate"'],
	])('exits 2 on bad usage: %j %j', async (args, env, message) => {
		const dir = tempDir();
		const result = await runCli(args, {DB_PATH: join(dir, 'c.db'), ...env}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr.startsWith(message)).toBe(true);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('exits 2 on an unknown flag', async () => {
		const dir = tempDir();
		const result = await runCli(['--once', '--frobnicate'], {}, dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('cliproxy-usage: unknown flag --frobnicate; see cliproxy-usage --help\n');
	});
});
