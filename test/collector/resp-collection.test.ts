import {describe, expect, it} from 'vitest';
import {createRespBackend, createServices} from '../../source/app/services.js';
import {subscriberWarning} from '../../source/collector/resp-status.js';
import {createLogger} from '../../source/runtime/logger.js';
import type {CpaStandIn} from '../support/cpa-stand-in.js';
import {v7Record} from '../support/fixtures.js';
import {collectorFor, count, startStandIn, type Harness} from '../support/harness.js';
import {RawResp} from '../support/resp-wire.js';
import {onCleanup, testConfig} from '../support/temp.js';
import {until} from '../support/wait.js';

const day = Date.parse('2026-11-23T09:00:00Z');
const rows = (h: Harness) => count(h, 'SELECT count(*) n FROM requests');
const transport = (h: Harness) => h.collector.status().transport!;
/** Commands as CPA reads them: it upper-cases the name (ioredis sends it lower-case). */
const received = (cpa: CpaStandIn) => cpa.respLog.map(c => ({...c, args: [c.args[0]!.toUpperCase(), ...c.args.slice(1)]}));
/** Services on the stand-in, the RESP backend reconnecting within milliseconds rather than seconds. */
const collect = (cpa: CpaStandIn, env: Record<string, string> = {}) =>
	collectorFor(cpa, env, {backends: parts => ({resp: () => createRespBackend(parts, {reconnect: {baseMs: 20, capMs: 200}})})});

describe('RESP transport against the CPA stand-in (CPA multiplexes RESP on its HTTP port)', () => {
	it('auto subscribes; records are pushed, never queued; only CPA-accepted commands are sent', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collect(cpa);
		const pass = await h.collector.trigger();
		expect(pass.ok, pass.error).toBe(true);
		expect(h.collector.status().source.active).toBe('resp');
		expect(transport(h)).toMatchObject({state: 'subscribed', path: 'subscribe', supportsRefresh: true, endpoint: `127.0.0.1:${cpa.port}`});
		expect(cpa.subscriberCount).toBe(1);

		for (let i = 0; i < 50; i++) cpa.enqueue(v7Record({at: day + i}));
		expect(cpa.queueLength).toBe(0);
		await until(() => rows(h) === 50, '50 pushed records');
		cpa.publishRefresh();
		const next = await h.collector.trigger();
		expect(next).toMatchObject({ok: true, received: 50, inserted: 50, skipped: 0});
		expect(transport(h).messages).toBe(52); // support_refresh + 50 records + refresh

		// Every connection opens with AUTH <key> (one argument) and sends nothing CPA would refuse.
		const log = received(cpa);
		const connections = new Set(log.map(c => c.connection));
		for (const connection of connections) {
			const commands = log.filter(c => c.connection === connection);
			expect(commands[0]!.args).toEqual(['AUTH', 'test-management-key']);
			expect(commands.filter(c => !c.authed).map(c => c.args[0])).toEqual(['AUTH']);
		}
		const shapes = new Set(log.map(c => [c.args[0], ...c.args.slice(1).map((a, i) => (c.args[0] === 'AUTH' ? '<key>' : i === 1 ? 'N' : a))].join(' ')));
		expect([...shapes].sort()).toEqual(['AUTH <key>', 'PING', 'SUBSCRIBE usage']);
		expect(log.filter(c => c.args[0] === 'PING').every(c => c.subscribed)).toBe(true);
	});

	it('warns loudly about the one-consumer trap: status, bus event, log', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collect(cpa);
		await h.collector.trigger();
		const warning = subscriberWarning(`127.0.0.1:${cpa.port}`);
		expect(warning).toContain("CPA's HTTP usage queue stays empty");
		expect(h.collector.status().warnings).toContain(warning);
		expect(h.bus.recent().filter(e => e.type === 'warning').map(e => (e.data as {message: string}).message)).toContain(warning);
		expect(h.logs.some(l => l.level === 'warn' && l.msg === warning)).toBe(true);
	});

	it('drains records queued before it subscribed', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		for (let i = 0; i < 700; i++) cpa.enqueue(v7Record({at: day + i}));
		const h = collect(cpa);
		expect(await h.collector.trigger()).toMatchObject({ok: true, received: 700, inserted: 700});
		expect(cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue')).map(r => r.path)).toEqual([
			'/v0/management/usage-queue?count=500',
			'/v0/management/usage-queue?count=500',
		]);
		await h.collector.trigger();
		expect(cpa.log.filter(r => r.path.startsWith('/v0/management/usage-queue'))).toHaveLength(2); // subscribed: no more polling
	});

	it('while the subscription is down, drains the HTTP queue so nothing is lost; then subscribes again', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collect(cpa);
		await h.collector.trigger();
		cpa.respMode = 'refuse';
		cpa.dropSubscribers(); // as CPA does to a subscriber whose 256-slot buffer is full
		await until(() => transport(h).state === 'reconnecting', 'noticed the drop');
		expect(h.logs.some(l => l.msg === "RESP subscription lost; draining CPA's queue over HTTP until it is back")).toBe(true);
		await h.collector.trigger(); // let the pass the loss woke finish first

		for (let i = 0; i < 30; i++) cpa.enqueue(v7Record({at: day + i}));
		expect(cpa.queueLength).toBe(30); // no subscriber: CPA queues
		const pass = await h.collector.trigger();
		expect(pass).toMatchObject({ok: true, inserted: 30});
		expect(transport(h)).toMatchObject({state: 'reconnecting', path: 'http'});
		expect(transport(h).summary).toContain("draining CPA's queue over HTTP (/usage-queue) every pass until reconnected");
		// Not subscribed, so no warning that says it is.
		expect(h.collector.status().warnings).not.toContain(subscriberWarning(`127.0.0.1:${cpa.port}`));

		cpa.respMode = 'cpa';
		await until(() => transport(h).state === 'subscribed', 'subscribed again');
		expect(h.collector.status().warnings).toContain(subscriberWarning(`127.0.0.1:${cpa.port}`));
		expect(transport(h).reconnects).toBe(1);
		cpa.enqueue(v7Record({at: day + 100}));
		expect(cpa.queueLength).toBe(0);
		await until(() => rows(h) === 31, 'the pushed record');
	});

	it('uses LPOP usage N on CPAs without the HTTP queue (v6.10.0 to v6.10.7)', async () => {
		const cpa = await startStandIn({generation: 'v6.10-early'});
		for (let i = 0; i < 3; i++) cpa.enqueue(v7Record({at: day + i}, '6.10.8'));
		const h = collect(cpa);
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 3});
		expect(received(cpa).filter(c => c.args[0] === 'LPOP').map(c => c.args)).toEqual([['LPOP', 'usage', '500']]);
		expect(cpa.log.some(r => r.path.startsWith('/v0/management/usage-queue'))).toBe(false);
		// These versions have no SUBSCRIBE: never sent; every pass drains with LPOP instead.
		cpa.enqueue(v7Record({at: day + 10}, '6.10.8'));
		expect(await h.collector.trigger()).toMatchObject({ok: true, inserted: 1});
		expect(received(cpa).some(c => c.args[0] === 'SUBSCRIBE')).toBe(false);
		expect(transport(h)).toMatchObject({state: 'drain_only', path: 'lpop'});
		expect(transport(h).summary).toBe("not subscribing (CPA 6.10.3 has no SUBSCRIBE); draining CPA's queue with LPOP over RESP every pass");
		expect(h.collector.status().warnings.some(w => w.includes('subscrib'))).toBe(false);
	});

	it('stops at once when CPA answers AUTH with an error: one attempt, clear message, no other command', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collectorFor(cpa, {}, {backends: parts => ({resp: () => createRespBackend(parts, {managementKey: 'a-wrong-key'})})});
		const pass = await h.collector.trigger();
		expect(pass.error).toBe(
			'RESP AUTH refused: CPA rejected the management key ("invalid management key"). Set CLIPROXY_MANAGEMENT_KEY to CPA\'s remote-management.secret-key (plaintext) and restart; collection is stopped because CPA bans an IP for 30 minutes after 5 failed attempts.',
		);
		expect(h.collector.status()).toMatchObject({stopped: {reason: pass.error}, lastError: {kind: 'auth'}});
		for (let i = 0; i < 5; i++) await h.collector.trigger();
		await new Promise(r => setTimeout(r, 200));
		expect(received(cpa).map(c => c.args)).toEqual([['AUTH', 'a-wrong-key']]);
		expect(JSON.stringify(h.logs)).not.toContain('a-wrong-key');
	});

	it('stops without a retry loop when the key changes under a live subscription', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		const h = collect(cpa);
		await h.collector.trigger();
		cpa.options.managementKey = 'rotated-key';
		cpa.dropSubscribers();
		await until(() => h.collector.status().stopped !== null, 'collection stopped');
		// The reconnect's AUTH and the woken pass's HTTP drain may both meet the new key: never more.
		expect(h.collector.status().stopped!.reason).toContain('CPA rejected the management key ("invalid management key")');
		await new Promise(r => setTimeout(r, 300));
		for (let i = 0; i < 5; i++) await h.collector.trigger();
		const failedRespAuth = received(cpa).filter(c => c.args[0] === 'AUTH' && c.args[1] !== 'rotated-key').length - 1;
		const failedHttp = cpa.log.filter(r => r.status === 401).length;
		expect(failedRespAuth + failedHttp).toBeGreaterThanOrEqual(1);
		expect(failedRespAuth + failedHttp).toBeLessThanOrEqual(2);
		expect(h.collector.status().transport).toMatchObject({state: 'stopped'});
	});

	it('stops with CPA\'s own words when the IP is banned', async () => {
		const cpa = await startStandIn({generation: 'v7', managementKey: 'k'});
		const h = collect(cpa, {CLIPROXY_MANAGEMENT_KEY: 'k'});
		await h.collector.trigger();
		for (let i = 0; i < 5; i++) await fetch(`${cpa.url}/v0/management/usage-queue`, {headers: {authorization: 'Bearer nope'}});
		cpa.dropSubscribers();
		await until(() => h.collector.status().stopped !== null, 'collection stopped');
		expect(h.collector.status().stopped!.reason).toContain(
			'CPA has banned this IP after repeated failed logins ("IP banned due to too many failed attempts. Try again in 30m0s")',
		);
	});

	it('keeps collecting over HTTP when RESP cannot get through (a reverse proxy, home mode)', async () => {
		for (const [mode, says] of [
			['http-proxy', 'does not answer in the Redis protocol: RESP needs a direct TCP path to CPA v6.10 or later'],
			['home', 'refuses usage output in home mode ("redis usage output disabled in home mode")'],
		] as const) {
			const cpa = await startStandIn({generation: 'v7'});
			cpa.respMode = mode;
			const h = collect(cpa);
			cpa.enqueue(v7Record({at: day}));
			const pass = await h.collector.trigger();
			expect(pass, mode).toMatchObject({ok: true, inserted: 1});
			expect(h.collector.status().stopped).toBeNull();
			expect(transport(h)).toMatchObject({state: 'reconnecting', path: 'http'});
			expect(transport(h).lastError).toContain(says);
		}
	});

	it('a one-shot run never subscribes: COLLECTOR_SOURCE=resp drains with LPOP', async () => {
		const cpa = await startStandIn({generation: 'v7'});
		cpa.enqueue(v7Record({at: day}), v7Record({at: day + 1}));
		const config = testConfig({CLIPROXY_URL: cpa.url, COLLECTOR_SOURCE: 'resp'});
		const services = createServices(config, {logger: createLogger({level: 'silent', sink: () => {}}), oneShot: true});
		onCleanup(() => services.cleanup.run());
		expect(await services.collector.trigger()).toMatchObject({ok: true, inserted: 2});
		expect(services.collector.status().transport).toMatchObject({state: 'drain_only', path: 'lpop'});
		expect(services.collector.status().warnings).toEqual([]);
		expect(received(cpa).map(c => c.args[0])).toEqual(['AUTH', 'LPOP']);
		const raw = await RawResp.connect(cpa.port);
		onCleanup(() => raw.close());
		expect(await raw.command('AUTH', 'test-management-key')).toBe('OK');
		expect(await raw.command('LPOP', 'usage', '500')).toEqual([]); // CPA's *0
	});
});
