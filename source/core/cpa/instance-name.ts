/**
 * The name a CPA goes by in metric labels and alerts when it was given none: its URL's
 * host:port (the port written out even when it is the scheme's default). Rows store '' for
 * the only configured CPA; readers show this name for them.
 */
export function instanceName(url: string): string {
	const u = new URL(url);
	const port = u.port || (u.protocol === 'https:' ? '443' : '80');
	return `${u.hostname}:${port}`;
}

/** A stored instance ('' = the configured one) as labels show it. */
export function shownInstance(stored: string, configured: string): string {
	return stored === '' ? configured : stored;
}
