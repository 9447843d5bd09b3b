import {dict, dictFrom, type Dict} from '../text/dict.js';

/**
 * `daily_stats.breakdown` keeps the original collector's shape, so its dashboards and
 * scripts read ours unchanged:
 * {"models": {m: {requests, tokens, cost, input_tokens, output_tokens, reasoning_tokens, cached_tokens}},
 *  "endpoints": {e: {requests, tokens, cost, models: {m: {requests, tokens, cost}}}}}
 */
export type ModelBreakdown = {
	requests: number;
	tokens: number;
	cost: number;
	input_tokens: number;
	output_tokens: number;
	reasoning_tokens: number;
	cached_tokens: number;
};
/** Keyed by model and endpoint names, which come from CPA: every map here has no prototype (see dict). */
export type EndpointBreakdown = {requests: number; tokens: number; cost: number; models: Dict<{requests: number; tokens: number; cost: number}>};
export type DailyBreakdown = {models: Dict<ModelBreakdown>; endpoints: Dict<EndpointBreakdown>};

export type DailyIncrement = {
	model: string;
	endpoint: string;
	requests: number;
	failed: number;
	input: number;
	output: number;
	reasoning: number;
	cached: number;
	tokens: number;
	cost: number;
};

export function emptyBreakdown(): DailyBreakdown {
	return {models: dict(), endpoints: dict()};
}

/** Reads a stored breakdown; anything unexpected starts a fresh one rather than failing a write. */
export function parseBreakdown(text: string | null | undefined): DailyBreakdown {
	if (!text) return emptyBreakdown();
	try {
		const value = JSON.parse(text) as {models?: unknown; endpoints?: unknown};
		const endpoints = dictFrom<EndpointBreakdown>(value.endpoints);
		for (const e of Object.values(endpoints)) if (e && typeof e === 'object') e.models = dictFrom(e.models);
		return {models: dictFrom(value.models), endpoints};
	} catch {
		return emptyBreakdown();
	}
}

/** Adds an increment in place. Costs are rounded to micro-dollars so sums stay stable. */
export function addToBreakdown(b: DailyBreakdown, inc: DailyIncrement): void {
	const m = (b.models[inc.model] ??= {requests: 0, tokens: 0, cost: 0, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cached_tokens: 0});
	m.requests += inc.requests;
	m.tokens += inc.tokens;
	m.cost = roundUsd(m.cost + inc.cost);
	m.input_tokens += inc.input;
	m.output_tokens += inc.output;
	m.reasoning_tokens = (m.reasoning_tokens ?? 0) + inc.reasoning;
	m.cached_tokens = (m.cached_tokens ?? 0) + inc.cached;
	const e = (b.endpoints[inc.endpoint] ??= {requests: 0, tokens: 0, cost: 0, models: dict()});
	e.requests += inc.requests;
	e.tokens += inc.tokens;
	e.cost = roundUsd(e.cost + inc.cost);
	const em = (e.models[inc.model] ??= {requests: 0, tokens: 0, cost: 0});
	em.requests += inc.requests;
	em.tokens += inc.tokens;
	em.cost = roundUsd(em.cost + inc.cost);
}

export function roundUsd(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
