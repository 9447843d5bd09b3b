export type WebhookOptions = {
	/** The configured URL, and only it: redirects are not followed. */
	url: string;
	/** Per attempt. @default 5000 */
	timeoutMs?: number;
	/** Attempts in all, the first included. @default 3 */
	attempts?: number;
	/** The wait before the second attempt; each later wait is 4 times longer. @default 2000 */
	backoffMs?: number;
	/** Ends the waits and the request in flight (shutdown). */
	signal?: AbortSignal;
};

export type WebhookResult = {ok: true; attempts: number} | {ok: false; attempts: number; error: string; retryable: boolean};

/** A Retry-After longer than this is not waited for: the alert fails instead. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * POSTs `body` (JSON) to the webhook. A timeout, a network error, 408, 429 or a 5xx is tried
 * again after a backoff (a Retry-After up to a minute is honoured), a few times in all; any
 * other answer is final. Errors name the status or the failure, never the URL: Slack's and
 * Discord's webhook URLs are their credentials.
 */
export async function postWebhook(body: string, options: WebhookOptions): Promise<WebhookResult> {
	const attempts = options.attempts ?? 3;
	let wait = options.backoffMs ?? 2000;
	let last: WebhookResult = {ok: false, attempts: 0, error: 'not attempted', retryable: false};
	for (let attempt = 1; attempt <= attempts; attempt++) {
		if (options.signal?.aborted) return {ok: false, attempts: attempt - 1, error: 'stopped', retryable: true};
		const outcome = await attemptOnce(body, options);
		if (outcome.ok) return {ok: true, attempts: attempt};
		last = {ok: false, attempts: attempt, error: outcome.error, retryable: outcome.retryable};
		if (!outcome.retryable || attempt === attempts) break;
		const delay = Math.max(wait, outcome.retryAfterMs ?? 0);
		if (delay > MAX_RETRY_AFTER_MS && outcome.retryAfterMs !== undefined) break;
		await sleep(delay, options.signal);
		wait *= 4;
	}
	return last;
}

type Attempt = {ok: true} | {ok: false; error: string; retryable: boolean; retryAfterMs?: number};

async function attemptOnce(body: string, options: WebhookOptions): Promise<Attempt> {
	const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
	const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
	let response: Response;
	try {
		response = await fetch(options.url, {method: 'POST', headers: {'content-type': 'application/json', 'user-agent': 'cliproxy-usage'}, body, redirect: 'manual', signal});
	} catch (error) {
		if (timeout.aborted) return {ok: false, error: `no answer within ${options.timeoutMs ?? 5000} ms`, retryable: true};
		if (options.signal?.aborted) return {ok: false, error: 'stopped', retryable: false};
		const cause = (error as {cause?: {code?: string}}).cause;
		return {ok: false, error: cause?.code ? `connection failed (${cause.code})` : 'connection failed', retryable: true};
	}
	// The answer is not read: a receiver cannot make us hold a large body.
	await response.body?.cancel().catch(() => undefined);
	const s = response.status;
	if (s >= 200 && s < 300) return {ok: true};
	if (s >= 300 && s < 400) return {ok: false, error: `HTTP ${s}: redirects are not followed; set ALERT_WEBHOOK_URL to the final URL`, retryable: false};
	const retryable = s === 408 || s === 429 || s >= 500;
	const after = Number(response.headers.get('retry-after'));
	return {ok: false, error: `HTTP ${s}`, retryable, ...(Number.isFinite(after) && after > 0 ? {retryAfterMs: after * 1000} : {})};
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}
