import {describe, expect, it} from 'vitest';
import {createRespBackend} from '../../source/app/services.js';
import {respEndpoint} from '../../source/cliproxy/resp-connection.js';
import type {RespBackendDeps} from '../../source/collector/resp-backend.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {RedisServer} from '../support/redis-server.js';
import {skipWithout, titled} from '../support/tools.js';
import type {RawResp} from '../support/resp-wire.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');

/**
 * The RESP backend against a real redis-server (PUBLISH stands in for CPA's pushes, RPUSH
 * for its queue). CPA's HTTP side (version, statistics switch) is the stand-in, a v7 with
 * SUBSCRIBE; the backend is told to drain with LPOP, so the queue it drains is redis's.
 */
async function collectorOnRedis(redis: RedisServer, overrides: Partial<RespBackendDeps> = {}): Promise<Harness> {
	// A CPA with SUBSCRIBE (v7.0.7+) for HTTP; its RESP side is the real redis-server, drained with LPOP there.
	const cpa = await startStandIn({generation: 'v7'});
	return collectorFor(
		cpa,
		{COLLECTOR_SOURCE: 'resp'},
		{
			backends: parts => ({
				resp: () =>
					createRespBackend(parts, {
						endpoint: respEndpoint(`http://127.0.0.1:${redis.port}`),
						managementKey: redis.password,
						reconnect: {baseMs: 20, capMs: 200},
						drain: 'lpop',
						...overrides,
					}),
			}),
		},
	);
}

const rows = (h: Harness) => count(h, 'SELECT count(*) n FROM requests');
const transport = (h: Harness) => h.collector.status().transport!;

/** Commands MONITOR saw, lower-cased, from every client but the monitor itself. */
async function monitor(redis: RedisServer): Promise<{commands: string[][]; raw: RawResp}> {
	const raw = await redis.client();
	expect(await raw.command('MONITOR')).toBe('OK');
	const commands: string[][] = [];
	void (async () => {
		for (;;) {
			const line = await raw.read(60_000).catch(() => null);
			if (typeof line !== 'string') return;
			const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]!);
			if (args.length) commands.push([args[0]!.toLowerCase(), ...args.slice(1)]);
		}
	})();
	return {commands, raw};
}

describe.skipIf(skipWithout('redis-server'))(titled('RESP backend on a real redis-server', 'redis-server'), () => {
	it('subscribes, and every published record lands once in SQLite', async () => {
		const redis = await RedisServer.start();
		const h = await collectorOnRedis(redis);
		expect((await h.collector.trigger()).ok).toBe(true);
		expect(transport(h)).toMatchObject({state: 'subscribed', path: 'subscribe', reconnects: 0, supportsRefresh: false});
		const publisher = await redis.client();
		const records = [v7Record({at: day}), v7Record({at: day + 1, model: 'gpt-5', provider: 'codex'}), v7Record({at: day + 2})];
		for (const r of [...records, records[0]!]) expect(await publisher.command('PUBLISH', 'usage', JSON.stringify(r))).toBe(1);
		await until(() => rows(h) === 3, 'three rows');
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, received: 4, inserted: 3, skipped: 0});
		expect(rows(h)).toBe(3);
		expect(count(h, "SELECT count(*) n FROM requests_full WHERE origin = 'resp'")).toBe(3);
		expect(count(h, 'SELECT sum(requests) n FROM usage_1h')).toBe(3);
		expect(h.bus.recent().some(e => e.type === 'usage_delta' && (e.data as {backend: string}).backend === 'resp')).toBe(true);

		// Stopping leaves with QUIT and commits what was still in flight.
		for (let i = 0; i < 20; i++) await publisher.command('PUBLISH', 'usage', JSON.stringify(v7Record({at: day + 100 + i})));
		await h.collector.stop();
		expect(rows(h)).toBe(23);
	});

	it('skips malformed messages and keeps the rest', async () => {
		const redis = await RedisServer.start();
		const h = await collectorOnRedis(redis);
		await h.collector.trigger();
		const publisher = await redis.client();
		for (const text of ['not json at all', '"just a string"', JSON.stringify({...v7Record({at: day}), tokens: {input_tokens: 'many'}}), '{"timestamp":"yesterday"}', JSON.stringify(v7Record({at: day + 5}))]) {
			await publisher.command('PUBLISH', 'usage', text);
		}
		await until(() => rows(h) === 1, 'the one good record');
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, received: 5, inserted: 1, skipped: 4});
		const fields = h.logs.filter(l => l.msg === 'skipped a malformed usage record').map(l => l['field']);
		expect(fields).toEqual(['record', 'record', 'tokens.input_tokens', 'timestamp']);
		expect(transport(h).state).toBe('subscribed');
	});

	it('reconnects after the server restarts, then receives again', async () => {
		const redis = await RedisServer.start();
		const h = await collectorOnRedis(redis);
		await h.collector.trigger();
		await redis.stop();
		await until(() => transport(h).state === 'reconnecting', 'noticed the loss');
		const down = await h.collector.trigger();
		expect(down.ok).toBe(false);
		expect(down.error).toMatch(/Cannot reach CPA's Redis-protocol port at 127\.0\.0\.1:\d+: connection refused/);
		expect(h.collector.status().stopped).toBeNull();
		expect(transport(h)).toMatchObject({path: 'lpop', lastError: expect.stringContaining('127.0.0.1')});
		await redis.run();
		await until(() => transport(h).state === 'subscribed', 'subscribed again');
		expect(transport(h).reconnects).toBe(1);
		const publisher = await redis.client();
		expect(await publisher.command('PUBLISH', 'usage', JSON.stringify(v7Record({at: day})))).toBe(1);
		await until(() => rows(h) === 1, 'a record after the restart');
		await until(() => h.collector.status().lastError === null, 'the woken pass clears the error');
	});

	it('drains what was queued with LPOP usage 500 while not subscribed, and once after subscribing', async () => {
		const redis = await RedisServer.start();
		const {commands} = await monitor(redis);
		const queue = await redis.client();
		for (let i = 0; i < 1200; i++) await queue.command('RPUSH', 'usage', JSON.stringify(v7Record({at: day + i})));
		const h = await collectorOnRedis(redis, {reconnect: {baseMs: 60_000, capMs: 60_000}});
		const first = await h.collector.trigger();
		expect(first).toMatchObject({ok: true, received: 1200, inserted: 1200});
		expect(await queue.command('LLEN', 'usage')).toBe(0);

		// The subscription goes; records queued meanwhile are drained on the next pass.
		expect(await queue.command('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(1);
		await until(() => transport(h).state === 'reconnecting', 'noticed the kill');
		expect(transport(h)).toMatchObject({path: 'lpop', failedAttempts: 1});
		await h.collector.trigger(); // let the pass the loss woke finish first
		for (let i = 0; i < 3; i++) await queue.command('RPUSH', 'usage', JSON.stringify(v7Record({at: day + 5000 + i})));
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 3});
		expect(rows(h)).toBe(1203);
		const pops = commands.filter(c => c[0] === 'lpop');
		expect(pops.length).toBeGreaterThanOrEqual(4);
		expect(pops.every(c => c[1] === 'usage' && c[2] === '500')).toBe(true);
	});

	it('sends only AUTH, SUBSCRIBE usage, PING and LPOP usage N (MONITOR)', async () => {
		const redis = await RedisServer.start();
		const {commands} = await monitor(redis);
		const h = await collectorOnRedis(redis);
		await h.collector.trigger();
		await h.collector.trigger();
		await until(() => commands.some(c => c[0] === 'ping'), 'a PING');
		const names = new Set(commands.map(c => c[0]).filter(c => c !== 'monitor'));
		expect([...names].sort()).toEqual(expect.arrayContaining(['lpop', 'ping', 'subscribe']));
		for (const name of names) expect(['auth', 'subscribe', 'ping', 'lpop', 'quit']).toContain(name);
		expect(commands.filter(c => c[0] === 'subscribe')).toEqual([['subscribe', 'usage']]);
	});

	it('stops for good on a rejected password: one AUTH, no reconnect loop', async () => {
		const redis = await RedisServer.start();
		const h = await collectorOnRedis(redis, {managementKey: 'not-the-password'});
		const pass = await h.collector.trigger();
		expect(pass.ok).toBe(false);
		expect(pass.error).toContain('RESP AUTH refused: CPA rejected the management key ("invalid username-password pair or user is disabled.")');
		const status = h.collector.status();
		expect(status.stopped?.reason).toBe(pass.error);
		expect(status.lastError?.kind).toBe('auth');
		const stats = await redis.client();
		const connections = async () => Number(/total_connections_received:(\d+)/.exec(String(await stats.command('INFO', 'stats')))![1]);
		const before = await connections();
		for (let i = 0; i < 5; i++) await h.collector.trigger();
		await new Promise(r => setTimeout(r, 300));
		expect(await connections()).toBe(before);
		expect(JSON.stringify(h.logs)).not.toContain('not-the-password');
	});
});
