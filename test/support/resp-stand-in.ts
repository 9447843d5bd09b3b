import type {Socket} from 'node:net';
import {reply, RespReader} from './resp-wire.js';

/**
 * CPA's Redis-protocol side (`internal/api/redis_queue_protocol.go`, v7.2.140), rebuilt from
 * its rules: commands are arrays of bulk strings; before AUTH every command is refused and
 * counts as a failed login; `AUTH pw` or `AUTH user pw`; `LPOP|RPOP usage [n]` pop the
 * oldest records (`*0` when empty with a count, `$-1` without); `SUBSCRIBE usage` confirms,
 * sends `{"support_refresh":true}`, then streams; subscribed, only PING, UNSUBSCRIBE and QUIT.
 */
export type RespAuth = (provided: string) => {ok: true} | {ok: false; status: number; error: string};

export type RespHooks = {
	authenticate: RespAuth;
	pop(count: number): string[];
	/** False on CPAs before v7.0.7: SUBSCRIBE is an unknown command there. */
	hasSubscribe?: () => boolean;
	/** False when CPA does not know the channel (`errors` before v7.1.44). */
	subscribe(session: RespSession, channel: 'usage' | 'errors'): boolean;
	unsubscribe(session: RespSession): void;
	/** Every command received, for tests that check what a client sends. */
	log: RespCommand[];
};

/** One command as received; `connection` numbers the RESP connections from 1. */
export type RespCommand = {connection: number; args: string[]; authed: boolean; subscribed: boolean};

export class RespSession {
	private readonly reader = new RespReader();
	private authed = false;
	private subscribed = false;
	channel: 'usage' | 'errors' = 'usage';

	constructor(
		readonly socket: Socket,
		private readonly hooks: RespHooks,
		readonly id: number,
	) {
		socket.on('data', chunk => this.onData(chunk));
		socket.on('close', () => this.hooks.unsubscribe(this));
		socket.on('error', () => {});
	}

	/** A message on the subscribed channel, as CPA's stream loop writes it. */
	publish(payload: string): void {
		this.socket.write(reply.array([reply.bulk('message'), reply.bulk(this.channel), reply.bulk(payload)]));
	}

	/** CPA closes a subscriber whose 256-slot buffer is full; the client sees the connection end. */
	drop(): void {
		this.hooks.unsubscribe(this);
		this.socket.destroy();
	}

	private onData(chunk: Buffer): void {
		this.reader.push(chunk);
		for (;;) {
			if (this.reader.peek() !== undefined && this.reader.peek() !== 0x2a) return this.fail('ERR protocol error');
			let value;
			try {
				value = this.reader.next();
			} catch {
				return this.fail('ERR protocol error');
			}
			if (value === undefined) return;
			if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) return this.fail('ERR protocol error');
			const args = value as string[];
			this.hooks.log.push({connection: this.id, args, authed: this.authed, subscribed: this.subscribed});
			if (!this.handle(args)) return;
		}
	}

	private fail(message: string): void {
		this.socket.end(reply.error(message));
	}

	/** False when the connection is done. */
	private handle(args: string[]): boolean {
		const write = (s: string) => this.socket.write(s);
		if (args.length === 0) return write(reply.error('ERR empty command')), true;
		const cmd = args[0]!.trim().toUpperCase();
		if (this.subscribed) return this.handleSubscribed(cmd, args);
		if (cmd !== 'AUTH' && !this.authed) {
			const r = this.hooks.authenticate('');
			write(reply.error(!r.ok && r.status === 403 && r.error.startsWith('IP banned') ? `ERR ${r.error}` : 'NOAUTH Authentication required.'));
			return true;
		}
		switch (cmd) {
			case 'AUTH': {
				if (args.length !== 2 && args.length !== 3) return write(reply.error("ERR wrong number of arguments for 'auth' command")), true;
				const r = this.hooks.authenticate(args[args.length - 1]!);
				if (!r.ok) return write(reply.error(`ERR ${r.error}`)), true;
				this.authed = true;
				return write(reply.simple('OK')), true;
			}
			case 'SUBSCRIBE': {
				if (this.hooks.hasSubscribe?.() === false) return write(reply.error(`ERR unknown command 'subscribe'`)), true;
				if (args.length !== 2) return write(reply.error("ERR wrong number of arguments for 'subscribe' command")), true;
				const channel = args[1]!.trim();
				const name = channel.toLowerCase();
				if ((name !== 'usage' && name !== 'errors') || !this.hooks.subscribe(this, name)) return write(reply.error(`ERR unsupported channel '${channel}'`)), true;
				this.channel = name;
				write(reply.array([reply.bulk('subscribe'), reply.bulk(channel), reply.integer(1)]));
				this.subscribed = true;
				// Only the usage channel announces refresh support.
				if (name === 'usage') this.publish('{"support_refresh":true}');
				return true;
			}
			case 'LPOP':
			case 'RPOP': {
				if (args.length !== 2 && args.length !== 3) return write(reply.error(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`)), true;
				const count = args.length === 3 ? Number.parseInt(args[2]!.trim(), 10) || 0 : 1;
				if (count <= 0) return write(reply.error('ERR value is not an integer or out of range')), true;
				if (args[1]!.trim().toLowerCase() !== 'usage') return write(reply.error(`ERR unsupported channel '${args[1]!.trim()}'`)), true;
				const items = this.hooks.pop(count);
				if (args.length === 3) write(reply.array(items.map(i => reply.bulk(i))));
				else write(reply.bulk(items[0] ?? null));
				return true;
			}
			default:
				return write(reply.error(`ERR unknown command '${cmd.toLowerCase()}'`)), true;
		}
	}

	private handleSubscribed(cmd: string, args: string[]): boolean {
		switch (cmd) {
			case 'PING':
				this.socket.write(reply.array([reply.bulk('pong'), reply.bulk(args[1] ?? null)]));
				return true;
			case 'UNSUBSCRIBE':
				this.socket.end(reply.array([reply.bulk('unsubscribe'), reply.bulk(this.channel), reply.integer(0)]));
				return false;
			case 'QUIT':
				this.socket.end(reply.simple('OK'));
				return false;
			default:
				this.socket.write(reply.error(`ERR unknown command '${cmd.toLowerCase()}'`));
				return true;
		}
	}
}
