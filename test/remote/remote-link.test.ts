import type {ServerResponse} from 'node:http';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {describe, expect, it} from 'vitest';
import {RemoteClient} from '../../source/remote/remote-client.js';
import {RemoteSource, type RemoteLink} from '../../source/remote/remote-source.js';
import {remoteText, statusLineParts} from '../../source/ui/status-text.js';
import {App} from '../../source/ui/app.js';
import {alertsFor} from '../../source/ui/view-model.js';
import {waitFor} from '../support/headless-process.js';
import {loopbackServer} from '../support/remote.js';
import {onCleanup} from '../support/temp.js';
import {snapshot, status} from '../support/ui-fixtures.js';


const link = (over: Partial<RemoteLink> = {}): RemoteLink => ({label: 'server:5001', state: 'live', heardAt: 1_000_000, staleMs: 45_000, error: null, nextAttemptAt: null, ...over});

describe('the remote link in the status line and the alerts', () => {
	it('says whose data and how old, first; stale past the threshold or while down', () => {
		expect(remoteText(link(), 1_000_500)).toEqual({text: 'remote: server:5001 · updated just now', health: null});
		expect(remoteText(link(), 1_012_000)).toEqual({text: 'remote: server:5001 · updated 12s ago', health: null});
		expect(remoteText(link(), 1_046_000)).toEqual({text: 'remote: server:5001 · STALE, updated 46s ago', health: 'yellow'});
		expect(remoteText(link({state: 'reconnecting'}), 1_003_000).text).toBe('remote: server:5001 · reconnecting · STALE, updated 3s ago');
		expect(remoteText(link({state: 'refused'}), 1_003_000)).toMatchObject({health: 'red'});
		const parts = statusLineParts(status(), {remote: link()}, 1_000_500);
		expect(parts.text.startsWith('remote: server:5001 · updated just now · ')).toBe(true);
		expect(parts.api).toBe('');
	});

	it('an alert with the reason while reconnecting or refused, none while live', () => {
		expect(alertsFor(status(), {remote: link()})).toEqual([]);
		expect(alertsFor(status(), {remote: link({state: 'reconnecting', error: 'nothing listens at http://server:5001 (connection refused): is cliproxy-usage --headless running there?', nextAttemptAt: 1})})).toEqual([
			{level: 'warning', text: 'nothing listens at http://server:5001 (connection refused): is cliproxy-usage --headless running there? Reconnecting with backoff.'},
		]);
		expect(alertsFor(status(), {remote: link({state: 'refused', error: 'refused (HTTP 401): set COLLECTOR_API_TOKEN'})})).toEqual([{level: 'error', text: 'refused (HTTP 401): set COLLECTOR_API_TOKEN'}]);
	});
});

describe('a remote that goes silent', () => {
	it('is dropped after the silence threshold and reconnected with backoff; each stream reads the data again', async () => {
		let dashboards = 0;
		const streams: ServerResponse[] = [];
		const url = await loopbackServer((req, res) => {
			if (req.url?.startsWith('/api/data/dashboard')) {
				dashboards++;
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: snapshot(), status: status()}));
				return;
			}
			// A stream that opens with its snapshot and then says nothing, not even a heartbeat.
			res.writeHead(200, {'content-type': 'text/event-stream'});
			res.write('retry: 5000\n\nid: 1\nevent: snapshot\ndata: {}\n\n');
			streams.push(res);
		});
		const states: string[] = [];
		const source = new RemoteSource({client: new RemoteClient({base: new URL(url), token: null}), label: 'x', staleMs: 300, backoff: {baseMs: 50, capMs: 100}, coalesceMs: 10, onLink: l => states.push(`${l.state}${l.error ? `: ${l.error}` : ''}`)});
		onCleanup(() => source.stop());
		await source.start('today');
		await waitFor(() => streams.length >= 2 && dashboards >= 3, 5000, 'a second stream');
		expect(states).toContain(`reconnecting: ${url} went silent (no event or heartbeat for 0s)`);
		expect(states.at(-1)).toBe('live');
	});
});

describe('a remote that starts refusing', () => {
	it('(a token rotated on the server) stops at the first 401: refused, the fix shown, no request after it', async () => {
		const requests: string[] = [];
		const url = await loopbackServer((req, res) => {
			requests.push(req.url ?? '');
			if (requests.length === 1) {
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: snapshot(), status: status()}));
				return;
			}
			res.writeHead(401, {'content-type': 'application/json'});
			res.end('{"error":"Unauthorized: send Authorization: Bearer <COLLECTOR_API_TOKEN>"}');
		});
		const source = new RemoteSource({client: new RemoteClient({base: new URL(url), token: 'old-token-0123456789abcdef'}), label: 'x', backoff: {baseMs: 10, capMs: 20}});
		onCleanup(() => source.stop());
		await source.start('today');
		await waitFor(() => source.current.state === 'refused', 5000, 'refused');
		expect(source.current.error).toBe(`${url} refused the connection (HTTP 401): set COLLECTOR_API_TOKEN to the token that instance was started with. Not retried (failed attempts lock an address out).`);
		expect(alertsFor(status(), {remote: source.current})[0]).toMatchObject({level: 'error'});
		expect(source.collect()).toBe('r does nothing: the remote refused this dashboard (see above).');
		await new Promise(r => setTimeout(r, 300));
		expect(requests).toEqual(['/api/data/dashboard?period=today', '/api/collector/stream']);
		// The last data stays readable.
		expect(source.read('today', Date.now()).period).toBe('today');
	});
});

describe('hostile text from a remote', () => {
	it('reaches the frame only through the views’ sanitiser, as local data does', async () => {
		const evil = 'evil-\u001B]52;c;cm0gLXJmIH4=\u0007-model\u009B2J';
		const data = snapshot();
		const hostile = {
			...data,
			models: [{...data.models[0]!, model: evil, provider: '\u001B[31mred'}],
			accounts: [{authIndex: 'a1', label: `\u001B]0;title\u0007alice@example.com`, provider: 'claude', plan: null, accountType: null, state: 'active', cooldownUntil: null, reason: '\u001B[2J', modelCooldowns: [], lastRequestAt: null, usage: {requests: 1, failed: 0, rateLimited: 0, cancelled: 0, tokens: 1, costUsd: 0, estimatedRequests: 0}, quotas: [{id: '5h', label: '5h\u001B[1A', usedPercent: 50, resetsAt: null, status: 'allowed', source: 'headers', observedAt: Date.now(), ageMs: 0, ratePerHour: null, projectedExhaustionAt: null}]}],
		};
		const url = await loopbackServer((req, res) => {
			if (req.url?.startsWith('/api/data/dashboard')) {
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: hostile, status: status({warnings: ['\u001B]52;c;AAAA\u0007 warning']})}));
				return;
			}
			res.writeHead(200, {'content-type': 'text/event-stream'});
			res.write(': ping\n\n');
		});
		const source = new RemoteSource({client: new RemoteClient({base: new URL(url), token: null}), label: '\u001B[2Jhost'});
		onCleanup(() => source.stop());
		await source.start('today');
		const {lastFrame, unmount} = render(createElement(App, {sources: {data: source, zone: source.zone, bus: source.bus, now: Date.now}, server: {remote: source.current}, compact: false, size: {columns: 140, rows: 40}}));
		onCleanup(() => unmount());
		const frame = lastFrame()!;
		expect(frame).toContain('evil-␛]52;c;cm0gLXJmIH4=␇-model');
		expect(frame).toContain('remote: ␛[2Jhost');
		// FORCE_COLOR=0: nothing in the frame is an escape sequence, ours or theirs.
		expect(frame).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
	});
});

describe('a remote whose clock is off', () => {
	it('the dashboard runs on the remote’s clock, so its countdowns and ages read right; synced clocks are left alone', async () => {
		let ahead = 3_600_000;
		const url = await loopbackServer((req, res) => {
			if (req.url?.startsWith('/api/data/dashboard')) {
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({schema: 1, zone: {kind: 'iana', name: 'UTC'}, data: {...snapshot(), at: Date.now() + ahead}, status: status()}));
				return;
			}
			res.writeHead(200, {'content-type': 'text/event-stream'});
			res.write(': ping\n\n');
		});
		const client = new RemoteClient({base: new URL(url), token: null});
		const fast = new RemoteSource({client, label: 'x'});
		onCleanup(() => fast.stop());
		await fast.start('today');
		expect(Math.abs(fast.clock() - Date.now() - ahead)).toBeLessThan(1000);
		expect(remoteText(fast.current, fast.clock()).text).toBe('remote: x · updated just now');

		ahead = 300;
		const synced = new RemoteSource({client, label: 'x'});
		onCleanup(() => synced.stop());
		await synced.start('today');
		expect(Math.abs(synced.clock() - Date.now())).toBeLessThan(50);
	});
});
