import type {ServerResponse} from 'node:http';
import {safeJson} from '../core/text/safe-text.js';
import {CONNECTION_LIMITS} from './connection-limits.js';
import {HttpError} from './respond.js';

/** A client whose unsent output passes this is too slow and is dropped. */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * Server-sent events to every connected client. Writes never wait: a client that cannot keep
 * up is dropped so the others are not held back. Heartbeat comments keep proxies from
 * closing idle streams.
 */
export class SseHub {
	private readonly clients = new Set<ServerResponse>();
	private readonly perClient = new Map<string, number>();
	private readonly heartbeat: NodeJS.Timeout;
	private nextId = 1;
	dropped = 0;
	/** Streams refused because a cap was reached. */
	refused = 0;

	constructor(
		heartbeatMs = 15_000,
		private readonly caps: {streams: number; streamsPerClient: number} = CONNECTION_LIMITS,
	) {
		this.heartbeat = setInterval(() => this.comment('ping'), heartbeatMs);
		this.heartbeat.unref();
	}

	/** Throws 503 when another stream, for `client` or in all, would pass a cap. */
	admit(client: string): void {
		if (this.clients.size >= this.caps.streams || (this.perClient.get(client) ?? 0) >= this.caps.streamsPerClient) {
			this.refused++;
			throw new HttpError(503, 'Too many open event streams; close one or try again later', {'retry-after': '30'});
		}
	}

	get size(): number {
		return this.clients.size;
	}

	/** Starts the stream and sends `first` (the snapshot) to this client alone (call `admit` first). */
	open(res: ServerResponse, headers: Record<string, string>, first: {event: string; data: unknown}, client = 'unknown'): void {
		res.writeHead(200, {
			...headers,
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			connection: 'keep-alive',
			'x-accel-buffering': 'no',
			'x-content-type-options': 'nosniff',
		});
		res.write('retry: 5000\n\n');
		this.clients.add(res);
		this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
		res.on('close', () => {
			this.clients.delete(res);
			const left = (this.perClient.get(client) ?? 1) - 1;
			if (left <= 0) this.perClient.delete(client);
			else this.perClient.set(client, left);
		});
		this.write(res, this.frame(first.event, first.data));
	}

	send(event: string, data: unknown): void {
		if (this.clients.size === 0) return;
		const frame = this.frame(event, data);
		for (const res of this.clients) this.write(res, frame);
	}

	/** Ends every stream cleanly (server shutdown). */
	closeAll(): void {
		clearInterval(this.heartbeat);
		for (const res of this.clients) res.end();
		this.clients.clear();
	}

	private comment(text: string): void {
		for (const res of this.clients) this.write(res, `: ${text}\n\n`);
	}

	private frame(event: string, data: unknown): string {
		return `id: ${this.nextId++}\nevent: ${event}\ndata: ${safeJson(data)}\n\n`;
	}

	private write(res: ServerResponse, text: string): void {
		if (res.writableLength > MAX_BUFFERED_BYTES) {
			this.dropped++;
			this.clients.delete(res);
			res.destroy();
			return;
		}
		res.write(text);
	}
}
