import {metricLabel} from '../text/safe-text.js';

/**
 * How many (provider, model) pairs get series of their own on /metrics; the rest are summed
 * into provider="(other)", model="(other)" (boundMetricRows). Model names come from CPA, so without a bound a
 * stream of distinct names would grow the exposition (and Prometheus's series) without end.
 * Ranked by all-time cost, which only grows, so the set changes rarely; when a model enters
 * the top 50 its history moves out of "(other)", which Prometheus reads as a counter reset.
 */
export const METRIC_MODELS = 50;
export const OTHER = '(other)';

export type MetricModelRow = {provider: string; model: string; cost: number; requests: number} & Record<string, number | string>;

/**
 * How many accounts get series of their own on the usage families; the rest are summed into
 * account="(other)". Accounts come and go with CPA's credentials, so like models they are bounded.
 */
export const METRIC_ACCOUNTS = 20;
/** The account of rows no credential served (legacy counters, CPA v6 rows without auth_index). */
export const NO_ACCOUNT = '(none)';

export type MetricUsageRow = MetricModelRow & {instance: string; account: string};

/** What the bounds folded into "(other)": how many distinct models and accounts. */
export type Folded = {models: number; accounts: number};

/**
 * Usage rows per (instance, provider, model, account) with bounded label values: every value
 * made safe; the top `models` (provider, model) pairs and the top `accounts` accounts by
 * all-time cost (then requests) kept across every instance, the rest folded into "(other)";
 * rows whose labels then coincide summed. Instances are the configured CPAs: not bounded.
 */
export function boundMetricRows<T extends MetricUsageRow>(rows: readonly T[], caps: {models?: number; accounts?: number} = {}): {rows: T[]; folded: Folded} {
	const safe = rows.map(r => ({...r, instance: metricLabel(r.instance), provider: metricLabel(r.provider), model: metricLabel(r.model), account: r.account === '' ? NO_ACCOUNT : metricLabel(r.account)}));
	const modelKey = (r: T) => `${r.provider}\u001F${r.model}`;
	const keepModels = topKeys(safe, modelKey, caps.models ?? METRIC_MODELS);
	const keepAccounts = topKeys(safe, r => r.account, caps.accounts ?? METRIC_ACCOUNTS);
	const out = new Map<string, T>();
	const foldedModels = new Set<string>();
	const foldedAccounts = new Set<string>();
	for (const r of safe) {
		const modelKept = keepModels.has(modelKey(r));
		const accountKept = keepAccounts.has(r.account);
		if (!modelKept) foldedModels.add(modelKey(r));
		if (!accountKept) foldedAccounts.add(r.account);
		const row = {...r, provider: modelKept ? r.provider : OTHER, model: modelKept ? r.model : OTHER, account: accountKept ? r.account : OTHER};
		const key = [row.instance, row.provider, row.model, row.account].join('\u001F');
		const have = out.get(key);
		if (!have) {
			out.set(key, row);
			continue;
		}
		const sum = have as Record<string, number | string>;
		for (const [k, v] of Object.entries(row)) if (typeof v === 'number') sum[k] = (sum[k] as number) + v;
	}
	return {rows: [...out.values()], folded: {models: foldedModels.size, accounts: foldedAccounts.size}};
}

/** The `n` keys with the highest summed cost, then requests, then by name. */
function topKeys<T extends MetricModelRow>(rows: readonly T[], keyOf: (r: T) => string, n: number): Set<string> {
	const totals = new Map<string, {cost: number; requests: number}>();
	for (const r of rows) {
		const key = keyOf(r);
		const t = totals.get(key);
		if (t) {
			t.cost += r.cost;
			t.requests += r.requests;
		} else totals.set(key, {cost: r.cost, requests: r.requests});
	}
	const ranked = [...totals].sort(([ka, a], [kb, b]) => b.cost - a.cost || b.requests - a.requests || (ka < kb ? -1 : ka > kb ? 1 : 0));
	return new Set(ranked.slice(0, n).map(([k]) => k));
}
