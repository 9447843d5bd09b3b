/** What the poller knows of one account when it decides whom to ask next (times UTC epoch ms). */
export type PollCandidate = {
	authIndex: string;
	lastHeaderAt: number | null;
	lastAttemptAt: number | null;
	nextAllowedAt: number | null;
};

/**
 * The account to ask now, or null. Only idle accounts: one whose windows arrived in a response's
 * headers within the interval needs no call. Each account at most once per interval (the
 * interval stretched by a per-account jitter of up to ±10 %, so accounts drift apart), never
 * before its backoff ends; the most overdue first.
 */
export function nextToPoll(candidates: readonly PollCandidate[], now: number, intervalMs: number, jitter: (authIndex: string) => number): PollCandidate | null {
	let best: {c: PollCandidate; due: number} | null = null;
	for (const c of candidates) {
		if (c.lastHeaderAt !== null && now - c.lastHeaderAt < intervalMs) continue;
		if (c.nextAllowedAt !== null && now < c.nextAllowedAt) continue;
		const due = c.lastAttemptAt === null ? 0 : c.lastAttemptAt + intervalMs * (1 + jitter(c.authIndex));
		if (due > now) continue;
		if (!best || due < best.due) best = {c, due};
	}
	return best?.c ?? null;
}

const MIN_BACKOFF_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 6 * 3_600_000;

/**
 * After `failures` consecutive failed calls: five minutes doubled per failure, up to six hours,
 * or the provider's Retry-After when that is longer (up to a day). Anthropic answers
 * `Retry-After: 0` on its usage endpoint to mean "not now", not "now", so 0 counts as absent.
 */
export function backoffAfter(failures: number, retryAfterMs: number | null): number {
	const grown = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
	return retryAfterMs !== null && retryAfterMs > 0 ? Math.min(4 * MAX_BACKOFF_MS, Math.max(retryAfterMs, grown)) : grown;
}

/** A stable ±10 % per account, from its index (so restarts keep the spread). */
export function jitterFor(authIndex: string): number {
	let h = 0;
	for (let i = 0; i < authIndex.length; i++) h = (h * 31 + authIndex.charCodeAt(i)) >>> 0;
	return ((h % 2001) - 1000) / 10_000;
}
