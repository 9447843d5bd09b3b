import {FieldError} from './fields.js';

/**
 * What one request can plausibly carry. A record outside these is skipped and logged like any
 * malformed one (naming the field), never stored: a token count near 2^53 would overflow
 * SQLite's sum() in every report, and a timestamp in 2099 would sit at the top of every range.
 */
export const RECORD_BOUNDS = {
	/** Per token field per request (input, output, reasoning, cached, total, breakdown parts). */
	maxTokens: 1_000_000_000,
	/** latency_ms and ttft_ms: a day. */
	maxDurationMs: 86_400_000,
	/** Before this, no CPA existed; old v6 exports are well after it. */
	earliestMs: Date.UTC(2020, 0, 1),
	/** How far ahead of this machine's clock a record may be (clock skew between hosts). */
	maxFutureMs: 86_400_000,
} as const;

/** A request's timestamp must fall in [2020-01-01, now + 1 day]. */
export function checkTimestamp(ms: number, now: number, raw: string, field = 'timestamp'): void {
	const shown = JSON.stringify(raw.slice(0, 40));
	if (ms < RECORD_BOUNDS.earliestMs) throw new FieldError(field, `${shown} is before 2020-01-01: not a real request time`);
	if (ms > now + RECORD_BOUNDS.maxFutureMs) throw new FieldError(field, `${shown} is more than a day ahead of this machine's clock`);
}

/** An HTTP status, or CPA's 0 for "none". */
export function checkStatusCode(code: number | null, field: string): number | null {
	if (code === null || code === 0) return code;
	if (code < 100 || code > 599) throw new FieldError(field, `expected an HTTP status from 100 to 599 (or 0 for none), got ${code}`);
	return code;
}
