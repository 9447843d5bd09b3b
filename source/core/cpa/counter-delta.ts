import type {ArrayObservation} from './legacy-usage.js';

/**
 * The original collector's rules for cumulative counters, applied only to what the details
 * cannot explain (requests CPA counted but did not list):
 * - restart: a counter that went down means CPA restarted; the current value is the increment;
 * - false start: a key new to the baseline that arrives with more than 100,000 tokens is
 *   history from before we were watching, with no way to place it in time; it is skipped.
 */
export const FALSE_START_TOKENS = 100_000;

export type CounterBaseline = ReadonlyMap<string, {requests: number; tokens: number}>;

export type CounterResidual = {
	arrayId: string;
	apiLabel: string;
	model: string;
	requests: number;
	tokens: number;
};

export type CounterEvent =
	| {kind: 'restart'; apiLabel: string; model: string; previous: {requests: number; tokens: number}; current: {requests: number; tokens: number}}
	| {kind: 'false_start'; apiLabel: string; model: string; requests: number; tokens: number};

export function counterResiduals(
	baseline: CounterBaseline,
	arrays: readonly ArrayObservation[],
): {residuals: CounterResidual[]; events: CounterEvent[]} {
	const residuals: CounterResidual[] = [];
	const events: CounterEvent[] = [];
	for (const a of arrays) {
		const base = baseline.get(a.arrayId);
		let dReq = a.counters.requests - (base?.requests ?? 0);
		let dTok = a.counters.tokens - (base?.tokens ?? 0);
		if (base && (dReq < 0 || dTok < 0)) {
			events.push({kind: 'restart', apiLabel: a.apiLabel, model: a.model, previous: {...base}, current: {...a.counters}});
			dReq = a.counters.requests;
			dTok = a.counters.tokens;
		}
		const requests = Math.max(0, dReq - a.observed.requests);
		const tokens = requests === 0 ? 0 : Math.max(0, dTok - a.observed.tokens);
		if (requests === 0) continue;
		const isNew = !base || (base.requests === 0 && base.tokens === 0);
		if (isNew && tokens > FALSE_START_TOKENS) {
			events.push({kind: 'false_start', apiLabel: a.apiLabel, model: a.model, requests, tokens});
			continue;
		}
		residuals.push({arrayId: a.arrayId, apiLabel: a.apiLabel, model: a.model, requests, tokens});
	}
	return {residuals, events};
}

/**
 * Splits an integer amount over the buckets [edges[i], edges[i+1]) in proportion to how much
 * of [start, end) each covers, by rounding the running total, so the parts always sum to the
 * amount and a small amount over many buckets lands evenly across them (4 requests over 48
 * five-minute buckets: one every 12), not all in the first. A zero-length interval puts
 * everything in the bucket that contains `start`.
 */
export function spreadOverInterval(amount: number, start: number, end: number, edges: readonly number[]): number[] {
	const n = edges.length - 1;
	const parts = new Array<number>(Math.max(0, n)).fill(0);
	if (n <= 0 || amount === 0) return parts;
	const span = end - start;
	if (span <= 0) {
		const i = edges.findIndex((e, k) => k < n && start >= e && start < edges[k + 1]!);
		parts[i === -1 ? n - 1 : i] = amount;
		return parts;
	}
	let covered = 0;
	let given = 0;
	for (let i = 0; i < n; i++) {
		covered += Math.max(0, Math.min(end, edges[i + 1]!) - Math.max(start, edges[i]!));
		const upTo = i === n - 1 ? amount : Math.floor((amount * covered) / span + 0.5);
		parts[i] = upTo - given;
		given = upTo;
	}
	return parts;
}
