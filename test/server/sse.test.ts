import {createServer, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {connect} from 'node:net';
import {describe, expect, it} from 'vitest';
import {SseHub} from '../../source/server/sse.js';
import {connectSse} from '../support/sse-client.js';
import {onCleanup} from '../support/temp.js';

async function hubServer(heartbeatMs: number) {
	const hub = new SseHub(heartbeatMs);
	const server = createServer((_req, res: ServerResponse) => hub.open(res, {}, {event: 'snapshot', data: {hello: 1}}));
	await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
	onCleanup(() => new Promise<void>(r => {
		hub.closeAll();
		server.closeAllConnections();
		server.close(() => r());
	}));
	return {hub, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`};
}

const until = async (check: () => boolean, ms = 5000) => {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise(r => setTimeout(r, 10));
	}
};

describe('SseHub', () => {
	it('sends heartbeat comments to idle clients', async () => {
		const {url} = await hubServer(50);
		const client = await connectSse(url);
		await client.next('snapshot');
		await until(() => client.comments >= 2);
	});

	it('drops a client that stops reading, without holding back the others', async () => {
		const {hub, url} = await hubServer(60_000);
		const reader = await connectSse(url);
		await reader.next('snapshot');
		// A client that connects and never reads: its socket buffers fill, then the hub drops it.
		const stalled = connect(Number(new URL(url).port), '127.0.0.1');
		stalled.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
		stalled.pause();
		onCleanup(() => stalled.destroy());
		await until(() => hub.size === 2);
		const big = 'x'.repeat(64 * 1024);
		for (let i = 0; i < 200 && hub.dropped === 0; i++) {
			hub.send('usage_delta', {i, big});
			await new Promise(r => setImmediate(r));
		}
		expect(hub.dropped).toBe(1);
		expect(hub.size).toBe(1);
		hub.send('usage_delta', {after: true});
		await until(() => reader.events.some(e => (e.data as {after?: boolean}).after === true));
	});

	it('ends every stream cleanly on close', async () => {
		const {hub, url} = await hubServer(60_000);
		const client = await connectSse(url);
		await client.next('snapshot');
		hub.closeAll();
		await client.done;
		expect(client.ended).toBe(true);
	});
});
