import type {Server} from 'node:http';
import type {Socket} from 'node:net';
import {clientKey} from './client-address.js';

/**
 * How many sockets and event streams the server holds, so neither one client nor a crowd can
 * use up its file descriptors (systemd's default soft limit is 1024): sockets past the global
 * cap are dropped by Node, a client's sockets past its own cap are closed at once, and a new
 * event stream past either stream cap gets 503. Idle sockets are closed by the server's
 * keep-alive, header and request timeouts.
 */
export const CONNECTION_LIMITS: Readonly<Record<'connections' | 'connectionsPerClient' | 'streams' | 'streamsPerClient', number>> = {
	/** Open sockets in all. */
	connections: 512,
	/** Open sockets per client (an IPv4 address or an IPv6 /64). */
	connectionsPerClient: 128,
	/** Open `/api/collector/stream` streams in all. */
	streams: 64,
	/** Open streams per client. */
	streamsPerClient: 16,
};

export type ConnectionLimitOptions = Partial<Record<keyof typeof CONNECTION_LIMITS, number>>;

export class ConnectionLimits {
	readonly max: typeof CONNECTION_LIMITS;
	private readonly sockets = new Map<string, number>();
	/** Sockets closed because their client had too many. */
	refused = 0;

	constructor(options: ConnectionLimitOptions = {}) {
		this.max = {...CONNECTION_LIMITS, ...options};
	}

	attach(server: Server): void {
		server.maxConnections = this.max.connections;
		server.on('connection', (socket: Socket) => {
			const key = clientKey(socket.remoteAddress);
			const open = (this.sockets.get(key) ?? 0) + 1;
			if (open > this.max.connectionsPerClient) {
				this.refused++;
				socket.destroy();
				return;
			}
			this.sockets.set(key, open);
			socket.once('close', () => {
				const left = (this.sockets.get(key) ?? 1) - 1;
				if (left <= 0) this.sockets.delete(key);
				else this.sockets.set(key, left);
			});
		});
	}
}
