import {isObject} from './fields.js';

/**
 * CPA counts every request it serves per credential (`success` and `failed` on each
 * `/auth-files` entry, in memory, reset on restart). Their sum is the only independent
 * count of requests we can compare with what reached us. `null` when no entry carries the
 * counters (an older CPA listing files from disk).
 */
export function readServedCount(payload: unknown): number | null {
	if (!isObject(payload) || !Array.isArray(payload['files'])) return null;
	let total = 0;
	let seen = false;
	for (const file of payload['files']) {
		if (!isObject(file)) continue;
		for (const key of ['success', 'failed']) {
			const v = file[key];
			if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
				total += v;
				seen = true;
			}
		}
	}
	return seen ? total : null;
}

/**
 * The same counters per credential (keyed by `auth_index`, else `name`), so that one that
 * went down tells a CPA restart apart from a credential that was removed. `null` as above.
 */
export function readServedByCredential(payload: unknown): Map<string, number> | null {
	if (!isObject(payload) || !Array.isArray(payload['files'])) return null;
	const out = new Map<string, number>();
	payload['files'].forEach((file, i) => {
		if (!isObject(file)) return;
		let total = 0;
		let seen = false;
		for (const key of ['success', 'failed']) {
			const v = file[key];
			if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
				total += v;
				seen = true;
			}
		}
		if (!seen) return;
		const id = typeof file['auth_index'] === 'string' && file['auth_index'] ? file['auth_index'] : typeof file['name'] === 'string' ? `name:${file['name']}` : `#${i}`;
		out.set(id, (out.get(id) ?? 0) + total);
	});
	return out.size > 0 ? out : null;
}

/** Fewer served requests than this in a window with nothing received is not called starvation. */
export const STARVATION_MIN_SERVED = 3;

export type StarvationVerdict = {kind: 'baseline'} | {kind: 'ok'} | {kind: 'starved'; served: number};

/**
 * Served counts at the start and end of a window and the records received in it. A count
 * that went down means CPA restarted: the window starts again. A request counted just
 * before the window closes may reach us just after it, hence the small threshold.
 */
export function judgeStarvation(previous: number | null, current: number, received: number): StarvationVerdict {
	if (previous === null || current < previous) return {kind: 'baseline'};
	const served = current - previous;
	if (received === 0 && served >= STARVATION_MIN_SERVED) return {kind: 'starved', served};
	return {kind: 'ok'};
}
