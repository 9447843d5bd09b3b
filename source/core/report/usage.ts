import {accountKey} from '../cpa/account-key.js';
import {groupSums, type SeriesLookup, type SeriesSums} from './series.js';
import type {Sums} from './sums.js';

/**
 * Usage of one provider and model (and, where asked, service tier) over a range, in the one
 * vocabulary (docs/reports.md). `failed` counts every failed request, of which `rateLimited`
 * were 429s and `cancelled` client cancels (499) or deadlines (504).
 */
export type ModelUsage = {
	provider: string;
	model: string;
	/** `priority`, `flex`, '' standard; always '' unless read by tier. */
	tier: string;
	/** The stored instance tag ('' the first CPA); only when read by instance. */
	instance?: string;
	requests: number;
	failed: number;
	rateLimited: number;
	cancelled: number;
	inputTokens: number;
	cacheReadTokens: number;
	cacheWriteTokens: number;
	outputTokens: number;
	reasoningTokens: number;
	totalTokens: number;
	costUsd: number;
	/** Requests whose cost is an estimate (docs/pricing.md says when). */
	estimatedRequests: number;
};

/** One credential's usage over a range, with the same counts. */
export type AccountUsage = {authIndex: string; requests: number; failed: number; rateLimited: number; cancelled: number; tokens: number; costUsd: number; estimatedRequests: number};

/** Most expensive first, then most requests, then by name: every model list's order. */
export const byCost = (a: ModelUsage, b: ModelUsage): number => b.costUsd - a.costUsd || b.requests - a.requests || a.model.localeCompare(b.model) || a.tier.localeCompare(b.tier);

export function toModelUsage(provider: string, model: string, tier: string, s: Sums): ModelUsage {
	return {
		provider,
		model,
		tier,
		// Counter deltas are spread over buckets in whole requests, but a read that cuts one
		// takes its share: counts are whole again here.
		requests: Math.round(s.requests),
		failed: Math.round(s.failed),
		rateLimited: Math.round(s.rateLimited),
		cancelled: Math.round(s.cancelled),
		inputTokens: s.input,
		cacheReadTokens: s.cacheRead,
		cacheWriteTokens: s.cacheWrite,
		outputTokens: s.output,
		reasoningTokens: s.reasoning,
		totalTokens: s.total,
		costUsd: s.cost,
		estimatedRequests: Math.round(s.estimated),
	};
}

/** Per provider and model (and tier with `byTier`, instance with `byInstance`), the empty ones left out, most expensive first. */
export function modelUsage(sums: SeriesSums, lookup: SeriesLookup, options: {byTier?: boolean; byInstance?: boolean} = {}): ModelUsage[] {
	const groups = groupSums(sums, lookup, s => `${s.provider}\u001F${s.model}${options.byTier ? `\u001F${s.tier}` : ''}${options.byInstance ? `\u001F${s.instance}` : ''}`);
	const out: ModelUsage[] = [];
	for (const {series, sums: s} of groups.values()) {
		if (s.requests < 0.5 && s.total === 0) continue;
		const u = toModelUsage(series.provider, series.model, options.byTier ? series.tier : '', s);
		if (options.byInstance) u.instance = series.instance;
		out.push(u);
	}
	return out.sort(byCost);
}

/** Per credential; requests CPA named no credential for are left out. */
export function accountUsage(sums: SeriesSums, lookup: SeriesLookup): Map<string, AccountUsage> {
	const out = new Map<string, AccountUsage>();
	for (const [authIndex, {series, sums: s}] of groupSums(sums, lookup, s => (s.authIndex === '' ? '' : accountKey(s.instance, s.authIndex)))) {
		if (series.authIndex === '' || s.requests < 0.5) continue;
		out.set(authIndex, {
			authIndex,
			requests: Math.round(s.requests),
			failed: Math.round(s.failed),
			rateLimited: Math.round(s.rateLimited),
			cancelled: Math.round(s.cancelled),
			tokens: s.total,
			costUsd: Math.round(s.cost * 1e6) / 1e6,
			estimatedRequests: Math.round(s.estimated),
		});
	}
	return out;
}
