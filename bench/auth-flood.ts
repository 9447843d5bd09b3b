import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {Agent, request} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CpaStandIn} from '../test/support/cpa-stand-in.js';
import {v7Record} from '../test/support/fixtures.js';
import {fmt, type Bench} from './harness.js';

const TOKEN = 'bench-token-0123456789abcdef0123';
const BAD_REQUESTS = 10_000;
const BAD_CONCURRENCY = 32;

/**
 * The attacker, in a process of its own so its event loop does not delay the right client's:
 * 10,000 wrong-token requests from 127.0.0.1 over 32 keep-alive sockets, as fast as the server
 * answers. Prints the counts of each status, then exits.
 */
const ATTACKER = `
const http = require('node:http');
const [url, total, concurrency] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const agent = new http.Agent({keepAlive: true, maxSockets: concurrency});
const counts = {};
let sent = 0, done = 0;
const started = Date.now();
function one() {
	if (sent >= total) return;
	sent++;
	const req = http.request(url + '/api/collector/status', {agent, headers: {authorization: 'Bearer wrong-' + sent}}, res => {
		res.resume();
		res.on('end', () => { counts[res.statusCode] = (counts[res.statusCode] || 0) + 1; finish(); });
	});
	req.on('error', () => { counts.error = (counts.error || 0) + 1; finish(); });
	req.end();
}
function finish() {
	done++;
	if (done === total) { process.stdout.write(JSON.stringify({counts, ms: Date.now() - started}) + '\\n'); agent.destroy(); return; }
	one();
}
for (let i = 0; i < concurrency; i++) one();
`;

function startHeadless(cpaUrl: string, dir: string): Promise<{url: string; stop: () => Promise<void>}> {
	const child = spawn(process.execPath, ['dist/bundle/cli.js', '--headless'], {
		env: {PATH: process.env['PATH'] ?? '', CLIPROXY_URL: cpaUrl, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), COLLECTOR_TRIGGER_PORT: '0', COLLECTOR_API_TOKEN: TOKEN, LOG_LEVEL: 'info'},
	});
	let out = '';
	child.stdout.on('data', d => (out += d));
	const stop = async () => {
		child.kill('SIGTERM');
		await new Promise(r => child.on('exit', r));
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`headless did not start: ${out}`)), 15_000);
		const check = setInterval(() => {
			const m = /"msg":"HTTP API listening","url":"([^"]+)"/.exec(out);
			if (m) {
				clearInterval(check);
				clearTimeout(timer);
				resolve({url: m[1]!, stop});
			}
		}, 20);
	});
}

/** One right-token GET on a kept-alive socket; its latency in ms. */
function timedGet(url: string, agent: Agent): Promise<{ms: number; status: number}> {
	const started = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const req = request(`${url}/api/collector/status`, {agent, headers: {authorization: `Bearer ${TOKEN}`}}, res => {
			res.resume();
			res.on('end', () => resolve({ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0}));
		});
		req.on('error', reject);
		req.end();
	});
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export const authFlood: Bench = {
	id: 'auth-flood',
	title: 'Right-token latency while 10,000 wrong-token requests arrive from the same address',
	async run() {
		const cpa = await new CpaStandIn({generation: 'v7'}).start();
		for (let i = 0; i < 500; i++) cpa.enqueue(v7Record({at: Date.now() - 60_000 + i}));
		const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
		const server = await startHeadless(cpa.url, dir);
		const agent = new Agent({keepAlive: true, maxSockets: 1});
		try {
			// Warm up the right client's route.
			for (let i = 0; i < 200; i++) await timedGet(server.url, agent);
			const quiet: number[] = [];
			for (let i = 0; i < 300; i++) quiet.push((await timedGet(server.url, agent)).ms);

			const attacker = spawn(process.execPath, ['-e', ATTACKER, server.url, String(BAD_REQUESTS), String(BAD_CONCURRENCY)], {stdio: ['ignore', 'pipe', 'inherit']});
			let report = '';
			attacker.stdout.on('data', d => (report += d));
			let flooding = true;
			const finished = new Promise<void>(resolve =>
				attacker.on('exit', () => {
					flooding = false;
					resolve();
				}),
			);
			const during: number[] = [];
			const statuses = new Map<number, number>();
			while (flooding) {
				const {ms, status} = await timedGet(server.url, agent);
				during.push(ms);
				statuses.set(status, (statuses.get(status) ?? 0) + 1);
				// A scraper's pace, not a second flood: one request every 10 ms.
				await new Promise(r => setTimeout(r, 10));
			}
			await finished;
			const flood = JSON.parse(report.trim()) as {counts: Record<string, number>; ms: number};
			const p95 = percentile(during, 95);
			const ok = statuses.get(200) ?? 0;
			return {
				figure: `p95 ${fmt(p95, 1)} ms (p50 ${fmt(percentile(during, 50), 1)} ms, max ${fmt(Math.max(...during), 1)} ms; ${ok}/${during.length} right-token requests answered 200)`,
				budget: 'p95 < 50 ms, every right-token request 200',
				pass: p95 < 50 && ok === during.length,
				method:
					`the built CLI in --headless with COLLECTOR_API_TOKEN against a CPA stand-in; an attacker process sends ${fmt(BAD_REQUESTS)} wrong-token GET /api/collector/status ` +
					`from 127.0.0.1 over ${BAD_CONCURRENCY} keep-alive sockets as fast as they are answered, while the right client, from the same address, sends one right-token ` +
					'GET /api/collector/status every 10 ms on its own kept-alive socket; latency from send to the end of the answer. All three processes share the 2 cores.',
				details: `wrong-token answers: ${Object.entries(flood.counts).map(([k, v]) => `${fmt(v)} × ${k}`).join(', ')} in ${fmt(flood.ms / 1000, 1)} s (${fmt(BAD_REQUESTS / (flood.ms / 1000))} req/s); right-token latency without the flood: p95 ${fmt(percentile(quiet, 95), 1)} ms`,
			};
		} finally {
			agent.destroy();
			await server.stop();
			await cpa.close();
			rmSync(dir, {recursive: true, force: true});
		}
	},
};
