import {createServer, request, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {openDatabase} from '../../source/store/database.js';
import {storeWindows} from '../../source/store/quota-windows.js';
import {seedDashboardDb} from './dashboard.js';
import {onCleanup} from './temp.js';

export const REMOTE_TOKEN = 'tok-remote-0123456789abcdef01234567';
export const STAND_IN_KEY = 'test-management-key';
/** The stand-in's own credential (cpa-stand-in.ts lists it from the start). */
export const STAND_IN_ACCOUNT = 'a1b2c3d4e5f67890';

/** The dashboard's seeded day plus official windows for the stand-in's account, so every panel and both gauge kinds have rows. */
export function seedRemoteDb(dbPath: string, now = Date.now()): void {
	// Requests from an hour ago and before: no burn in the last hour, so no projection moves with the clock.
	seedDashboardDb(dbPath, now - 3_600_000);
	const db = openDatabase(dbPath);
	db.transaction(() =>
		storeWindows(db, STAND_IN_ACCOUNT, [
			{id: '5h', label: '5h', usedPercent: 41, resetsAt: now + 2 * 3_600_000 + 17 * 60_000, windowMinutes: 300, status: 'allowed', observedAt: now - 90_000, source: 'headers'},
			{id: '7d', label: 'weekly', usedPercent: 63, resetsAt: now + 3 * 86_400_000, windowMinutes: 10_080, status: 'allowed', observedAt: now - 90_000, source: 'headers'},
		]),
	)();
	db.close();
}

/** A server on 127.0.0.1 answering with `handle`, closed after the test; its base URL. */
export async function loopbackServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
	const server = createServer(handle);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onCleanup(
		() =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	);
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export type CountingProxy = {url: string; requests: Array<{method: string; path: string; status: number}>};

/** A loopback HTTP proxy in front of `target` that records every request it passes on (streams included). */
export async function countingProxy(target: string): Promise<CountingProxy> {
	const to = new URL(target);
	const requests: CountingProxy['requests'] = [];
	const url = await loopbackServer((req, res) => {
		const entry = {method: req.method ?? 'GET', path: req.url ?? '/', status: 0};
		requests.push(entry);
		const upstream = request({host: to.hostname, port: to.port, method: req.method, path: req.url, headers: {...req.headers, host: to.host}}, answer => {
			entry.status = answer.statusCode ?? 0;
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	return {url, requests};
}
