import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CpaStandIn} from '../test/support/cpa-stand-in.js';
import {v7Record} from '../test/support/fixtures.js';
import {fmt, type Bench} from './harness.js';

/** wrk's summary: requests per second and the 99th percentile latency. */
function parseWrk(out: string): {rps: number; p99: string; p50: string} {
	const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
	const p99 = /\s99%\s+(\S+)/.exec(out)?.[1] ?? '?';
	const p50 = /\s50%\s+(\S+)/.exec(out)?.[1] ?? '?';
	if (!Number.isFinite(rps)) throw new Error(`could not read wrk output:\n${out}`);
	return {rps, p99, p50};
}

export const statusThroughput: Bench = {
	id: 'status-throughput',
	title: 'Headless GET /api/collector/status on loopback',
	needs: ['wrk'],
	async run() {
		const cpa = await new CpaStandIn({generation: 'v7'}).start();
		for (let i = 0; i < 500; i++) cpa.enqueue(v7Record({at: Date.now() - 60_000 + i}));
		const dir = mkdtempSync(join(tmpdir(), 'cu-bench-'));
		const child = spawn(process.execPath, ['dist/bundle/cli.js', '--headless'], {
			env: {PATH: process.env['PATH'] ?? '', CLIPROXY_URL: cpa.url, CLIPROXY_MANAGEMENT_KEY: 'test-management-key', DB_PATH: join(dir, 'c.db'), COLLECTOR_TRIGGER_PORT: '0', LOG_LEVEL: 'info'},
		});
		let out = '';
		child.stdout.on('data', d => (out += d));
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`headless did not start: ${out}`)), 15_000);
			const check = setInterval(() => {
				const m = /"msg":"HTTP API listening","url":"([^"]+)"/.exec(out);
				if (m) {
					clearInterval(check);
					clearTimeout(timer);
					resolve(m[1]!);
				}
			}, 20);
		});
		try {
			// Warm up, then measure: 2 threads, 32 connections, 10 s.
			execFileSync('wrk', ['-t2', '-c32', '-d2s', `${url}/api/collector/status`], {encoding: 'utf8'});
			const result = parseWrk(execFileSync('wrk', ['-t2', '-c32', '-d10s', '--latency', `${url}/api/collector/status`], {encoding: 'utf8'}));
			return {
				figure: `${fmt(result.rps)} req/s (p50 ${result.p50}, p99 ${result.p99})`,
				budget: '>= 3,000 req/s',
				pass: result.rps >= 3000,
				method: 'the built CLI in --headless against a CPA stand-in (500 requests stored), wrk -t2 -c32 -d10s --latency on loopback after a 2 s warm-up; wrk and the server share the 2 cores.',
			};
		} finally {
			child.kill('SIGTERM');
			await new Promise(r => child.on('exit', r));
			await cpa.close();
			rmSync(dir, {recursive: true, force: true});
		}
	},
};
