/**
 * What the rollups sum for one series over one bucket, and what every view adds up. `failed`
 * counts every failed request; `rateLimited` (429) and `cancelled` (499, the client gave up;
 * 504, its deadline passed) are the parts of it that were not the upstream failing. Tokens are
 * in the one vocabulary (vocabulary.ts). `estimated` counts requests whose cost is an estimate.
 */
export type Sums = {
	requests: number;
	failed: number;
	rateLimited: number;
	cancelled: number;
	input: number;
	cacheRead: number;
	cacheWrite: number;
	output: number;
	reasoning: number;
	total: number;
	cost: number;
	estimated: number;
};

export const zeroSums = (): Sums => ({requests: 0, failed: 0, rateLimited: 0, cancelled: 0, input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0, cost: 0, estimated: 0});

/** Adds `s` (times `share`, for a counter delta's part of an interval) into `into`. */
export function addSums(into: Sums, s: Sums, share = 1): void {
	into.requests += s.requests * share;
	into.failed += s.failed * share;
	into.rateLimited += s.rateLimited * share;
	into.cancelled += s.cancelled * share;
	into.input += s.input * share;
	into.cacheRead += s.cacheRead * share;
	into.cacheWrite += s.cacheWrite * share;
	into.output += s.output * share;
	into.reasoning += s.reasoning * share;
	into.total += s.total * share;
	into.cost += s.cost * share;
	into.estimated += s.estimated * share;
}

export const isEmpty = (s: Sums): boolean => s.requests === 0 && s.total === 0 && s.input === 0 && s.output === 0;

/** Failures the upstream is to blame for: not 429s, not client cancels or deadlines. */
export const upstreamFailures = (s: Sums): number => s.failed - s.rateLimited - s.cancelled;
