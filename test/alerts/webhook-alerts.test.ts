import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {upstreamHeaders, v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {onCleanup, tempDir} from '../support/temp.js';
import {waitFor} from '../support/headless-process.js';

const KEY = 'test-management-key';
const ACCOUNT = 'aaaa111122223333';
const CLIENT_KEY = 'sk-client-SECRET0123456789abcdef';

/** A webhook receiver on loopback: every POST's body, answered with the next status (200 once they run out). */
async function receiver(statuses: number[] = []) {
	const bodies: string[] = [];
	const server = createServer((req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		req.on('data', c => chunks.push(c as Buffer));
		req.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			res.writeHead(statuses.shift() ?? 200, {'content-type': 'text/plain'});
			res.end('ok');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onCleanup(() => new Promise<void>(resolve => server.close(() => resolve())));
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/token-in-path`, bodies};
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function claudeRecord(at: number, tokens: number, utilization?: string) {
	const headers = upstreamHeaders('claude', at);
	if (utilization) headers['Anthropic-Ratelimit-Unified-5h-Utilization'] = [utilization];
	return v7Record({at, provider: 'claude', authIndex: ACCOUNT, apiKey: CLIENT_KEY, input: tokens - 200, output: 200, headers});
}

describe('budget alerts through ALERT_WEBHOOK_URL', () => {
	it('POSTs exactly once per crossed threshold and window, across a restart on the same database, with no secret in the body', async () => {
		const hook = await receiver();
		const cpa = await startStandIn({generation: 'v7'});
		cpa.listServed = false;
		const dbPath = join(tempDir(), 'collector.db');
		const env = {DB_PATH: dbPath, COLLECTOR_SOURCE: 'queue', QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false', ALERT_WEBHOOK_URL: hook.url};
		const start = () => {
			const h = collectorFor(cpa, env, {webhook: {backoffMs: 20, timeoutMs: 2000}});
			h.alerts.start();
			return h;
		};

		let h = start();
		h.limits.add({provider: 'Anthropic', tier_name: 'Pro', model_pattern: 'claude', strategy: 'daily', token_limit: 10_000});
		const now = Date.now();
		cpa.enqueue(claudeRecord(now - 5000, 8500));
		await h.collector.trigger();
		await waitFor(() => hook.bodies.length === 1, 10_000, 'the 80 % POST');
		cpa.enqueue(claudeRecord(now - 4000, 2000, '0.85'));
		await h.collector.trigger();
		await waitFor(() => hook.bodies.length === 3, 10_000, 'the 100 % POST and the quota window at 85 %');
		await h.alerts.idle();
		// Nothing new crossed: more passes, no more POSTs.
		cpa.enqueue(claudeRecord(now - 3000, 300, '0.86'));
		await h.collector.trigger();
		await sleep(600);
		expect(hook.bodies).toHaveLength(3);
		await h.cleanup.run();

		h = start();
		cpa.enqueue(claudeRecord(now - 2000, 300, '0.87'));
		await h.collector.trigger();
		await h.limits.recompute();
		await sleep(800);
		await h.alerts.idle();
		expect(hook.bodies).toHaveLength(3);

		const bodies = hook.bodies.map(b => JSON.parse(b) as {text: string; content: string; title: string; message: string; alert: Record<string, unknown>});
		expect(bodies.map(b => [b.alert['kind'], b.alert['threshold']]).sort()).toEqual([['limit', 100], ['limit', 80], ['quota', 80]]);
		const limit80 = bodies.find(b => b.alert['kind'] === 'limit' && b.alert['threshold'] === 80)!;
		expect(limit80.text).toMatch(/^cliproxy-usage: limit #1 Anthropic Pro · claude \(substring\), daily reached 80% \(85% used: 8\.5k \/ 10k tokens\); resets \d{4}-\d\d-\d\d 00:00 UTC \(in /);
		expect(limit80.content).toBe(limit80.text);
		expect(limit80.message).toBe(limit80.text);
		expect(limit80.title).toBe('cliproxy-usage: 80% of limit #1');
		const quota = bodies.find(b => b.alert['kind'] === 'quota')!;
		expect(quota.alert).toMatchObject({threshold: 80, percent_used: 85, instance: new URL(cpa.url).host, quota: {account: 'user@example.com', provider: 'claude', window: '5h', source: 'headers'}});
		for (const body of hook.bodies) {
			for (const secret of [KEY, ACCOUNT, CLIENT_KEY, 'SECRET0123', 'token-in-path']) expect(body).not.toContain(secret);
		}
		// Every alert is on the event ring too (the stream's `alert` event), and the state says sent.
		expect(h.db.prepare("SELECT count(*) n FROM alert_state WHERE delivery = 'sent'").get()).toEqual({n: 3});
	});

	it('retries a failing webhook a few times with backoff, then gives up and logs it once', async () => {
		const hook = await receiver([500, 503, 200, 500, 500, 500]);
		const cpa = await startStandIn({generation: 'v7'});
		cpa.listServed = false;
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue', QUOTA_POLL_MINUTES: '0', PRICES_AUTO_UPDATE: 'false', ALERT_WEBHOOK_URL: hook.url, ALERT_THRESHOLDS: '50,90'}, {webhook: {backoffMs: 10, timeoutMs: 2000}});
		h.alerts.start();
		h.limits.add({provider: 'A', tier_name: 'B', model_pattern: 'claude', strategy: 'daily', request_limit: 2});
		cpa.enqueue(claudeRecord(Date.now() - 2000, 1000));
		await h.collector.trigger();
		// 50 %: 500, 503, then 200 on the third attempt.
		await waitFor(() => hook.bodies.length === 3, 10_000, 'three attempts');
		await h.alerts.idle();
		expect(new Set(hook.bodies).size).toBe(1);
		cpa.enqueue(claudeRecord(Date.now() - 1000, 1000));
		await h.collector.trigger();
		// 100 % crosses 90: 500 three times, then no more.
		await waitFor(() => hook.bodies.length === 6, 10_000, 'three more attempts');
		await sleep(300);
		await h.alerts.idle();
		expect(hook.bodies).toHaveLength(6);
		const failures = h.logs.filter(l => l.msg.startsWith('alert webhook failed'));
		expect(failures).toHaveLength(1);
		expect(JSON.stringify(failures)).not.toContain('/hooks/');
		expect(h.db.prepare('SELECT threshold, delivery, attempts, last_error FROM alert_state ORDER BY threshold').all()).toEqual([
			{threshold: 50, delivery: 'sent', attempts: 3, last_error: null},
			{threshold: 90, delivery: 'failed', attempts: 3, last_error: 'HTTP 500'},
		]);
	});
});
