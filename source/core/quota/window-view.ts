import type {StoredWindow} from './anchor.js';
import type {QuotaSource, QuotaStatus} from './types.js';

/** A window as a gauge shows it at `now`. */
export type WindowView = {
	id: string;
	label: string;
	/** 0 once the reset has passed and nothing newer was observed. */
	usedPercent: number;
	resetsAt: number | null;
	/** `reset`: its reset passed after the last observation; the figure waits for a new one. */
	status: QuotaStatus | 'reset' | null;
	source: QuotaSource;
	observedAt: number;
	ageMs: number;
	/** Percentage points per hour over the last observations of this period; null without two far enough apart. */
	ratePerHour: number | null;
	/** When it reaches 100 % at that rate, if before the reset. */
	projectedExhaustionAt: number | null;
};

const MIN_RATE_SPAN_MS = 10 * 60_000;

export function windowView(w: StoredWindow, now: number): WindowView {
	const base = {id: w.id, label: w.label, source: w.source, observedAt: w.observedAt, ageMs: Math.max(0, now - w.observedAt)};
	if (w.resetsAt !== null && w.resetsAt <= now) {
		return {...base, usedPercent: 0, resetsAt: null, status: 'reset', ratePerHour: null, projectedExhaustionAt: null};
	}
	let ratePerHour: number | null = null;
	let projected: number | null = null;
	if (w.anchorAt !== null && w.anchorPercent !== null && w.observedAt - w.anchorAt >= MIN_RATE_SPAN_MS) {
		ratePerHour = ((w.usedPercent - w.anchorPercent) / (w.observedAt - w.anchorAt)) * 3_600_000;
		if (w.usedPercent >= 100) projected = w.observedAt;
		else if (ratePerHour > 0) {
			const at = w.observedAt + ((100 - w.usedPercent) / ratePerHour) * 3_600_000;
			projected = w.resetsAt === null || at < w.resetsAt ? Math.round(Math.max(at, now)) : null;
		}
		ratePerHour = Math.round(ratePerHour * 100) / 100;
	} else if (w.usedPercent >= 100) projected = w.observedAt;
	return {...base, usedPercent: w.usedPercent, resetsAt: w.resetsAt, status: w.status, ratePerHour, projectedExhaustionAt: projected};
}

/** Most used first; ties by the sooner reset. */
export function byTightest(a: WindowView, b: WindowView): number {
	return b.usedPercent - a.usedPercent || (a.resetsAt ?? Infinity) - (b.resetsAt ?? Infinity);
}
