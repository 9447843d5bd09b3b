/** Why the HTTP API could not listen, in one line that names the setting to change. */
export function listenErrorText(error: unknown, host: string, port: number): string {
	const code = (error as {code?: string}).code ?? 'error';
	const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
	switch (code) {
		case 'EADDRINUSE':
			return `port ${port} on ${host} is already in use (another cliproxy-usage?): stop the other process or set COLLECTOR_TRIGGER_PORT`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME':
			return `COLLECTOR_HOST=${host} does not resolve (${code}): set COLLECTOR_HOST to an address of this machine, such as 127.0.0.1`;
		case 'EADDRNOTAVAIL':
			return `cannot listen on ${at} (EADDRNOTAVAIL: not an address of this machine): set COLLECTOR_HOST to one of its addresses, such as 127.0.0.1`;
		case 'EAFNOSUPPORT':
			return `cannot listen on ${at} (EAFNOSUPPORT: IPv6 is not available here): set COLLECTOR_HOST to 127.0.0.1`;
		case 'EACCES':
			return `cannot listen on ${at} (EACCES: ports below 1024 need privileges): set COLLECTOR_TRIGGER_PORT to 1024 or above`;
		default:
			return `cannot listen on ${at} (${code}): check COLLECTOR_HOST and COLLECTOR_TRIGGER_PORT`;
	}
}
