import {accountState, type AccountFacts, type AccountStateName} from './account-state.js';
import type {StoredWindow} from './anchor.js';
import {byTightest, windowView, type WindowView} from './window-view.js';

/** What is stored of one credential (the store's row, less the columns the view does not use). */
export type AccountRecord = Omit<AccountFacts, 'models' | 'lastListingAt'> & {
	authIndex: string;
	label: string | null;
	provider: string | null;
	plan: string | null;
	accountType: string | null;
	lastRequestAt: number | null;
};

/** `failed` counts every failed request, of which `rateLimited` were 429s and `cancelled` client cancels (499) or deadlines (504). */
export type AccountUsageTotals = {requests: number; failed: number; rateLimited: number; cancelled: number; tokens: number; costUsd: number; estimatedRequests: number};

/** One account as every view shows it: who, its state, its usage for a period, its official windows (tightest first). */
export type AccountView = {
	/** The account's key: CPA's auth_index, prefixed `<tag>/` for every instance but the first (core/cpa/account-key.ts). */
	authIndex: string;
	/** The CPA that serves it (its configured name; '' when unknown) and the auth_index that CPA gives it. */
	instance?: string;
	cpaAuthIndex?: string;
	label: string;
	provider: string | null;
	plan: string | null;
	accountType: string | null;
	state: AccountStateName;
	cooldownUntil: number | null;
	reason: string | null;
	modelCooldowns: Array<{model: string; until: number; reason: string | null}>;
	lastRequestAt: number | null;
	usage: AccountUsageTotals;
	quotas: WindowView[];
};

const NO_USAGE: AccountUsageTotals = Object.freeze({requests: 0, failed: 0, rateLimited: 0, cancelled: 0, tokens: 0, costUsd: 0, estimatedRequests: 0});

/**
 * Every account at `now`, worst first: cooling down or failing before healthy, then by the
 * tightest official window, then by cost in the period.
 */
export function accountViews(
	accounts: readonly AccountRecord[],
	models: ReadonlyMap<string, AccountFacts['models']>,
	windows: ReadonlyMap<string, readonly StoredWindow[]>,
	usage: ReadonlyMap<string, AccountUsageTotals>,
	now: number,
	lastListingAt: number | null | ((authIndex: string) => number | null),
	instanceOf: (authIndex: string) => {instance: string; cpaAuthIndex: string} = authIndex => ({instance: '', cpaAuthIndex: authIndex}),
): AccountView[] {
	const views = accounts.map((a): AccountView => {
		const listing = typeof lastListingAt === 'function' ? lastListingAt(a.authIndex) : lastListingAt;
		const state = accountState({...a, models: models.get(a.authIndex) ?? [], lastListingAt: listing}, now);
		return {
			authIndex: a.authIndex,
			...instanceOf(a.authIndex),
			label: a.label ?? a.authIndex,
			provider: a.provider,
			plan: a.plan,
			accountType: a.accountType,
			state: state.state,
			cooldownUntil: state.cooldownUntil,
			reason: state.reason,
			modelCooldowns: state.modelCooldowns,
			lastRequestAt: a.lastRequestAt,
			usage: usage.get(a.authIndex) ?? NO_USAGE,
			quotas: (windows.get(a.authIndex) ?? []).map(w => windowView(w, now)).sort(byTightest),
		};
	});
	return views.sort(worstFirst);
}

const STATE_RANK: Record<AccountStateName, number> = {cooling_down: 0, error: 1, disabled: 2, active: 3, unknown: 4, removed: 5};

function worstFirst(a: AccountView, b: AccountView): number {
	const urgent = (v: AccountView) => (v.state === 'cooling_down' || v.state === 'error' ? 0 : 1);
	return (
		urgent(a) - urgent(b) ||
		(b.quotas[0]?.usedPercent ?? -1) - (a.quotas[0]?.usedPercent ?? -1) ||
		STATE_RANK[a.state] - STATE_RANK[b.state] ||
		b.usage.costUsd - a.usage.costUsd ||
		a.label.localeCompare(b.label)
	);
}
