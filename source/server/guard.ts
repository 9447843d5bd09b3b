import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {HttpError} from './respond.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** `Authorization: Bearer <token>`, compared in constant time (hashes of equal length). */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
	const header = req.headers.authorization ?? '';
	const m = /^Bearer\s+(.+)$/i.exec(header);
	if (!m) return false;
	const a = createHash('sha256').update(m[1]!.trim()).digest();
	const b = createHash('sha256').update(token).digest();
	return timingSafeEqual(a, b);
}

/**
 * Counts failed authentications per client address; past `limit` in `windowMs` the client
 * gets 429 with Retry-After until the window ends. Bounded, so a flood of addresses cannot
 * grow it without end.
 */
export class FailedAuthLimiter {
	private readonly clients = new Map<string, {count: number; since: number}>();

	constructor(
		private readonly limit = 10,
		private readonly windowMs = 60_000,
		private readonly now: () => number = Date.now,
	) {}

	/** Seconds to wait, or 0 when the client may try. */
	retryAfter(client: string): number {
		const entry = this.clients.get(client);
		if (!entry) return 0;
		const left = entry.since + this.windowMs - this.now();
		if (left <= 0) {
			this.clients.delete(client);
			return 0;
		}
		return entry.count >= this.limit ? Math.ceil(left / 1000) : 0;
	}

	fail(client: string): void {
		const now = this.now();
		const entry = this.clients.get(client);
		if (!entry || entry.since + this.windowMs <= now) {
			if (this.clients.size >= 10_000) this.clients.clear();
			this.clients.set(client, {count: 1, since: now});
		} else {
			entry.count++;
		}
	}
}

/** Reads the body, refusing more than `max` bytes with 413 (by Content-Length or as it streams). */
export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > max) throw new HttpError(413, `Request body too large (limit ${max} bytes)`);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > max) throw new HttpError(413, `Request body too large (limit ${max} bytes)`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** CORS headers for an allowed origin; none (CORS off) otherwise. */
export function corsHeaders(req: IncomingMessage, allowed: readonly string[]): Record<string, string> {
	const origin = req.headers.origin;
	if (!origin || !allowed.includes(origin)) return {};
	return {
		'access-control-allow-origin': origin,
		'access-control-allow-methods': 'GET, POST, OPTIONS',
		'access-control-allow-headers': 'authorization, content-type',
		'access-control-max-age': '600',
		vary: 'Origin',
	};
}
