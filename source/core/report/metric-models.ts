import {metricLabel} from '../text/safe-text.js';

/**
 * How many (provider, model) pairs get series of their own on /metrics; the rest are summed
 * into provider="(other)", model="(other)". Model names come from CPA, so without a bound a
 * stream of distinct names would grow the exposition (and Prometheus's series) without end.
 * Ranked by all-time cost, which only grows, so the set changes rarely; when a model enters
 * the top 50 its history moves out of "(other)", which Prometheus reads as a counter reset.
 */
export const METRIC_MODELS = 50;
export const OTHER = '(other)';

export type MetricModelRow = {provider: string; model: string; cost: number; requests: number} & Record<string, number | string>;

/**
 * Label values made safe (metricLabel), rows whose safe labels coincide merged (no duplicate
 * series), then the top `n` by cost and requests kept and the rest summed into "(other)".
 * Every numeric field is summed.
 */
export function topMetricModels<T extends MetricModelRow>(rows: readonly T[], n = METRIC_MODELS): T[] {
	const merged = new Map<string, T>();
	const add = (into: Map<string, T>, provider: string, model: string, r: T) => {
		const key = `${provider}\u001F${model}`;
		const have = into.get(key);
		if (!have) {
			into.set(key, {...r, provider, model});
			return;
		}
		const sum = have as Record<string, number | string>;
		for (const [k, v] of Object.entries(r)) if (typeof v === 'number') sum[k] = (sum[k] as number) + v;
	};
	for (const r of rows) add(merged, metricLabel(r.provider), metricLabel(r.model), r);
	const ranked = [...merged.values()].sort(
		(a, b) => b.cost - a.cost || b.requests - a.requests || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
	);
	const out = new Map<string, T>();
	ranked.forEach((r, i) => (i < n ? add(out, r.provider, r.model, r) : add(out, OTHER, OTHER, r)));
	return [...out.values()];
}
