import {connect, type Socket} from 'node:net';

/** RESP2 values as they travel: `+` simple, `-` error, `:` integer, `$` bulk, `*` array. */
export type RespValue = string | number | null | RespError | RespValue[];

export class RespError {
	constructor(readonly message: string) {}
}

export function encodeCommand(args: readonly string[]): Buffer {
	return Buffer.from(`*${args.length}\r\n${args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
}

export const reply = {
	simple: (s: string) => `+${s}\r\n`,
	error: (s: string) => `-${s}\r\n`,
	integer: (n: number) => `:${n}\r\n`,
	bulk: (s: string | null) => (s === null ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`),
	array: (items: string[]) => `*${items.length}\r\n${items.join('')}`,
};

/** Incremental RESP2 reader: push bytes as they come, take whole values out. */
export class RespReader {
	private buffer = Buffer.alloc(0);
	private offset = 0;

	push(chunk: Buffer): void {
		this.buffer = Buffer.concat([this.buffer.subarray(this.offset), chunk]);
		this.offset = 0;
	}

	/** The next whole value, `undefined` if more bytes are needed. Throws on a bad type byte. */
	next(): RespValue | undefined {
		const start = this.offset;
		const value = this.read();
		if (value === undefined) this.offset = start;
		return value;
	}

	/** The first byte not yet consumed, if any. */
	peek(): number | undefined {
		return this.offset < this.buffer.length ? this.buffer[this.offset] : undefined;
	}

	private line(): string | undefined {
		const end = this.buffer.indexOf('\r\n', this.offset);
		if (end < 0) return undefined;
		const text = this.buffer.toString('utf8', this.offset, end);
		this.offset = end + 2;
		return text;
	}

	private read(): RespValue | undefined {
		if (this.offset >= this.buffer.length) return undefined;
		const type = String.fromCharCode(this.buffer[this.offset]!);
		this.offset++;
		const head = this.line();
		if (head === undefined) return undefined;
		switch (type) {
			case '+':
				return head;
			case '-':
				return new RespError(head);
			case ':':
				return Number(head);
			case '$': {
				const length = Number(head);
				if (length < 0) return null;
				if (this.buffer.length < this.offset + length + 2) return undefined;
				const text = this.buffer.toString('utf8', this.offset, this.offset + length);
				this.offset += length + 2;
				return text;
			}
			case '*': {
				const count = Number(head);
				if (count < 0) return null;
				const items: RespValue[] = [];
				for (let i = 0; i < count; i++) {
					const item = this.read();
					if (item === undefined) return undefined;
					items.push(item);
				}
				return items;
			}
			default:
				throw new Error(`protocol error: type byte ${JSON.stringify(type)}`);
		}
	}
}

/** A raw RESP client for tests: sends exactly the commands given, reads every reply. */
export class RawResp {
	private readonly reader = new RespReader();
	private readonly values: RespValue[] = [];
	private waiters: Array<() => void> = [];
	closed = false;

	private constructor(readonly socket: Socket) {
		socket.on('data', chunk => {
			this.reader.push(chunk);
			for (let v = this.reader.next(); v !== undefined; v = this.reader.next()) this.values.push(v);
			this.notify();
		});
		socket.on('close', () => {
			this.closed = true;
			this.notify();
		});
		socket.on('error', () => {});
	}

	static connect(port: number): Promise<RawResp> {
		return new Promise((resolve, reject) => {
			const socket = connect(port, '127.0.0.1', () => resolve(new RawResp(socket)));
			socket.once('error', reject);
		});
	}

	send(...args: string[]): void {
		this.socket.write(encodeCommand(args));
	}

	async command(...args: string[]): Promise<RespValue> {
		this.send(...args);
		return this.read();
	}

	/** The next value, waiting up to `timeoutMs`. */
	async read(timeoutMs = 5000): Promise<RespValue> {
		const end = Date.now() + timeoutMs;
		while (this.values.length === 0) {
			if (this.closed) throw new Error('connection closed');
			const left = end - Date.now();
			if (left <= 0) throw new Error('no RESP reply in time');
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.values.shift()!;
	}

	close(): void {
		this.socket.destroy();
	}

	private notify(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}
}
