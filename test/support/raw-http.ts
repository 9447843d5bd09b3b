import {request, type IncomingHttpHeaders, type OutgoingHttpHeaders} from 'node:http';
import {connect, type Socket} from 'node:net';

export type RawAnswer = {status: number; headers: IncomingHttpHeaders; text: string};

/**
 * One HTTP request with full control over what is sent: any Host header (fetch cannot set it),
 * header bytes as given (a latin1 string carries UTF-8 bytes), and the source address on
 * loopback (127.0.0.0/8), to act as many clients from one machine.
 */
export function raw(url: string, options: {method?: string; headers?: OutgoingHttpHeaders; body?: string; from?: string; path?: string} = {}): Promise<RawAnswer> {
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: target.hostname,
				port: target.port,
				path: options.path ?? `${target.pathname}${target.search}`,
				method: options.method ?? 'GET',
				headers: options.headers,
				localAddress: options.from,
				agent: false,
				setHost: options.headers?.['host'] === undefined,
			},
			res => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', d => (text += d));
				res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text}));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

/** A TCP connection from `from` that sends nothing; resolves once connected. */
export function idleSocket(port: number, from: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect({host: '127.0.0.1', port, localAddress: from}, () => resolve(socket));
		socket.on('error', reject);
	});
}

/** A GET whose answer is left open (an event stream): resolves with its status once the headers arrive. */
export function openStream(url: string, from?: string): Promise<{status: number; headers: IncomingHttpHeaders; close: () => void}> {
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		const req = request({host: target.hostname, port: target.port, path: target.pathname, localAddress: from, agent: false}, res => {
			res.resume();
			resolve({status: res.statusCode ?? 0, headers: res.headers, close: () => req.destroy()});
		});
		req.on('error', reject);
		req.end();
	});
}
