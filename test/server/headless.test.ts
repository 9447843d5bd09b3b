import {createServer} from 'node:net';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
import Database from 'better-sqlite3';
import {describe, expect, it} from 'vitest';
import {v7Record} from '../support/fixtures.js';
import {startStandIn} from '../support/harness.js';
import {startHeadless, waitFor} from '../support/headless-process.js';
import {runCli} from '../support/spawn-cli.js';
import {connectSse} from '../support/sse-client.js';
import {tempDir} from '../support/temp.js';
import {promtoolCheck, skipWithout, titled} from '../support/tools.js';

const KEY = 'test-management-key';
const TOKEN = 'tok-0123456789abcdef0123456789';

async function headlessOn(generation: 'v7' | 'v6' = 'v7', env: Record<string, string> = {}) {
	const cpa = await startStandIn({generation});
	const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: KEY, ...env});
	return {cpa, h};
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
const get = (url: string, init?: RequestInit) => fetch(url, init).then(async r => ({status: r.status, headers: r.headers, body: (await r.json()) as any}));

describe('cliproxy-usage --headless', () => {
	it('answers every route with the documented shapes', async () => {
		const {cpa, h} = await headlessOn();
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'gpt-5-codex', provider: 'codex', input: 1200, output: 80}));
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.today.requests === 1, 10_000, 'first pass');

		const health = await get(`${h.url}/api/collector/health`);
		expect(health.status).toBe(200);
		expect(health.body).toEqual({status: 'healthy', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)});

		const status = (await get(`${h.url}/api/collector/status`)).body;
		expect(Object.keys(status)).toEqual(expect.arrayContaining(['started_at', 'last_poll_at', 'poll_count', 'poll_interval_sec', 'last_error', 'source', 'today', 'event_count', 'subscriber_count']));
		expect(status.source).toMatchObject({url: cpa.url, mode: 'auto', backend: 'resp', cpa_version: '7.2.140', usage_statistics_enabled: true, transport: {name: 'resp', state: 'subscribed', path: 'subscribe', summary: expect.any(String)}});
		expect(status.today).toMatchObject({requests: 1, tokens: 1280, estimated_requests: expect.any(Number), cost_usd: expect.any(Number)});
		expect(status.last_error).toBeNull();

		const events = (await get(`${h.url}/api/collector/events`)).body as Array<{type: string; at: string; data: Record<string, unknown>}>;
		const delta = events.find(e => e.type === 'usage_delta')!;
		expect(delta.data).toMatchObject({inserted: 1, requests: 1, by_model: [{model: 'gpt-5-codex', provider: 'codex', requests: 1}]});
		expect(events.map(e => e.at)).toEqual([...events.map(e => e.at)].sort());

		const today = new Date().toISOString().slice(0, 10);
		const daily = (await get(`${h.url}/api/data/daily?from=${today}&to=${today}`)).body;
		expect(daily).toEqual([expect.objectContaining({stat_date: today, total_requests: 1, success_count: 1, failure_count: 0, total_tokens: 1280, breakdown: expect.objectContaining({models: expect.any(Object), endpoints: expect.any(Object)})})]);
		const models = (await get(`${h.url}/api/data/models?from=${today}&to=${today}`)).body;
		expect(models).toMatchObject({from: today, to: today, zone: 'UTC', models: [{model: 'gpt-5-codex', requests: 1, input_tokens: 1200, output_tokens: 80}]});
		expect((await get(`${h.url}/api/data/models?from=2026-02-30`)).body).toEqual({error: 'from must be a calendar date as YYYY-MM-DD, such as 2026-11-01 (got "2026-02-30")'});
		expect((await get(`${h.url}/api/data/daily?from=2026-11-05&to=2026-11-01`))).toMatchObject({status: 400, body: {error: 'from 2026-11-05 is after to 2026-11-01: swap them'}});
		expect((await get(`${h.url}/api/data/models?days=7`))).toMatchObject({status: 400, body: {error: 'Unknown query parameter "days": use from and to (YYYY-MM-DD, inclusive) and instance'}});
		expect((await get(`${h.url}/api/data/rate-limits`)).status).toBe(200);

		expect(await get(`${h.url}/api/collector/reset/x1`)).toMatchObject({status: 405});
		expect(await get(`${h.url}/api/collector/reset/x1`, {method: 'POST'})).toMatchObject({status: 400, body: {error: 'Invalid config_id'}});
		expect(await get(`${h.url}/api/collector/reset/999`, {method: 'POST'})).toMatchObject({status: 404, body: {error: 'Configuration with id 999 not found.'}});
		const wrong = await get(`${h.url}/api/collector/status`, {method: 'DELETE'});
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('GET, HEAD');
		expect(await get(`${h.url}/api/nothing/here`)).toMatchObject({status: 404, body: {error: 'Not found'}});
		const big = await get(`${h.url}/api/collector/trigger`, {method: 'POST', body: 'x'.repeat(70_000), headers: {'content-type': 'application/json'}});
		expect(big).toMatchObject({status: 413, body: {error: 'Request body too large (limit 65536 bytes)'}});
		expect(h.stdout()).not.toContain(KEY);
	});

	it.skipIf(skipWithout('promtool'))(titled('serves Prometheus text that promtool accepts, rate-limit gauges included', 'promtool'), async () => {
		const dir = tempDir();
		const dbPath = join(dir, 'collector.db');
		const add = await runCli(['limits', 'add', '--provider', 'Anthropic', '--tier', 'Pro', '--pattern', 'claude', '--strategy', 'daily', '--tokens', '10000'], {DB_PATH: dbPath, TIMEZONE: 'UTC'}, dir);
		expect(add.code, add.stderr).toBe(0);
		const {cpa, h} = await headlessOn('v7', {DB_PATH: dbPath});
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'claude "quoted" \\ model', failed: true}));
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.today.requests === 1);
		const response = await fetch(`${h.url}/metrics`);
		expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
		const text = await response.text();
		expect(text).toContain(`cliproxy_usage_requests_total{instance="${new URL(cpa.url).host}",provider="claude",model="claude \\"quoted\\" \\\\ model",account="claude-a1b2c3d4e5f67890",outcome="rate_limited"} 1`);
		expect(text).toMatch(/cliproxy_usage_last_poll_timestamp_seconds\{instance="127\.0\.0\.1:\d+"\} \d+\.?\d*/);
		expect(text).toMatch(/cliproxy_usage_rate_limit_used_ratio\{config_id="1",provider="Anthropic",tier="Pro",pattern="claude",dimension="tokens"\} \d/);
		// promtool is the strict parser (Debian package prometheus, installed by .ci/run).
		expect(promtoolCheck(text)).toBe('');
	});

	it('streams a snapshot at once, then usage_delta as records arrive', async () => {
		const {cpa, h} = await headlessOn('v7', {COLLECTOR_QUEUE_INTERVAL_SECONDS: '1'});
		const stream = await connectSse(`${h.url}/api/collector/stream`);
		expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const snapshot = await stream.next('snapshot', 5000);
		// The snapshot may come before the first pass has picked a backend (null until then).
		expect(snapshot.data).toMatchObject({source: {mode: 'auto', url: cpa.url}, today: {requests: 0}, subscriber_count: 1, models_today: [], rate_limits: []});
		cpa.enqueue(v7Record({at: Date.now() - 500, model: 'gemini-2.5-pro', provider: 'gemini', input: 50, output: 5}));
		const delta = await stream.next('usage_delta', 10_000);
		expect(delta.data).toMatchObject({type: 'usage_delta', data: {inserted: 1, requests: 1, tokens: 55, by_model: [{model: 'gemini-2.5-pro'}]}});
		expect(Number(delta.id)).toBeGreaterThan(Number(snapshot.id));
		expect((await get(`${h.url}/api/collector/status`)).body.subscriber_count).toBe(1);
	});

	it('coalesces 20 concurrent triggers into one pass and never makes a trigger wait', async () => {
		const {cpa, h} = await headlessOn('v7', {COLLECTOR_SOURCE: 'queue', COLLECTOR_QUEUE_INTERVAL_SECONDS: '3600'});
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.poll_count === 1);
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.last_success_at !== null);
		cpa.delayMs = 3000;
		const before = cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).length;
		const answers = await Promise.all(Array.from({length: 20}, () => get(`${h.url}/api/collector/trigger`, {method: 'POST'})));
		// Every trigger was answered while CPA had not yet answered the one pass they started.
		const inFlight = cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).slice(before);
		expect(inFlight.map(r => r.status)).toEqual([0]);
		expect(answers.every(a => a.status === 202)).toBe(true);
		expect(answers.filter(a => a.body.message === 'Collection pass triggered.')).toHaveLength(1);
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.poll_count === 2, 10_000, 'the pass to finish');
		expect(cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).length - before).toBe(1);
		expect((await get(`${h.url}/api/collector/status`)).body.poll_count).toBe(2);
	});

	it('with a token: every route but health needs it; repeated failures get 429 with Retry-After, the right token still passes', async () => {
		const {h} = await headlessOn('v7', {COLLECTOR_API_TOKEN: TOKEN});
		expect((await get(`${h.url}/api/collector/health`)).status).toBe(200);
		const denied = await get(`${h.url}/api/collector/status`);
		expect(denied).toMatchObject({status: 401, body: {error: 'Unauthorized: send Authorization: Bearer <COLLECTOR_API_TOKEN>'}});
		expect(denied.headers.get('www-authenticate')).toBe('Bearer');
		expect((await get(`${h.url}/api/collector/status`, {headers: {authorization: `Bearer ${TOKEN}`}})).status).toBe(200);
		expect((await fetch(`${h.url}/metrics`, {headers: {authorization: `Bearer ${TOKEN}`}})).status).toBe(200);
		for (let i = 0; i < 9; i++) await get(`${h.url}/api/collector/events`, {headers: {authorization: 'Bearer wrong'}});
		const limited = await get(`${h.url}/api/collector/events`, {headers: {authorization: 'Bearer wrong'}});
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await get(`${h.url}/api/collector/events`, {headers: {authorization: `Bearer ${TOKEN}`}})).status).toBe(200);
		await waitFor(() => h.logs().some(l => l['msg'] === 'client locked out after repeated failed authentication'), 5000, 'the lockout in the log');
		expect(JSON.stringify(limited.body) + h.stdout()).not.toContain(TOKEN);
		expect(h.stdout()).not.toContain('Bearer wrong');
	});

	it('refuses to listen off loopback without a token (exit 2), and says when the port is taken (exit 1)', async () => {
		const dir = tempDir();
		const open = await runCli(['--headless', '--host', '0.0.0.0'], {CLIPROXY_MANAGEMENT_KEY: KEY, DB_PATH: join(dir, 'c.db'), COLLECTOR_TRIGGER_PORT: '0'}, dir);
		expect(open.code).toBe(2);
		expect(open.stderr).toContain('cliproxy-usage: COLLECTOR_HOST=0.0.0.0 is not a loopback address and COLLECTOR_API_TOKEN is not set');

		const blocker = createServer();
		await new Promise<void>(r => blocker.listen(0, '127.0.0.1', r));
		const port = (blocker.address() as {port: number}).port;
		const busy = await runCli(['--headless'], {CLIPROXY_MANAGEMENT_KEY: KEY, DB_PATH: join(dir, 'c.db'), COLLECTOR_TRIGGER_PORT: String(port)}, dir);
		blocker.close();
		expect(busy.code).toBe(1);
		expect(busy.stderr).toBe(`cliproxy-usage: port ${port} on 127.0.0.1 is already in use (another cliproxy-usage?): stop the other process or set COLLECTOR_TRIGGER_PORT\n`);
	});

	it('SIGTERM during a pass: finishes it, ends streams, closes the DB intact, exits 0', async () => {
		const {cpa, h} = await headlessOn('v7', {COLLECTOR_SOURCE: 'queue', COLLECTOR_QUEUE_INTERVAL_SECONDS: '3600'});
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.last_success_at !== null);
		const stream = await connectSse(`${h.url}/api/collector/stream`);
		await stream.next('snapshot');
		for (let i = 0; i < 1200; i++) cpa.enqueue(v7Record({at: Date.now() - 5000 + i}));
		cpa.delayMs = 700;
		await get(`${h.url}/api/collector/trigger`, {method: 'POST'});
		await waitFor(() => cpa.log.filter(r => r.path.includes('usage-queue')).length >= 2, 5000, 'the pass to be under way');
		h.child.kill('SIGTERM');
		expect(await h.exited).toBe(0);
		await stream.done;
		expect(stream.ended).toBe(true);
		const db = new Database(h.dbPath, {readonly: true});
		expect(db.pragma('integrity_check', {simple: true})).toBe('ok');
		const stored = (db.prepare('SELECT count(*) n FROM requests').get() as {n: number}).n;
		db.close();
		// Every record CPA handed out (popped) is in the database: none lost to the shutdown.
		expect(stored).toBe(1200 - cpa.queueLength);
		expect(stored).toBeGreaterThan(0);
		expect(h.logs().map(l => l['msg'])).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
	});

	it('events?limit: a limit past the ring gets the whole ring; anything but a whole number is a 400 that says the bound', async () => {
		// No scheduled pass (and so no new event) between the reads.
		const {cpa, h} = await headlessOn('v7', {COLLECTOR_QUEUE_INTERVAL_SECONDS: '50'});
		cpa.enqueue(v7Record({at: Date.now() - 1000}));
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.today.requests === 1, 10_000, 'first pass');
		const all = (await get(`${h.url}/api/collector/events`)).body as unknown[];
		expect(all.length).toBeGreaterThan(1);
		expect(await get(`${h.url}/api/collector/events?limit=100000`)).toMatchObject({status: 200, body: all});
		expect((await get(`${h.url}/api/collector/events?limit=1`)).body).toEqual(all.slice(-1));
		for (const bad of ['0', '-1', '1.5', 'ten', '']) {
			expect(await get(`${h.url}/api/collector/events?limit=${bad}`)).toEqual({
				status: 400,
				headers: expect.anything(),
				body: {error: `limit must be a whole number of events, 1 or more (the last 200 are kept; a larger limit returns them all); got ${JSON.stringify(bad)}`},
			});
		}
	});

	it('logs one JSON object per line and never the management key', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'server-side-key'});
		const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'the-wrong-secret-value'});
		await waitFor(() => h.logs().some(l => l['msg'] === 'collection stopped'));
		for (const line of h.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
		expect(h.stdout()).not.toContain('the-wrong-secret-value');
		const status = (await get(`${h.url}/api/collector/status`)).body;
		expect(status.stopped.reason).toContain('CPA rejected the management key');
		expect((await get(`${h.url}/api/collector/trigger`, {method: 'POST'})).status).toBe(409);
		expect(JSON.stringify(status)).not.toContain('the-wrong-secret-value');
	});
});

describe('rate limits over HTTP', () => {
	it('lists statuses, resets one, exports its used ratio, and streams limits events', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const dir = tempDir();
		const dbPath = join(dir, 'collector.db');
		const add = await runCli(['limits', 'add', '--provider', 'Anthropic', '--tier', 'Pro', '--pattern', 'claude', '--strategy', 'rolling', '--window-minutes', '300', '--tokens', '10000'], {DB_PATH: dbPath, TIMEZONE: 'UTC'}, dir);
		expect(add.code, add.stderr).toBe(0);
		cpa.enqueue(v7Record({at: Date.now() - 1000, model: 'claude-sonnet-4-5', input: 2000, output: 500}));
		const h = await startHeadless({CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: KEY, DB_PATH: dbPath, COLLECTOR_QUEUE_INTERVAL_SECONDS: '1'});
		const stream = await connectSse(`${h.url}/api/collector/stream`);
		await waitFor(async () => (await get(`${h.url}/api/collector/status`)).body.today.requests === 1, 10_000, 'the record to land');

		const limits = (await get(`${h.url}/api/data/rate-limits`)).body as Array<Record<string, any>>;
		expect(limits).toHaveLength(1);
		const id = limits[0]!['config'].id as number;
		await waitFor(async () => ((await get(`${h.url}/api/data/rate-limits`)).body[0].tokens.used as number) === 2500, 10_000, 'the window to count the request');
		expect((await get(`${h.url}/api/data/rate-limits`)).body[0]).toMatchObject({config: {provider: 'Anthropic', model_pattern: 'claude'}, binding: 'tokens', percent_used: 25, percent_remaining: 75, label: expect.stringContaining('10k')});

		const metrics = await (await fetch(`${h.url}/metrics`)).text();
		expect(metrics).toContain(`cliproxy_usage_rate_limit_used_ratio{config_id="${id}",provider="Anthropic",tier="Pro",pattern="claude",dimension="tokens"} 0.25`);

		const reset = await get(`${h.url}/api/collector/reset/${id}`, {method: 'POST'});
		expect(reset.status).toBe(200);
		expect(reset.body).toMatchObject({message: expect.stringContaining(`Rate limit ${id} reset`), new_status: {config: {id}, percent_used: 0, anchored: true}});
		expect((await get(`${h.url}/api/data/rate-limits`)).body[0].percent_used).toBe(0);

		const event = await stream.next('limits', 10_000);
		expect(event.data).toMatchObject({type: 'limits', data: {statuses: [expect.objectContaining({config: expect.objectContaining({id})})]}});
	});
});

describe('headless never loads Ink', () => {
	const {readFileSync, existsSync} = require('node:fs') as typeof import('node:fs');
	const {dirname, resolve} = require('node:path') as typeof import('node:path');
	const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

	/** Files reachable from `entry` through static imports (dynamic ones load only when called). */
	const reachable = (entry: string, staticOnly: boolean) => {
		const seen = new Set<string>();
		const bare = new Set<string>();
		const visit = (file: string) => {
			if (seen.has(file)) return;
			seen.add(file);
			const text = readFileSync(file, 'utf8');
			const pattern = staticOnly ? /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g : /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
			for (const m of text.matchAll(pattern)) {
				const spec = m[1] ?? m[2]!;
				if (spec.startsWith('.')) {
					const next = resolve(dirname(file), spec);
					if (existsSync(next)) visit(next);
				} else {
					bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
				}
			}
		};
		visit(entry);
		return {files: [...seen], bare};
	};

	it('has no import path from the headless command to ink or react (compiled sources)', () => {
		const {files, bare} = reachable(resolve(root, 'commands/headless.js'), false);
		expect(files.length).toBeGreaterThan(10);
		expect([...bare].filter(b => /^(ink|react|@alcalzone\/ink-table|ink-testing-library)$/.test(b))).toEqual([]);
	});

	it('loads no Ink or React code from the bundle it ships', () => {
		const {files} = reachable(resolve(root, 'bundle/commands/headless.js'), true);
		expect(files.length).toBeGreaterThan(1);
		const code = files.map(f => readFileSync(f, 'utf8')).join('\n');
		expect(code).toContain('// dist/server/http-server.js');
		expect(code).not.toMatch(/\/\/ node_modules\/(ink|react|react-reconciler|yoga-layout|@alcalzone\/ink-table)\//);
	});
});
