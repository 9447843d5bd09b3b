import {describeConfig, describeWindow} from '../limits/describe.js';
import type {LimitStatus} from '../limits/types.js';
import type {StoredWindow} from '../quota/anchor.js';
import {windowView} from '../quota/window-view.js';
import {safeText} from '../text/safe-text.js';

/**
 * One thing an alert watches, in its current window: a limit you set, or an account's official
 * quota window. `key` names the watched thing and, where the window has a fixed start, that
 * start, so a new window (or a manual reset) is a new key. Nothing here is a secret: the text
 * fields are what the dashboard shows (an account by its label, as the accounts view names it).
 */
export type AlertSubject = {
	kind: 'limit' | 'quota';
	key: string;
	/** Used, in percent (may pass 100). */
	percent: number;
	/** When this window ends, when known: a daily or weekly boundary, a quota's reset. */
	windowEnd: number | null;
	/** The window's length, for one whose end is not known (rolling limits, quota windows without a reset time). */
	windowMs: number | null;
	/** "limit #3 Anthropic Pro · claude (substring), daily", "alice@example.com (claude) 5h". */
	name: string;
	/** "812k / 1M tokens"; '' for quota windows (the provider gives a percentage only). */
	detail: string;
	/** When the used figure next drops, if known. */
	resetsAt: number | null;
	limit?: {id: number; provider: string; tier: string; pattern: string; window: string; dimension: string};
	quota?: {account: string; provider: string | null; window: string; source: string};
};

export function limitSubjects(statuses: readonly LimitStatus[]): AlertSubject[] {
	return statuses.map(s => {
		const c = s.config;
		const rolling = c.strategy === 'rolling';
		return {
			kind: 'limit',
			key: rolling ? `limit:${c.id}:rolling:${c.reset_anchor_timestamp ?? 0}` : `limit:${c.id}:${s.window_start}`,
			percent: s.percent_used,
			windowEnd: rolling ? null : s.next_reset,
			windowMs: rolling ? (c.window_minutes ?? 0) * 60_000 : null,
			name: safeText(`limit ${describeConfig(c)}, ${describeWindow(c)}`, 'message'),
			detail: safeText(s.label, 'message'),
			resetsAt: s.next_reset,
			limit: {id: c.id, provider: safeText(c.provider, 'provider'), tier: safeText(c.tier_name, 'provider'), pattern: safeText(c.model_pattern, 'model'), window: describeWindow(c), dimension: s.binding},
		};
	});
}

export type QuotaAccount = {authIndex: string; label: string | null; provider: string | null};

/** Every stored official window, as the gauges show it at `now` (0 % once its reset passed). */
export function quotaSubjects(accounts: readonly QuotaAccount[], windows: ReadonlyArray<StoredWindow & {authIndex: string}>, now: number): AlertSubject[] {
	const byIndex = new Map(accounts.map(a => [a.authIndex, a]));
	return windows.map(w => {
		const a = byIndex.get(w.authIndex);
		const account = safeText(a?.label ?? w.authIndex, 'label');
		const provider = a?.provider ? safeText(a.provider, 'provider') : null;
		const view = windowView(w, now);
		const label = safeText(w.label, 'label');
		return {
			kind: 'quota',
			key: `quota:${w.authIndex}:${w.id}`,
			percent: view.usedPercent,
			windowEnd: w.resetsAt,
			windowMs: w.windowMinutes === null ? null : w.windowMinutes * 60_000,
			name: `${account}${provider ? ` (${provider})` : ''} ${label} window`,
			detail: '',
			resetsAt: view.resetsAt,
			quota: {account, provider, window: safeText(w.id, 'label'), source: w.source},
		};
	});
}
