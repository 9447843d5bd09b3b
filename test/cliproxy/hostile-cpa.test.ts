import type {ServerResponse} from 'node:http';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {waitFor} from '../support/headless-process.js';
import {CpaClient} from '../../source/cliproxy/client.js';
import {CpaAuthError, CpaError} from '../../source/cliproxy/errors.js';
import {createApiServer} from '../../source/server/http-server.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {onCleanup} from '../support/temp.js';
import {localDataSource} from '../../source/app/data-source.js';

const KEY = 'test-management-key';

/** Headers at once, then one byte a second, for as long as the client listens. */
function drip(res: ServerResponse): void {
	res.writeHead(200, {'content-type': 'application/json; charset=utf-8'});
	res.write('[');
	const timer = setInterval(() => res.write(' '), 1000);
	res.on('close', () => clearInterval(timer));
}

/** `bytes` of a JSON array, in 1 MiB chunks, without Content-Length unless `declare`. */
function huge(res: ServerResponse, bytes: number, declare = false): void {
	res.writeHead(200, {'content-type': 'application/json; charset=utf-8', ...(declare ? {'content-length': String(bytes)} : {})});
	const chunk = Buffer.alloc(1024 * 1024, 0x20);
	let sent = 0;
	const pump = () => {
		while (sent < bytes) {
			const n = Math.min(chunk.length, bytes - sent);
			sent += n;
			if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
		}
		res.end();
	};
	res.on('error', () => {});
	pump();
}

async function failure(promise: Promise<unknown>): Promise<CpaError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CpaError) return error;
		throw error;
	}
	throw new Error('expected a CpaError');
}

describe('a CPA that misbehaves', () => {
	it('that drips its body a byte a second: the call ends at its total deadline, a retryable error', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.intercept = (route, _req, res) => (route === '/usage-queue' ? (drip(res), true) : false);
		const client = new CpaClient({baseUrl: cpa.url, managementKey: KEY, timeoutMs: 500, deadlineMs: 1500});
		const error = await failure(client.popUsageQueue(500));
		expect(error).not.toBeInstanceOf(CpaAuthError);
		expect(error).toMatchObject({kind: 'unreachable', retryable: true});
		expect(error.message).toBe(`CPA at ${cpa.url} did not finish answering /v0/management/usage-queue within 1.5 s; is it stalled or overloaded? Will retry with backoff.`);
	});

	it('that sends a page larger than its records can be: refused before parsing, announced or streamed', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		let mode: 'stream' | 'declare' = 'stream';
		cpa.intercept = (route, _req, res) => (route === '/usage-queue' ? (huge(res, 40 * 1024 * 1024, mode === 'declare'), true) : false);
		const client = new CpaClient({baseUrl: cpa.url, managementKey: KEY});
		// 10 records may be at most 10 × 64 KiB + 64 KiB.
		const streamed = await failure(client.popUsageQueue(10));
		expect(streamed).toMatchObject({kind: 'payload', retryable: true});
		expect(streamed.message).toBe("CPA's answer to /v0/management/usage-queue is larger than 704 KiB, more than it can plausibly be: refused without parsing; will retry with backoff");
		mode = 'declare';
		const declared = await failure(client.popUsageQueue(10));
		expect(declared.message).toBe("CPA's answer to /v0/management/usage-queue is larger than 704 KiB (it announced 40 MiB), more than it can plausibly be: refused without parsing; will retry with backoff");
	});

	it('gives /usage and /auth-files their own caps', async () => {
		const cpa = await startStandIn({generation: 'v6'});
		cpa.intercept = (route, _req, res) => (route === '/usage' || route === '/auth-files' ? (huge(res, 3 * 1024 * 1024), true) : false);
		const client = new CpaClient({baseUrl: cpa.url, managementKey: KEY, caps: {usage: 2 * 1024 * 1024, authFiles: 1024 * 1024}});
		expect((await failure(client.getUsage())).message).toContain('/v0/management/usage is larger than 2 MiB');
		expect((await failure(client.getAuthFiles())).message).toContain('/v0/management/auth-files is larger than 1 MiB');
		const roomy = new CpaClient({baseUrl: cpa.url, managementKey: KEY, caps: {usage: 4 * 1024 * 1024}});
		expect((await roomy.getUsage()).text).toHaveLength(3 * 1024 * 1024);
	});

	it('that returns more records than asked: the page is refused', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'});
		const page = JSON.stringify(Array.from({length: 501}, (_, i) => v7Record({at: Date.now() - 10_000 + i})));
		cpa.intercept = (route, _req, res) => (route === '/usage-queue' ? (res.end(page), true) : false);
		const pass = await h.collector.trigger();
		expect(pass.ok).toBe(false);
		expect(h.collector.status().lastError).toMatchObject({kind: 'payload', message: '/usage-queue: CPA sent 501 records when asked for at most 500; the page is refused and its records are lost'});
		expect(h.collector.status().stopped).toBeNull();
	});

	it('stalled or oversized shows in /api/collector/status and on the dashboard as a retryable error, and collection goes on', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {COLLECTOR_SOURCE: 'queue'}, {cpa: {timeoutMs: 500, deadlineMs: 1200, caps: {perRecord: 1024, overhead: 1024}}});
		const api = createApiServer({config: {...h.config, port: 0}, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits});
		const {port} = await api.listen();
		onCleanup(() => api.close());
		const status = async () => (await (await fetch(`http://127.0.0.1:${port}/api/collector/status`)).json()) as {last_error: {kind: string; message: string} | null; stopped: unknown};

		let behaviour: 'drip' | 'huge' | 'fine' = 'drip';
		cpa.intercept = (route, _req, res) => {
			if (route !== '/usage-queue' || behaviour === 'fine') return false;
			if (behaviour === 'drip') drip(res);
			else huge(res, 2 * 1024 * 1024);
			return true;
		};
		const sources = {data: localDataSource({db: h.db, zone: h.config.zone, collector: h.collector, limits: h.limits}), zone: h.config.zone, bus: h.bus, now: h.now};
		const {lastFrame} = render(createElement(App, {sources, server: null, compact: false, size: {columns: 100, rows: 30}}));
		const frame = () => (lastFrame() ?? '').replace(/\s*\n\s*/g, ' ');
		await h.collector.trigger();
		expect(await status()).toMatchObject({stopped: null, last_error: {kind: 'unreachable', message: expect.stringContaining('did not finish answering /v0/management/usage-queue within 1.2 s')}});
		await waitFor(() => frame().includes('✖ CPA at') && frame().includes('did not finish answering'), 3000, 'the stall on the dashboard');
		expect(frame()).toContain('● retrying');
		behaviour = 'huge';
		await h.collector.trigger();
		expect(await status()).toMatchObject({stopped: null, last_error: {kind: 'payload', message: expect.stringContaining('is larger than 501 KiB')}});
		await waitFor(() => frame().includes('is larger than 501 KiB'), 3000, 'the oversized answer on the dashboard');
		behaviour = 'fine';
		cpa.enqueue(v7Record({at: Date.now() - 1000}));
		expect((await h.collector.trigger()).inserted).toBe(1);
		expect((await status()).last_error).toBeNull();
	});
});
