import type {QuotaWindow} from './types.js';

/** A stored window: the latest observation plus an earlier one of the same period. */
export type StoredWindow = QuotaWindow & {anchorPercent: number | null; anchorAt: number | null};

/** A reset that moves by more than this starts a new period (a 5h session, a new week). */
const SAME_RESET_MS = 10 * 60_000;
/** The anchor is moved up once it is older than this and the previous observation is old enough. */
const ANCHOR_MAX_AGE_MS = 2 * 3_600_000;
const ANCHOR_MIN_AGE_MS = 30 * 60_000;

/**
 * Merges a new observation into the stored one. Older observations never replace newer ones
 * (records arrive out of order); a missing window is never an erasure (callers only pass what
 * was observed). The anchor, for the burn rate, stays in the same window period: a new period
 * (the reset moved, or usage went down) starts it afresh, and it moves up to the previous
 * observation once it is more than two hours old, so the rate is that of the last hours.
 */
export function mergeWindow(stored: StoredWindow | null, next: QuotaWindow): StoredWindow | null {
	if (!stored) return {...next, anchorPercent: next.usedPercent, anchorAt: next.observedAt};
	if (next.observedAt < stored.observedAt) return null;
	const samePeriod =
		next.usedPercent >= stored.usedPercent &&
		(next.resetsAt === null || stored.resetsAt === null ? next.resetsAt === stored.resetsAt : Math.abs(next.resetsAt - stored.resetsAt) <= SAME_RESET_MS);
	if (!samePeriod || stored.anchorAt === null || stored.anchorPercent === null) {
		return {...next, anchorPercent: next.usedPercent, anchorAt: next.observedAt};
	}
	const moveUp = next.observedAt - stored.anchorAt > ANCHOR_MAX_AGE_MS && next.observedAt - stored.observedAt >= ANCHOR_MIN_AGE_MS;
	return moveUp
		? {...next, anchorPercent: stored.usedPercent, anchorAt: stored.observedAt}
		: {...next, anchorPercent: stored.anchorPercent, anchorAt: stored.anchorAt};
}

/** Whether a merge changed what a gauge shows (not just the observation time). */
export function windowChanged(before: StoredWindow | null, after: StoredWindow): boolean {
	return !before || before.usedPercent !== after.usedPercent || before.resetsAt !== after.resetsAt || before.status !== after.status || before.label !== after.label;
}
