import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {HttpError} from './respond.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Checks `Authorization: Bearer <token>` in constant time (SHA-256 digests of equal length).
 * Node hands header values over as latin1, one character per byte, so the bytes are taken
 * back as sent: a UTF-8 token matches as typed.
 */
export class BearerCheck {
	private readonly expected: Buffer;

	constructor(token: string) {
		this.expected = createHash('sha256').update(Buffer.from(token, 'utf8')).digest();
	}

	matches(req: IncomingMessage): boolean {
		const m = /^Bearer[ \t]+(.+)$/i.exec(req.headers.authorization ?? '');
		if (!m) return false;
		const sent = createHash('sha256').update(Buffer.from(m[1]!.trim(), 'latin1')).digest();
		return timingSafeEqual(sent, this.expected);
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
