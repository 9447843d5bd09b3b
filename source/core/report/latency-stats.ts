/** What a latency row needs of a request. */
export type LatencySample = {model: string; failed: boolean; statusCode: number | null; latencyMs: number | null; ttftMs: number | null};

/**
 * One model's requests: how many, how many succeeded, and the latency of those that reported
 * one (median and 95th percentile, nearest rank), and the median time to first token.
 */
export type ModelLatency = {
	model: string;
	requests: number;
	failed: number;
	/** 429s, of `failed`. */
	rateLimited: number;
	/** Succeeded / requests. */
	successRate: number;
	p50Ms: number | null;
	p95Ms: number | null;
	ttftP50Ms: number | null;
};

/** The nearest-rank percentile of sorted values (`q` in (0, 1]); null for none. */
export function percentile(sorted: readonly number[], q: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return sorted[rank - 1]!;
}

/** Per model, most requests first (then by name). */
export function latencyByModel(samples: readonly LatencySample[]): ModelLatency[] {
	const groups = new Map<string, {requests: number; failed: number; rateLimited: number; latency: number[]; ttft: number[]}>();
	for (const s of samples) {
		let g = groups.get(s.model);
		if (!g) groups.set(s.model, (g = {requests: 0, failed: 0, rateLimited: 0, latency: [], ttft: []}));
		g.requests++;
		if (s.failed) g.failed++;
		if (s.statusCode === 429) g.rateLimited++;
		if (s.latencyMs !== null && s.latencyMs > 0) g.latency.push(s.latencyMs);
		if (s.ttftMs !== null && s.ttftMs > 0) g.ttft.push(s.ttftMs);
	}
	const byNumber = (a: number, b: number) => a - b;
	return [...groups]
		.map(([model, g]) => {
			g.latency.sort(byNumber);
			g.ttft.sort(byNumber);
			return {
				model,
				requests: g.requests,
				failed: g.failed,
				rateLimited: g.rateLimited,
				successRate: (g.requests - g.failed) / g.requests,
				p50Ms: percentile(g.latency, 0.5),
				p95Ms: percentile(g.latency, 0.95),
				ttftP50Ms: percentile(g.ttft, 0.5),
			};
		})
		.sort((a, b) => b.requests - a.requests || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

/** 850 → "850ms", 1234 → "1.2s", 65_000 → "65s", null → "–". */
export function formatLatency(ms: number | null): string {
	if (ms === null) return '–';
	if (ms < 999.5) return `${Math.round(ms)}ms`;
	if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
	return `${Math.round(ms / 1000)}s`;
}
