import type {QuotaHeaders} from './headers.js';
import type {QuotaObservation, QuotaWindow} from './types.js';
import {bool, instant, num, retryAfterUntil, round2} from './values.js';
import {familyLabel, windowIdForMinutes, windowLabel} from './window-class.js';

const PREFIX = 'x-codex-';
const SLOT_FIELD = /^(?:(.+)-)?(primary|secondary)-(used-percent|window-minutes|reset-at|reset-after-seconds)$/;
const NOT_FAMILIES = new Set(['credits', 'plan', 'active', 'promo']);

type Slot = {usedPercent?: string; windowMinutes?: string; resetAt?: string; resetAfter?: string};
type Family = {name: string | null; primary: Slot; secondary: Slot};

/**
 * Codex (ChatGPT) accounts: `x-codex-{primary,secondary}-*` and per-model families such as
 * `x-codex-bengalfox-*` (named by `-limit-name`, e.g. GPT-5.3-Codex-Spark). Percentages are
 * 0–100. A window is classified by its length, never by position: a weekly-only account sends
 * its one 10080-minute window as primary. It counts only with a percent, a positive length
 * and a reset (`-reset-at` wins over `-reset-after-seconds`, which counts from `at`).
 */
export function readCodexHeaders(h: QuotaHeaders, at: number, statusCode: number | null): QuotaObservation {
	const families = new Map<string, Family>();
	const family = (id: string) => {
		let f = families.get(id);
		if (!f) families.set(id, (f = {name: null, primary: {}, secondary: {}}));
		return f;
	};
	for (const [name, value] of h) {
		if (!name.startsWith(PREFIX)) continue;
		const rest = name.slice(PREFIX.length);
		if (rest.endsWith('-limit-name')) {
			const id = rest.slice(0, -'-limit-name'.length);
			if (id && !NOT_FAMILIES.has(id)) family(id).name = value;
			continue;
		}
		const m = SLOT_FIELD.exec(rest);
		if (!m) continue;
		const id = m[1] ?? '';
		if (NOT_FAMILIES.has(id)) continue;
		const slot = family(id)[m[2] as 'primary' | 'secondary'];
		const field = ({'used-percent': 'usedPercent', 'window-minutes': 'windowMinutes', 'reset-at': 'resetAt', 'reset-after-seconds': 'resetAfter'} as const)[m[3] as 'used-percent'];
		slot[field] = value;
	}
	const windows: QuotaWindow[] = [];
	const reached = bool(h.get('x-codex-limit-reached')) === true;
	for (const [id, f] of families) {
		for (const slot of [f.primary, f.secondary]) {
			const w = readSlot(slot, at);
			if (!w) continue;
			const klass = windowIdForMinutes(w.minutes);
			let wid = id ? `${id}:${klass}` : klass;
			if (windows.some(x => x.id === wid)) wid = `${wid}:2`;
			const label = id ? `${familyLabel(f.name ?? id)} ${windowLabel(klass)}` : windowLabel(klass);
			const rejected = w.usedPercent >= 100 || (reached && id === '');
			windows.push({id: wid, label, usedPercent: w.usedPercent, resetsAt: w.resetsAt, windowMinutes: w.minutes, status: rejected ? 'rejected' : null, observedAt: at, source: 'headers'});
		}
	}
	const plan = h.get('x-codex-plan-type') ?? null;
	const cooldownUntil = statusCode === 429 ? retryAfterUntil(h.get('retry-after'), at) : null;
	return {windows, plan: plan && /^[a-z0-9_-]{1,32}$/i.test(plan) ? plan.toLowerCase() : null, cooldownUntil};
}

function readSlot(slot: Slot, at: number): {usedPercent: number; minutes: number; resetsAt: number} | null {
	const used = num(slot.usedPercent);
	const minutes = num(slot.windowMinutes);
	if (used === null || used < 0 || minutes === null || minutes <= 0 || !Number.isInteger(minutes)) return null;
	let resetsAt = instant(slot.resetAt);
	if (resetsAt === null) {
		const after = num(slot.resetAfter);
		if (after !== null && after >= 0) resetsAt = at + Math.round(after * 1000);
	}
	if (resetsAt === null) return null;
	return {usedPercent: round2(used), minutes, resetsAt};
}
