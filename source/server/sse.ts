import type {ServerResponse} from 'node:http';
import {safeJson} from '../core/text/safe-text.js';

/** A client whose unsent output passes this is too slow and is dropped. */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * Server-sent events to every connected client. Writes never wait: a client that cannot keep
 * up is dropped so the others are not held back. Heartbeat comments keep proxies from
 * closing idle streams.
 */
export class SseHub {
	private readonly clients = new Set<ServerResponse>();
	private readonly heartbeat: NodeJS.Timeout;
	private nextId = 1;
	dropped = 0;

	constructor(heartbeatMs = 15_000) {
		this.heartbeat = setInterval(() => this.comment('ping'), heartbeatMs);
		this.heartbeat.unref();
	}

	get size(): number {
		return this.clients.size;
	}

	/** Starts the stream and sends `first` (the snapshot) to this client alone. */
	open(res: ServerResponse, headers: Record<string, string>, first: {event: string; data: unknown}): void {
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
		res.on('close', () => this.clients.delete(res));
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
