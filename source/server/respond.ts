import type {ServerResponse} from 'node:http';
import {safeJson} from '../core/text/safe-text.js';

const BASE_HEADERS = {'cache-control': 'no-store', 'x-content-type-options': 'nosniff'};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	// Exact values; whatever a terminal could act on (curl to a tty) is \u-escaped.
	const text = safeJson(body);
	res.writeHead(status, {...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers});
	res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
	res.writeHead(status, {...BASE_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(text)});
	res.end(text);
}

/** A failure a client caused or can act on; its message is safe to send. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}
