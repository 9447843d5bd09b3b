import {HOUR_MS} from '../core/time/zone.js';
import type {Db} from './database.js';
import {keyRange} from './time-range.js';

/** Usage of one provider and model over a time range. */
export type ModelUsage = {
	provider: string;
	model: string;
	requests: number;
	failed: number;
	inputTokens: number;
	outputTokens: number;
	reasoningTokens: number;
	cachedTokens: number;
	cacheReadTokens: number;
	cacheCreationTokens: number;
	totalTokens: number;
	costUsd: number;
	/** Requests priced at the `_default` price (unknown model) or known only from counters. */
	estimatedRequests: number;
};

type Row = Omit<ModelUsage, never>;

const SUMS = `count(*) AS requests, sum(r.failed) AS failed, sum(r.input_tokens) AS inputTokens, sum(r.output_tokens) AS outputTokens,
	sum(r.reasoning_tokens) AS reasoningTokens, sum(r.cached_tokens) AS cachedTokens, sum(r.cache_read_tokens) AS cacheReadTokens,
	sum(r.cache_creation_tokens) AS cacheCreationTokens, sum(r.total_tokens) AS totalTokens, coalesce(sum(r.cost_usd), 0) AS costUsd,
	sum(r.cost_estimated) AS estimatedRequests`;

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		hourly: db.prepare<[number, number], Row>(`
			SELECT provider, model, sum(requests) AS requests, sum(failed) AS failed, sum(input_tokens) AS inputTokens,
				sum(output_tokens) AS outputTokens, sum(reasoning_tokens) AS reasoningTokens, sum(cached_tokens) AS cachedTokens,
				sum(cache_read_tokens) AS cacheReadTokens, sum(cache_creation_tokens) AS cacheCreationTokens,
				sum(total_tokens) AS totalTokens, sum(cost_usd) AS costUsd, sum(estimated_requests) AS estimatedRequests
			FROM hourly_stats WHERE hour_start >= ? AND hour_start < ? GROUP BY provider, model`),
		raw: db.prepare<[Buffer, Buffer], Row>(`
			SELECT coalesce(d.provider, '') AS provider, d.model AS model, ${SUMS}
			FROM requests r JOIN request_dims d ON d.id = r.dim_id
			WHERE r.dedupe_key >= ? AND r.dedupe_key < ? GROUP BY d.id`),
		deltas: db.prepare<[number, number], {model: string; requests: number; total_tokens: number; cost_usd: number | null; interval_start: number; interval_end: number}>(`
			SELECT model, requests, total_tokens, cost_usd, interval_start, interval_end FROM counter_deltas
			WHERE interval_end > ? AND interval_start < ?`),
	};
}

/**
 * Exact usage per provider and model over [start, end): whole UTC hours come from
 * `hourly_stats`, the partial hours at either edge from the request rows themselves (a key
 * range on the clustered table), and legacy counter deltas that overlap an edge contribute
 * in proportion to the overlap, as they were spread when stored. Cost under a day on a
 * million-row table is a few hundred hourly rows plus at most two hours of requests.
 */
export function usageByModel(db: Db, start: number, end: number): ModelUsage[] {
	if (end <= start) return [];
	let s = statements.get(db);
	if (!s) statements.set(db, (s = prepare(db)));
	const totals = new Map<string, ModelUsage>();
	const add = (row: Row, share = 1) => {
		const k = `${row.provider}\u001F${row.model}`;
		let t = totals.get(k);
		if (!t) totals.set(k, (t = {...row, requests: 0, failed: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, totalTokens: 0, costUsd: 0, estimatedRequests: 0}));
		t.requests += row.requests * share;
		t.failed += row.failed * share;
		t.inputTokens += row.inputTokens * share;
		t.outputTokens += row.outputTokens * share;
		t.reasoningTokens += row.reasoningTokens * share;
		t.cachedTokens += row.cachedTokens * share;
		t.cacheReadTokens += row.cacheReadTokens * share;
		t.cacheCreationTokens += row.cacheCreationTokens * share;
		t.totalTokens += row.totalTokens * share;
		t.costUsd += row.costUsd * share;
		t.estimatedRequests += row.estimatedRequests * share;
	};

	const firstHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
	const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS;
	const edges: Array<[number, number]> = [];
	if (firstHour < lastHour) {
		for (const row of s.hourly.all(firstHour, lastHour)) add(row);
		if (start < firstHour) edges.push([start, firstHour]);
		if (lastHour < end) edges.push([lastHour, end]);
	} else {
		edges.push([start, end]);
	}
	for (const [a, b] of edges) {
		for (const row of s.raw.all(...keyRange(a, b))) add(row);
		for (const d of s.deltas.all(a, b)) {
			const span = d.interval_end - d.interval_start;
			const overlap = Math.min(b, d.interval_end) - Math.max(a, d.interval_start);
			const share = span <= 0 ? (d.interval_start >= a && d.interval_start < b ? 1 : 0) : overlap / span;
			if (share <= 0) continue;
			const tokens = d.total_tokens;
			add({provider: '', model: d.model, requests: d.requests, failed: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, totalTokens: tokens, costUsd: d.cost_usd ?? 0, estimatedRequests: d.requests}, share);
		}
	}
	return [...totals.values()]
		.map(t => ({...t, requests: Math.round(t.requests), failed: Math.round(t.failed), estimatedRequests: Math.round(t.estimatedRequests)}))
		.filter(t => t.requests > 0 || t.totalTokens > 0)
		.sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.model.localeCompare(b.model));
}
