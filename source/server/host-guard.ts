import type {IncomingMessage} from 'node:http';
import {networkInterfaces} from 'node:os';
import {HttpError} from './respond.js';

/**
 * Which browsers and names the server answers. A web page the user visits can reach a port on
 * 127.0.0.1: by DNS rebinding (its own name resolving to 127.0.0.1, so the browser lets it
 * read the answers) or by a cross-site form POST (which the browser sends without asking).
 * Hence: every route answers only a `Host` that names the bound address, `localhost` or a
 * name in COLLECTOR_ALLOWED_HOSTS, token or no token; and a state-changing request is refused
 * when a browser sends it from an origin that is not allowed, or with a content type a form
 * can send (text/plain, urlencoded, multipart) from no allowed origin.
 */
export type HostPolicy = {hosts: ReadonlySet<string>; origins: ReadonlySet<string>};

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

/** `bound`: COLLECTOR_HOST; `listening`: the address the socket got. A wildcard bind allows every local address. */
export function hostPolicy(bound: string, listening: string, allowedHosts: readonly string[], corsOrigins: readonly string[]): HostPolicy {
	const hosts = new Set<string>(['localhost']);
	const add = (h: string) => hosts.add(normalizeHost(h));
	if (!WILDCARD.has(bound)) add(bound);
	if (!WILDCARD.has(listening)) add(listening);
	if (WILDCARD.has(bound) || WILDCARD.has(listening)) {
		for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) add(i.address);
	}
	for (const h of allowedHosts) add(h);
	return {hosts, origins: new Set(corsOrigins)};
}

/** Lower case, no brackets, no zone id, no trailing dot. */
export function normalizeHost(host: string): string {
	return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '').replace(/\.$/, '');
}

/** The name in a `Host` header (`name`, `name:port`, `[v6]:port`), or null when it is not one. */
export function hostName(header: string | undefined): string | null {
	if (!header) return null;
	const m = /^(?:\[([0-9a-fA-F:.]+(?:%[\w.-]+)?)\]|([^:[\]\s/@]+))(?::(\d{1,5}))?$/.exec(header.trim());
	if (!m) return null;
	return normalizeHost(m[1] ?? m[2]!);
}

export function hostAllowed(policy: HostPolicy, header: string | undefined): boolean {
	const name = hostName(header);
	return name !== null && policy.hosts.has(name);
}

/** An Origin a browser sent: one of COLLECTOR_CORS_ORIGINS, or http(s) on an allowed host (the server's own pages). */
export function originAllowed(policy: HostPolicy, origin: string): boolean {
	if (policy.origins.has(origin)) return true;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && policy.hosts.has(normalizeHost(url.hostname));
}

const FORM_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Throws the refusal for a request that fails the Host rule, or (when it changes state) the Origin rules. */
export function checkRequest(policy: HostPolicy, req: IncomingMessage): void {
	const host = req.headers.host;
	if (!hostAllowed(policy, host)) {
		const shown = host === undefined ? 'no Host header' : `Host ${JSON.stringify(host.slice(0, 100))}`;
		throw new HttpError(421, `${shown} is not a name of this server: add it to COLLECTOR_ALLOWED_HOSTS to use it`);
	}
	if (SAFE_METHODS.has(req.method ?? 'GET')) return;
	const origin = req.headers.origin;
	const fromAllowedOrigin = origin !== undefined && originAllowed(policy, origin);
	if (origin !== undefined && !fromAllowedOrigin) {
		throw new HttpError(403, `Origin ${JSON.stringify(origin.slice(0, 100))} may not change anything here: add it to COLLECTOR_CORS_ORIGINS to allow it`);
	}
	if (!fromAllowedOrigin && req.headers['sec-fetch-site'] === 'cross-site') {
		throw new HttpError(403, 'Cross-site requests may not change anything here');
	}
	const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
	if (!fromAllowedOrigin && FORM_TYPES.has(type)) {
		throw new HttpError(415, `Content-Type ${type} is what a web form can send, so it is refused here: send no body, or application/json`);
	}
}
