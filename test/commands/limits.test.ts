import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {runCli} from '../support/spawn-cli.js';
import {tempDir} from '../support/temp.js';

function env(dir: string, extra: Record<string, string> = {}) {
	return {DB_PATH: join(dir, 'c.db'), TIMEZONE: 'Europe/Berlin', ...extra};
}

describe('cliproxy-usage limits', () => {
	it('add, list --json, reset, remove: on usage collected by --once', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const now = Date.now();
		cpa.enqueue(v7Record({at: now - 60_000, model: 'claude-sonnet-4-5-20250929', input: 3000, output: 300}), v7Record({at: now - 30_000, model: 'gpt-5-codex', provider: 'codex', input: 50, output: 5}));
		const dir = tempDir();
		const e = env(dir, {CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key'});
		expect((await runCli(['--once'], e, dir)).code).toBe(0);

		const added = await runCli(['limits', 'add', '--provider', 'Anthropic', '--tier', 'Pro', '--pattern', 'claude', '--tokens', '1.5M', '--requests', '100', '--strategy', 'rolling', '--window-minutes', '300', '--json'], e, dir);
		expect(added.stderr).toBe('');
		expect(added.code).toBe(0);
		const {status, warnings} = JSON.parse(added.stdout);
		expect(warnings).toEqual([]);
		expect(status).toMatchObject({
			config: {id: 1, provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'rolling', window_minutes: 300, token_limit: 1_500_000, request_limit: 100, cost_limit_usd: null},
			usage: {requests: 1, tokens: 3300},
			binding: 'requests',
			label: '1 / 100 requests',
			next_reset: now - 60_000 + 300 * 60_000,
		});

		const weekly = await runCli(['limits', 'add', '--provider', 'OpenAI', '--tier', 'Plus', '--pattern', 'gpt-weekly', '--cost', '$20', '--strategy', 'weekly'], e, dir);
		expect(weekly.code).toBe(0);
		expect(weekly.stdout).toContain('Added limit #2 OpenAI Plus · gpt-weekly (substring): $20.00, weekly');
		expect(weekly.stderr).toBe('warning: model pattern "gpt-weekly" matches no model seen so far; it will count usage once a matching model appears (patterns are case-insensitive substrings, or globs with * and ?)\n');

		const list = await runCli(['limits', 'list', '--json'], e, dir);
		expect(list.code).toBe(0);
		expect(JSON.parse(list.stdout).map((s: {config: {id: number}; label: string}) => [s.config.id, s.label])).toEqual([
			[1, '1 / 100 requests'],
			[2, '$0.00 / $20.00'],
		]);
		const text = await runCli(['limits', 'list'], e, dir);
		expect(text.stdout).toContain('#1 Anthropic Pro · claude (substring) · rolling 5h\n   1 / 100 requests · 1% used, 99% left · 3.3k tokens (0.22%) · oldest usage ages out');
		expect(text.stdout).toMatch(/#2 OpenAI Plus · gpt-weekly \(substring\) · weekly\n {3}\$0\.00 \/ \$20\.00 · 0% used, 100% left · resets \d{4}-\d\d-\d\d 00:00 \(in /);

		const reset = await runCli(['limits', 'reset', '1', '--json'], e, dir);
		expect(reset.code).toBe(0);
		expect(JSON.parse(reset.stdout)).toMatchObject({config: {id: 1}, anchored: true, usage: {requests: 0, tokens: 0}, next_reset: null});

		const removed = await runCli(['limits', 'remove', '2'], e, dir);
		expect(removed).toEqual({code: 0, stdout: 'Removed limit #2 OpenAI Plus · gpt-weekly (substring).\n', stderr: ''});
		expect(JSON.parse((await runCli(['limits', 'list', '--json'], e, dir)).stdout)).toHaveLength(1);
	});

	it('exits 2 with one line naming the flag for every bad value', async () => {
		const dir = tempDir();
		const e = env(dir);
		const base = ['limits', 'add', '--provider', 'A', '--tier', 'B', '--pattern', 'claude'];
		const cases: Array<[string[], string]> = [
			[[...base, '--strategy', 'daily'], 'limits add: give at least one limit: --tokens N, --requests N or --cost USD'],
			[[...base, '--strategy', 'daily', '--tokens', '-5'], 'limits add: --tokens must be a positive whole number such as 800000, 800k or 1.5M (got "-5")'],
			[[...base, '--strategy', 'daily', '--tokens', '1.5'], 'limits add: --tokens must be a positive whole number such as 800000, 800k or 1.5M (got "1.5")'],
			[[...base, '--strategy', 'daily', '--requests', '0'], 'limits add: --requests must be a positive whole number such as 800000, 800k or 1.5M (got "0")'],
			[[...base, '--strategy', 'daily', '--cost', 'ten'], 'limits add: --cost must be a positive amount of US dollars such as 25 or 7.50 (got "ten")'],
			[[...base, '--strategy', 'hourly', '--tokens', '5'], 'limits add: --strategy must be one of daily, weekly, rolling (got "hourly")'],
			[[...base, '--strategy', 'rolling', '--tokens', '5'], 'limits add: --window-minutes is required for a rolling window: its length in minutes, such as 300 for 5 hours'],
			[[...base, '--strategy', 'rolling', '--tokens', '5', '--window-minutes', '5h'], 'limits add: --window-minutes must be a positive whole number such as 300 (got "5h")'],
			[[...base, '--strategy', 'weekly', '--tokens', '5', '--window-minutes', '60'], 'limits add: --window-minutes applies only to rolling windows; a weekly window runs from Monday 00:00 local'],
			[['limits', 'add', '--tier', 'B', '--pattern', 'x', '--strategy', 'daily', '--tokens', '5'], 'limits add: --provider is required and must not be empty'],
			[['limits', 'reset', 'abc'], 'limits reset: ID must be a config id as shown by limits list, such as 2 (got "abc")'],
			[['limits', 'remove'], 'limits remove: ID must be a config id as shown by limits list, such as 2 (got nothing)'],
			[['limits', 'reset', '7'], 'limits reset: there is no limit config 7; run cliproxy-usage limits list for the ids'],
			[['limits', 'list', '--tokens', '5'], 'limits list: --tokens applies only to limits add'],
			[['limits', 'purge'], 'limits needs one of list, add, remove, reset (got "purge"). Run cliproxy-usage limits --help.'],
			[['limits', 'list', '--timezone', 'Mars/Olympus'], 'TIMEZONE'],
		];
		for (const [args, message] of cases) {
			const result = await runCli(args, e, dir);
			expect({args, code: result.code, stdout: result.stdout}).toEqual({args, code: 2, stdout: ''});
			const lines = result.stderr.trimEnd().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toContain(message === 'TIMEZONE' ? '--timezone is not a known IANA time zone' : `cliproxy-usage: ${message}`);
		}
		expect(JSON.parse((await runCli(['limits', 'list', '--json'], e, dir)).stdout)).toEqual([]);
	});

	it('prints help with examples', async () => {
		const dir = tempDir();
		const help = await runCli(['limits', '--help'], env(dir), dir);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('$ cliproxy-usage limits add --provider Anthropic --tier Pro --pattern claude');
	});
});
