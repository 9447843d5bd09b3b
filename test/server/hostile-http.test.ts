import {describe, expect, it} from 'vitest';
import {FailedAuthLimiter} from '../../source/server/auth-limiter.js';
import {clientKey} from '../../source/server/client-address.js';
import {createApiServer, type ApiDeps} from '../../source/server/http-server.js';
import {collectorFor, startStandIn} from '../support/harness.js';
import {idleSocket, openStream, raw} from '../support/raw-http.js';
import {onCleanup} from '../support/temp.js';
import {until} from '../support/wait.js';

const TOKEN = 'tok-0123456789abcdef0123456789';

/** The real server, in process, on 127.0.0.1 and an ephemeral port, over a collector pointed at a stand-in. */
async function serve(env: Record<string, string> = {}, extra: Partial<ApiDeps> = {}) {
	const cpa = await startStandIn({generation: 'v7'});
	const h = collectorFor(cpa, {COLLECTOR_TRIGGER_PORT: '0', ...env});
	const api = createApiServer({config: h.config, collector: h.collector, bus: h.bus, db: h.db, logger: h.logger, now: h.now, limits: h.limits, authLogEveryMs: 200, ...extra});
	const {port} = await api.listen();
	onCleanup(() => api.close());
	return {h, api, port, url: `http://127.0.0.1:${port}`};
}

const bearer = (token: string) => ({authorization: `Bearer ${token}`});

describe('authentication under attack', () => {
	it('a right token always passes, while the same address floods wrong ones and is locked out', async () => {
		const {h, url} = await serve({COLLECTOR_API_TOKEN: TOKEN});
		const codes: number[] = [];
		for (let i = 0; i < 30; i++) {
			codes.push((await raw(`${url}/api/collector/status`, {headers: bearer(`wrong-${i}`)})).status);
			if (i % 5 === 0) expect((await raw(`${url}/api/collector/status`, {headers: bearer(TOKEN)})).status).toBe(200);
		}
		expect(codes.slice(0, 10)).toEqual(new Array(10).fill(401));
		expect(codes.slice(10)).toEqual(new Array(20).fill(429));
		const locked = await raw(`${url}/metrics`, {headers: bearer('wrong')});
		expect(locked.status).toBe(429);
		expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
		expect((await raw(`${url}/metrics`, {headers: bearer(TOKEN)})).status).toBe(200);
		// One line for the lockout and one summary for the burst; never the token, right or wrong.
		await until(() => h.logs.some(l => l.msg === 'failed authentication attempts'), 'the burst summary');
		expect(h.logs.filter(l => l.msg === 'client locked out after repeated failed authentication')).toEqual([expect.objectContaining({level: 'warn', client: '127.0.0.1', failures: 10})]);
		expect(h.logs.find(l => l.msg === 'failed authentication attempts')).toMatchObject({failed: 10, refused_while_locked_out: 21, clients: 1, lockouts: 1, latest_client: '127.0.0.1'});
		expect(h.logs.filter(l => /authentication/.test(l.msg)).length).toBeLessThanOrEqual(3);
		expect(JSON.stringify(h.logs)).not.toMatch(/wrong|tok-0123/);
	});

	it('keeps lockouts across a flood of other addresses: the table stays bounded and is not flushed', async () => {
		const limiter = new FailedAuthLimiter({maxClients: 32});
		const {url} = await serve({COLLECTOR_API_TOKEN: TOKEN}, {authLimiter: limiter});
		for (let i = 0; i < 10; i++) await raw(`${url}/api/collector/events`, {headers: bearer('wrong'), from: '127.0.0.2'});
		expect((await raw(`${url}/api/collector/events`, {headers: bearer('wrong'), from: '127.0.0.2'})).status).toBe(429);
		// 200 other loopback addresses fail twice each: far more than the table holds.
		for (let a = 3; a < 203; a++) {
			for (let k = 0; k < 2; k++) await raw(`${url}/api/collector/events`, {headers: bearer('wrong'), from: `127.0.${Math.floor(a / 250)}.${a % 250}`});
		}
		expect(limiter.size).toBeLessThanOrEqual(32);
		expect((await raw(`${url}/api/collector/events`, {headers: bearer('wrong'), from: '127.0.0.2'})).status).toBe(429);
		expect((await raw(`${url}/api/collector/events`, {headers: bearer(TOKEN), from: '127.0.0.2'})).status).toBe(200);
	});

	it('counts IPv6 clients by /64 and IPv4-mapped addresses as IPv4', () => {
		expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientKey('::1')).toBe('0:0:0:0::/64');
		expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(clientKey('::ffff:127.0.0.9')).toBe('127.0.0.9');
		expect(clientKey('10.1.2.3')).toBe('10.1.2.3');
	});

	it('matches a UTF-8 token sent as UTF-8 bytes', async () => {
		const token = 'clé-secrète-ünïcødé-🔑-0123';
		const {url} = await serve({COLLECTOR_API_TOKEN: token});
		// Header bytes exactly as curl sends what was typed: UTF-8.
		const header = `Bearer ${Buffer.from(token, 'utf8').toString('latin1')}`;
		expect((await raw(`${url}/api/collector/status`, {headers: {authorization: header}})).status).toBe(200);
		expect((await raw(`${url}/api/collector/status`, {headers: {authorization: `Bearer ${Buffer.from(`${token}x`, 'utf8').toString('latin1')}`}})).status).toBe(401);
	});
});

describe('Host and Origin (DNS rebinding, cross-site forms)', () => {
	it('answers only its own address, localhost and COLLECTOR_ALLOWED_HOSTS, on every route, token or no token', async () => {
		for (const env of [{}, {COLLECTOR_API_TOKEN: TOKEN}] as Array<Record<string, string>>) {
			const {url, port} = await serve({...env, COLLECTOR_ALLOWED_HOSTS: 'usage.example.com'});
			const auth = 'COLLECTOR_API_TOKEN' in env ? bearer(TOKEN) : {};
			for (const path of ['/api/collector/health', '/api/collector/status', '/api/collector/events', '/api/collector/stream', '/api/data/daily', '/api/data/models', '/api/data/rate-limits', '/metrics', '/no/such/route']) {
				const evil = await raw(`${url}${path}`, {headers: {...auth, host: `rebind.evil.example:${port}`}});
				expect(evil.status, path).toBe(421);
				expect(JSON.parse(evil.text)).toEqual({error: `Host "rebind.evil.example:${port}" is not a name of this server: add it to COLLECTOR_ALLOWED_HOSTS to use it`});
			}
			const trigger = await raw(`${url}/api/collector/trigger`, {method: 'POST', headers: {...auth, host: 'rebind.evil.example'}});
			expect(trigger.status).toBe(421);
			for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', 'localhost.', `usage.example.com:${port}`, 'usage.example.com']) {
				expect((await raw(`${url}/api/collector/health`, {headers: {host}})).status, host).toBe(200);
				expect((await raw(`${url}/api/collector/status`, {headers: {...auth, host}})).status, host).toBe(200);
			}
			for (const host of ['127.0.0.2', '[::1]', 'example.com', 'localhost.evil.example', '127.0.0.1.nip.io', 'usage.example.com.evil.example']) {
				expect((await raw(`${url}/api/collector/health`, {headers: {host}})).status, host).toBe(421);
			}
		}
	});

	it('refuses state changes from a foreign Origin, cross-site fetches, and form content types', async () => {
		const {h, url, port} = await serve({COLLECTOR_CORS_ORIGINS: 'https://grafana.example.com'});
		const id = h.limits.add({provider: 'A', tier_name: 'T', model_pattern: 'x', strategy: 'daily', token_limit: 10}).status.config.id;
		const post = (path: string, headers: Record<string, string>, body?: string) => raw(`${url}${path}`, {method: 'POST', headers, body});
		expect(await post('/api/collector/trigger', {origin: 'https://evil.example'})).toMatchObject({status: 403});
		expect(await post(`/api/collector/reset/${id}`, {origin: 'null'})).toMatchObject({status: 403});
		expect(await post(`/api/collector/reset/${id}`, {'sec-fetch-site': 'cross-site'})).toMatchObject({status: 403});
		for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
			const refused = await post(`/api/collector/reset/${id}`, {'content-type': type}, 'a=b');
			expect(refused.status, type).toBe(415);
			expect(JSON.parse(refused.text).error).toMatch(/is what a web form can send, so it is refused here/);
		}
		expect((h.limits.list()[0] as {anchored: boolean}).anchored).toBe(false);
		// Same origin, an allowed origin, or no browser at all.
		expect((await post('/api/collector/trigger', {origin: `http://127.0.0.1:${port}`})).status).toBe(202);
		expect((await post('/api/collector/trigger', {origin: 'https://grafana.example.com', 'content-type': 'text/plain'}, '')).status).toBe(202);
		expect((await post(`/api/collector/reset/${id}`, {'content-type': 'application/json'}, '{}')).status).toBe(200);
		expect((await post(`/api/collector/reset/${id}`, {})).status).toBe(200);
		// Reads are not refused for an Origin; without CORS headers a page cannot read them.
		const read = await raw(`${url}/api/collector/status`, {headers: {origin: 'https://evil.example'}});
		expect(read.status).toBe(200);
		expect(read.headers['access-control-allow-origin']).toBeUndefined();
	});
});

describe('the server under load and odd requests', () => {
	it('caps sockets per client and leaves other clients served', async () => {
		const {url, port, api} = await serve({}, {connectionLimits: {connectionsPerClient: 4}});
		const sockets = await Promise.all(Array.from({length: 8}, () => idleSocket(port, '127.0.0.5')));
		onCleanup(() => sockets.forEach(s => s.destroy()));
		await until(() => sockets.filter(s => s.destroyed || s.readyState !== 'open').length >= 4, 'the sockets past the cap to close');
		expect(sockets.filter(s => !s.destroyed && s.readyState === 'open')).toHaveLength(4);
		expect((await raw(`${url}/api/collector/health`, {from: '127.0.0.6'})).status).toBe(200);
		expect(api.server.maxConnections).toBe(512);
		// Idle and slow sockets are still timed out.
		expect(api.server.headersTimeout).toBe(10_000);
		expect(api.server.requestTimeout).toBe(30_000);
		expect(api.server.keepAliveTimeout).toBe(5_000);
	});

	it('caps event streams per client and in all (503), and HEAD on the stream subscribes nobody', async () => {
		const {url, api} = await serve({}, {connectionLimits: {streams: 3, streamsPerClient: 2}});
		const open: Array<() => void> = [];
		onCleanup(() => open.forEach(close => close()));
		const stream = async (from: string) => {
			const s = await openStream(`${url}/api/collector/stream`, from);
			open.push(s.close);
			return s;
		};
		for (let i = 0; i < 3; i++) expect((await raw(`${url}/api/collector/stream`, {method: 'HEAD'})).status).toBe(200);
		expect(api.hub.size).toBe(0);
		expect((await stream('127.0.0.1')).status).toBe(200);
		expect((await stream('127.0.0.1')).status).toBe(200);
		const perClient = await stream('127.0.0.1');
		expect(perClient.status).toBe(503);
		expect(perClient.headers['retry-after']).toBe('30');
		expect((await stream('127.0.0.8')).status).toBe(200);
		expect((await stream('127.0.0.9')).status).toBe(503);
		expect(api.hub.size).toBe(3);
		// A closed stream frees its place.
		open[0]!();
		await until(() => api.hub.size === 2, 'the closed stream to leave');
		expect((await stream('127.0.0.9')).status).toBe(200);
	});

	it('answers bad percent-encoding and unparsable targets with 400 and no error log line', async () => {
		const {h, url} = await serve();
		const bad = await raw(`${url}/api/collector/reset/%E0%A4%A`, {method: 'POST'});
		expect(bad).toMatchObject({status: 400});
		expect(JSON.parse(bad.text)).toEqual({error: 'Malformed URL: bad percent-encoding'});
		expect((await raw(url, {method: 'POST', path: '/api/collector/reset/%zz'})).status).toBe(400);
		expect((await raw(url, {path: '//['})).status).toBeLessThan(500);
		expect(h.logs.filter(l => l.level === 'error')).toEqual([]);
	});
});
