/** A `--connect` URL that cannot be used; the message names the flag and says what would work. */
export class ConnectUrlError extends Error {}

/**
 * `--connect URL`: the base of a `--headless` instance's API, `http(s)://host[:port][/prefix]`
 * (a prefix for a reverse proxy). Credentials, a query or a fragment in it are refused: the
 * token comes from COLLECTOR_API_TOKEN, so it never shows in the process list.
 */
export function parseConnectUrl(raw: string | undefined): URL {
	const shown = JSON.stringify((raw ?? '').slice(0, 80));
	if (raw === undefined || raw.trim() === '') throw new ConnectUrlError('--connect needs the URL of a --headless instance, like --connect http://server:5001');
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new ConnectUrlError(`--connect must be a URL like http://server:5001 (got ${shown})`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConnectUrlError(`--connect must be an http:// or https:// URL (got ${shown})`);
	if (url.username || url.password) throw new ConnectUrlError('--connect must not carry credentials: put the token in COLLECTOR_API_TOKEN');
	if (url.search || url.hash) throw new ConnectUrlError(`--connect takes the instance's base URL, without a query or fragment (got ${shown})`);
	url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '') || '/';
	return url;
}

/** What the status line calls the remote: host and port, no path. */
export function remoteLabel(url: URL): string {
	return url.host;
}
