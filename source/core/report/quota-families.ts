import type {AccountView} from '../quota/account-view.js';
import {metricLabel} from '../text/safe-text.js';
import type {Family} from './prometheus.js';

/**
 * `instance`: the name shown for accounts whose CPA is not known (the first one's).
 * The providers' own windows per account (labelled by the account's name, never a key), and
 * who is cooling down. Accounts are not capped: they are the credentials configured in CPA.
 */
export function quotaFamilies(accounts: readonly AccountView[], instance: string): Family[] {
	const who = (a: AccountView) => ({instance: metricLabel(a.instance || instance), account: metricLabel(a.label), provider: metricLabel(a.provider ?? '')});
	const windows = accounts.flatMap(a => a.quotas.map(q => ({labels: {...who(a), window: metricLabel(q.id)}, q})));
	return [
		{
			name: 'cliproxy_usage_quota_used_ratio',
			help: "Share of a provider's own quota window used, per account (1 = exhausted; may pass 1 in overage; 0 after the reset until a new observation).",
			type: 'gauge',
			samples: windows.map(({labels, q}) => ({labels, value: q.usedPercent / 100})),
		},
		{
			name: 'cliproxy_usage_quota_resets_at_seconds',
			help: "When a provider's quota window resets, per account (Unix time; absent while unknown).",
			type: 'gauge',
			samples: windows.filter(({q}) => q.resetsAt !== null).map(({labels, q}) => ({labels, value: Math.round(q.resetsAt! / 1000)})),
		},
		{
			name: 'cliproxy_usage_quota_observed_timestamp_seconds',
			help: 'When a quota window was last observed (response headers, the quota endpoint or CPA errors).',
			type: 'gauge',
			samples: windows.map(({labels, q}) => ({labels: {...labels, source: q.source}, value: Math.round(q.observedAt / 1000)})),
		},
		{
			name: 'cliproxy_usage_account_cooling_down',
			help: 'Whether CPA is keeping an account out of rotation (cooling down after a limit), per account.',
			type: 'gauge',
			samples: accounts.map(a => ({labels: who(a), value: a.state === 'cooling_down' ? 1 : 0})),
		},
	];
}
