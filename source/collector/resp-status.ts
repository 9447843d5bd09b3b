import type {TransportStatus} from './status.js';

/** The standing warning while the RESP backend is live: the one-consumer trap, in words. */
export function subscriberWarning(endpoint: string): string {
	return (
		`subscribed over RESP (${endpoint}): while we are, CPA's HTTP usage queue stays empty, so any other collector ` +
		'polling /usage-queue on this CPA gets nothing. Run every collector in RESP mode, or set COLLECTOR_SOURCE=queue here'
	);
}

/** The transport state in one line, for `/status` and the UI. */
export function transportSummary(state: TransportStatus['state'], path: TransportStatus['path'], endpoint: string, lastError: string | null, attempts: number, noSubscribe: string | null = null): string {
	const via = path === 'http' ? 'over HTTP (/usage-queue)' : 'with LPOP over RESP';
	switch (state) {
		case 'subscribed':
			return `subscribed to usage at ${endpoint}: CPA pushes every request`;
		case 'connecting':
			return `connecting to ${endpoint}; draining CPA's queue ${via} meanwhile`;
		case 'reconnecting':
			return `not subscribed (${lastError ?? 'connection lost'}); draining CPA's queue ${via} every pass until reconnected (${attempts} failed attempt${attempts === 1 ? '' : 's'})`;
		case 'drain_only':
			return noSubscribe ? `not subscribing (${noSubscribe}); draining CPA's queue ${via} every pass` : `one-shot: draining CPA's queue ${via}, not subscribing`;
		case 'stopped':
			return lastError ? `stopped: ${lastError}` : 'closed';
	}
}
