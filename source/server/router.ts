import type {IncomingMessage, ServerResponse} from 'node:http';
import {dict} from '../core/text/dict.js';
import {HttpError} from './respond.js';

export type RouteContext = {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	params: Record<string, string>;
	/** The request body (read and size-checked before the handler runs), for POST routes. */
	body: Buffer;
};

export type Handler = (ctx: RouteContext) => void | Promise<void>;

type Route = {pattern: RegExp; keys: string[]; methods: Map<string, Handler>; auth: boolean};

export type Match = {kind: 'found'; handler: Handler; params: Record<string, string>; auth: boolean} | {kind: 'method'; allow: string[]} | {kind: 'none'};

/** Paths with `:name` segments; a wrong method gets 405 with the methods that would work. */
export class Router {
	private readonly routes: Route[] = [];

	add(method: string, path: string, handler: Handler, options: {auth?: boolean} = {}): this {
		const keys: string[] = [];
		const source = path.replace(/:([a-z_]+)/g, (_, key: string) => {
			keys.push(key);
			return '([^/]+)';
		});
		let route = this.routes.find(r => r.pattern.source === `^${source}$`);
		if (!route) {
			route = {pattern: new RegExp(`^${source}$`), keys, methods: new Map(), auth: options.auth ?? true};
			this.routes.push(route);
		}
		route.methods.set(method, handler);
		if (method === 'GET') route.methods.set('HEAD', handler);
		return this;
	}

	match(method: string, path: string): Match {
		for (const route of this.routes) {
			const m = route.pattern.exec(path);
			if (!m) continue;
			const handler = route.methods.get(method);
			if (!handler) return {kind: 'method', allow: [...route.methods.keys()]};
			const params = dict(route.keys.map((k, i) => [k, decodeSegment(m[i + 1]!)] as const));
			return {kind: 'found', handler, params, auth: route.auth};
		}
		return {kind: 'none'};
	}
}

/** A bad percent-encoding is the client's mistake: 400, not an error of ours. */
function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw new HttpError(400, 'Malformed URL: bad percent-encoding');
	}
}
