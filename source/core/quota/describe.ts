import type {AccountView} from './account-view.js';
import {formatShortDuration} from '../report/format.js';
import {safeText} from '../text/safe-text.js';
import type {WindowView} from './window-view.js';

/** An account's label as shown anywhere text is drawn: outside text, made safe. */
export function shownLabel(a: Pick<AccountView, 'label'>): string {
	return safeText(a.label, 'label');
}

/**
 * Accounts of several CPAs, each label led by its CPA's name (`team: alice@example.com`), since
 * two CPAs can serve credentials that look alike; accounts of one CPA as they are.
 */
export function withInstanceLabels<T extends Pick<AccountView, 'label' | 'instance'>>(accounts: readonly T[]): readonly T[] {
	if (new Set(accounts.map(a => a.instance ?? '')).size <= 1) return accounts;
	return accounts.map(a => (a.instance ? {...a, label: `${a.instance}: ${a.label}`} : a));
}

/** `5h 35% ↻2h13m`, `weekly 85% ⚠ out in 4h`, `weekly Fable 0% (reset)`. Labels from a provider are outside text: shown safe. */
export function describeWindow(w: WindowView, now: number): string {
	const used = `${Math.round(w.usedPercent)}%`;
	const label = safeText(w.label, 'label');
	if (w.status === 'reset') return `${label} ${used} (reset, awaiting data)`;
	const reset = w.resetsAt === null ? '' : ` ↻${formatShortDuration(w.resetsAt - now)}`;
	const out = w.status === 'rejected' || w.usedPercent >= 100 ? ' ⚠ used up' : w.projectedExhaustionAt !== null ? ` ⚠ out in ${formatShortDuration(w.projectedExhaustionAt - now)}` : '';
	return `${label} ${used}${reset}${out}`;
}

/** `cooling down 1h12m (quota)`, `active`, `disabled`; CPA's reasons and model names shown safe. */
export function describeState(a: AccountView, now: number): string {
	return safeText(stateText(a, now), 'message');
}

function stateText(a: AccountView, now: number): string {
	switch (a.state) {
		case 'cooling_down':
			return `cooling down${a.cooldownUntil === null ? '' : ` ${formatShortDuration(a.cooldownUntil - now)}`}${a.reason ? ` (${a.reason})` : ''}`;
		case 'error':
			return a.reason ? `error: ${a.reason}` : 'error';
		case 'active':
			return a.modelCooldowns.length > 0 ? `active; ${a.modelCooldowns.map(m => `${m.model} ${formatShortDuration(m.until - now)}`).join(', ')} cooling` : 'active';
		default:
			return a.state;
	}
}

/** `claude max`, `codex pro`, `claude API key`. */
export function describeKind(a: Pick<AccountView, 'provider' | 'plan' | 'accountType'>): string {
	const plan = a.plan ?? (a.accountType === 'api_key' ? 'API key' : null);
	return safeText([a.provider ?? '?', plan].filter(Boolean).join(' '), 'provider');
}

/** How old an observation is, for people: `now`, `4m old`. */
export function describeAge(ms: number): string {
	return ms < 60_000 ? 'now' : `${formatShortDuration(ms)} old`;
}
