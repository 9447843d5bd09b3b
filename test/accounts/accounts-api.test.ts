import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {runCli} from '../support/spawn-cli.js';
import {connectSse} from '../support/sse-client.js';

const KEY = 'test-management-key';
const RAW_KEY = 'sk-ant-api03-RAWKEYneverinanyresponse0123456789abcdef';
const CLAUDE = 'aaaa111122223333';
const CODEX = 'bbbb111122223333';
const APIKEY = 'cccc111122223333';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
const get = (url: string) => fetch(url).then(async r => ({status: r.status, text: await r.clone().text(), body: (await r.json().catch(() => null)) as any}));

async function running() {
	const cpa = await startStandIn({generation: 'v7'});
	cpa.listServed = false;
	cpa.accounts = [
		{auth_index: CLAUDE, provider: 'claude', email: 'alice@example.com', account_type: 'oauth'},
		{auth_index: CODEX, provider: 'codex', name: 'codex-bob.json', account_type: 'oauth', id_token: {plan_type: 'pro', chatgpt_account_id: 'acct-SECRETID'}},
		{auth_index: APIKEY, provider: 'claude', label: 'console', account_type: 'api_key', account: RAW_KEY},
	];
	const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: KEY, COLLECTOR_SOURCE: 'queue', COLLECTOR_QUEUE_INTERVAL_SECONDS: '1', QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false'});
	const now = Date.now();
	cpa.enqueue(
		v7Record({at: now - 5000, provider: 'claude', authIndex: CLAUDE}),
		v7Record({at: now - 4000, provider: 'claude', authIndex: CLAUDE, failed: true, statusCode: 429}),
		v7Record({at: now - 3000, provider: 'codex', model: 'gpt-5-codex', authIndex: CODEX}),
		v7Record({at: now - 2000, provider: 'claude', authIndex: APIKEY, authType: 'apikey', source: RAW_KEY, failed: true, statusCode: 500}),
	);
	await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body?.today?.requests === 4, 15_000, 'records stored');
	await waitFor(async () => (await get(`${h.url}/api/data/accounts`)).body?.find((a: {label: string}) => a.label === 'console'), 15_000, 'accounts listed');
	return {cpa, h};
}

describe('accounts over HTTP, /metrics, the stream and the CLI', () => {
	it('GET /api/data/accounts answers every account in the documented shape, usage per period, official windows', async () => {
		const {h} = await running();
		const {status, body, text} = await get(`${h.url}/api/data/accounts?period=today`);
		expect(status).toBe(200);
		expect(body).toHaveLength(3);
		const alice = body.find((a: {auth_index: string}) => a.auth_index === CLAUDE);
		expect(alice).toMatchObject({
			auth_index: CLAUDE,
			label: 'alice@example.com',
			provider: 'claude',
			plan: null,
			state: expect.any(String),
			cooldown_until: null,
			usage: {requests: 2, failed: 1, rate_limited: 1, cancelled: 0, tokens: 2400, cost_usd: expect.any(Number)},
		});
		expect(alice.quotas.map((q: {window: string}) => q.window)).toEqual(['5h', '7d']);
		expect(alice.quotas[0]).toEqual({
			window: '5h',
			label: '5h',
			used_percent: 42,
			resets_at: expect.stringMatching(/Z$/),
			status: 'allowed',
			source: 'headers',
			observed_at: expect.stringMatching(/Z$/),
			age_seconds: expect.any(Number),
			rate_per_hour: null,
			projected_exhaustion_at: null,
		});
		const bob = body.find((a: {auth_index: string}) => a.auth_index === CODEX);
		expect(bob).toMatchObject({label: 'codex-bob', plan: 'pro', quotas: [{window: '5h', used_percent: 37}, {window: '7d', used_percent: 12}]});
		const key = body.find((a: {auth_index: string}) => a.auth_index === APIKEY);
		expect(key).toMatchObject({label: 'console', account_type: 'api_key', usage: {requests: 1, failed: 1, rate_limited: 0}});
		expect(text).not.toContain('RAWKEY');
		expect(text).not.toContain('acct-SECRETID');

		expect((await get(`${h.url}/api/data/accounts?period=30d`)).body.find((a: {auth_index: string}) => a.auth_index === CLAUDE).usage.requests).toBe(2);
		expect((await get(`${h.url}/api/data/accounts?period=yesterday`)).body.find((a: {auth_index: string}) => a.auth_index === CLAUDE).usage.requests).toBe(0);
		expect(await get(`${h.url}/api/data/accounts?period=week`)).toMatchObject({status: 400, body: {error: 'period must be one of today, yesterday, 7d, 30d (got "week")'}});
		expect(await get(`${h.url}/api/data/accounts?days=7`)).toMatchObject({status: 400});
	});

	it('/metrics has the quota families, labelled by account name (never a key), and promtool accepts them', async () => {
		const {cpa, h} = await running();
		const text = (await get(`${h.url}/metrics`)).text;
		const instance = new URL(cpa.url).host;
		expect(text).toContain(`cliproxy_usage_quota_used_ratio{instance="${instance}",account="alice@example.com",provider="claude",window="5h"} 0.42`);
		expect(text).toMatch(/cliproxy_usage_quota_resets_at_seconds\{instance="[^"]+",account="codex-bob",provider="codex",window="7d"\} \d{10}/);
		expect(text).toContain(`cliproxy_usage_account_cooling_down{instance="${instance}",account="console",provider="claude"} 0`);
		expect(text).not.toContain('RAWKEY');
		expect(execFileSync('promtool', ['check', 'metrics'], {input: text, encoding: 'utf8'})).toBe('');
	});

	it('the stream sends accounts in its snapshot and a quotas event when a window changes', async () => {
		const {cpa, h} = await running();
		const stream = await connectSse(`${h.url}/api/collector/stream`);
		const snapshot = await stream.next('snapshot');
		expect((snapshot.data as {accounts: unknown[]}).accounts).toHaveLength(3);
		const headers = {'Anthropic-Ratelimit-Unified-5h-Utilization': ['0.77'], 'Anthropic-Ratelimit-Unified-5h-Reset': [String(Math.floor(Date.now() / 1000) + 3600)], 'Anthropic-Ratelimit-Unified-5h-Status': ['allowed_warning']};
		cpa.enqueue(v7Record({at: Date.now(), provider: 'claude', authIndex: CLAUDE, headers}));
		const event = await stream.next('quotas', 15_000);
		expect(event.data).toMatchObject({type: 'quotas', data: {source: 'headers', accounts: [{auth_index: CLAUDE, quotas: [{window: '5h', used_percent: 77, status: 'warning'}, {window: '7d'}]}]}});
	});

	it('cliproxy-usage accounts prints a table and the same JSON as the route', async () => {
		const {h} = await running();
		const env = {DB_PATH: h.dbPath, TIMEZONE: 'UTC', COLUMNS: '200'};
		const table = await runCli(['accounts'], env, h.dir);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/alice@example\.com.*claude/);
		expect(table.stdout).toMatch(/5h 42% ↻2h5\dm · headers/);
		expect(table.stdout).not.toContain('RAWKEY');
		const json = await runCli(['accounts', '--json', '--period', '7d'], env, h.dir);
		expect(JSON.parse(json.stdout).map((a: {auth_index: string}) => a.auth_index).sort()).toEqual([CLAUDE, CODEX, APIKEY].sort());
		expect(await runCli(['accounts', '--period', 'week'], env, h.dir)).toMatchObject({code: 2, stderr: expect.stringContaining('--period must be one of today, yesterday, 7d, 30d')});
	});
});
