/**
 * Every way talking to CPA can fail, each with a message a user can act on. None of them
 * carries the management key.
 */
export abstract class CpaError extends Error {
	/** Whether a later pass may simply try again (with backoff). */
	abstract readonly retryable: boolean;
	abstract readonly kind: 'auth' | 'unreachable' | 'not_found' | 'payload' | 'config';
}

/** 401/403. Never retried: CPA bans an IP for 30 minutes after 5 failed attempts. */
export class CpaAuthError extends CpaError {
	readonly retryable = false;
	readonly kind = 'auth';
	constructor(
		readonly status: number,
		readonly cpaMessage: string,
	) {
		super(authMessage(status, cpaMessage));
	}
}

function authMessage(status: number, cpaMessage: string): string {
	const said = cpaMessage ? ` ("${cpaMessage}")` : '';
	if (/banned/i.test(cpaMessage)) {
		return `CPA has banned this IP after repeated failed logins${said}. Wait for the ban to end, fix CLIPROXY_MANAGEMENT_KEY, then restart; collection is stopped so the ban is not extended.`;
	}
	if (/remote management disabled/i.test(cpaMessage)) {
		return `CPA refuses management requests from this address${said}. Run the collector on the CPA host, or set remote-management.allow-remote: true in CPA's config.yaml.`;
	}
	if (/key not set/i.test(cpaMessage)) {
		return `CPA has no management key configured${said}. Set remote-management.secret-key in CPA's config.yaml.`;
	}
	if (status === 401) {
		return `CPA rejected the management key${said}. Set CLIPROXY_MANAGEMENT_KEY to CPA's remote-management.secret-key (plaintext) and restart; collection is stopped because CPA bans an IP for 30 minutes after 5 failed attempts.`;
	}
	return `CPA refused access (HTTP ${status})${said}. Collection is stopped; check CLIPROXY_MANAGEMENT_KEY and CPA's remote-management settings, then restart.`;
}

/** Connection refused, DNS, timeout, 5xx, 429: retried with backoff. */
export class CpaUnreachableError extends CpaError {
	readonly retryable = true;
	readonly kind = 'unreachable';
}

/**
 * 404. Without `X-CPA-VERSION` the whole management API is off (CPA registers it only when a
 * secret key is set); with it, this CPA version simply has no such route.
 */
export class CpaNotFoundError extends CpaError {
	readonly retryable = true;
	readonly kind = 'not_found';
	constructor(
		readonly route: string,
		readonly managementDisabled: boolean,
	) {
		super(
			managementDisabled
				? `CPA answered 404 for ${route} without a version header: its management API is disabled. Set remote-management.secret-key in CPA's config.yaml and restart CPA.`
				: `CPA has no ${route} route (404).`,
		);
	}
}

/** The answer was not what this CPA route sends (bad JSON, wrong shape). */
export class CpaPayloadError extends CpaError {
	readonly retryable = true;
	readonly kind = 'payload';
}

/** Nothing was sent: the collector is not configured to talk to CPA. */
export class CpaConfigError extends CpaError {
	readonly retryable = false;
	readonly kind = 'config';
}

/** CPA answered a command with `unknown command`: this version lacks it (SUBSCRIBE before v7.0.7). Asking again will not help. */
export class CpaUnsupportedError extends CpaError {
	readonly retryable = true;
	readonly kind = 'payload';
}
