import type {AccountView} from '../core/quota/account-view.js';
import {describeKind, shownLabel, withInstanceLabels} from '../core/quota/describe.js';
import {formatInt, formatShortDuration, formatUsd} from '../core/report/format.js';
import {safeText} from '../core/text/safe-text.js';

export type AccountCell = {text: string; color?: 'green' | 'yellow' | 'red' | 'gray'};
export type AccountColumn = {key: string; align: 'left' | 'right'; width: number};
export type AccountTable = {columns: AccountColumn[]; rows: AccountCell[][]; hidden: number};

type Spec = {key: string; align: 'left' | 'right'; priority: number; cell: (a: AccountView, now: number) => AccountCell; shrink?: number};

const SPECS: Spec[] = [
	{key: 'Account', align: 'left', priority: 9, cell: a => ({text: shownLabel(a)}), shrink: 10},
	{key: 'Kind', align: 'left', priority: 3, cell: a => ({text: describeKind(a)}), shrink: 8},
	{key: 'State', align: 'left', priority: 8, cell: stateCell},
	{key: 'Windows', align: 'left', priority: 7, cell: windowsCell, shrink: 12},
	{key: 'Reqs', align: 'right', priority: 6, cell: a => ({text: formatInt(a.usage.requests)})},
	{key: 'Fail', align: 'right', priority: 4, cell: a => upstreamCell(a.usage.failed - a.usage.rateLimited - a.usage.cancelled)},
	{key: '429', align: 'right', priority: 5, cell: a => ({text: formatInt(a.usage.rateLimited), color: a.usage.rateLimited > 0 ? 'yellow' : undefined})},
	{key: 'Cost', align: 'right', priority: 6, cell: a => ({text: `${a.usage.estimatedRequests > 0 ? '~' : ''}${formatUsd(a.usage.costUsd)}`})},
];

function stateCell(a: AccountView, now: number): AccountCell {
	switch (a.state) {
		case 'cooling_down':
			return {text: `cooling${a.cooldownUntil === null ? '' : ` ${formatShortDuration(a.cooldownUntil - now)}`}`, color: 'yellow'};
		case 'error':
			return {text: 'error', color: 'red'};
		case 'disabled':
			return {text: 'disabled', color: 'gray'};
		case 'removed':
			return {text: 'removed', color: 'gray'};
		case 'unknown':
			return {text: '–', color: 'gray'};
		case 'active':
			return a.modelCooldowns.length > 0 ? {text: `${a.modelCooldowns.length} model${a.modelCooldowns.length === 1 ? '' : 's'} cooling`, color: 'yellow'} : {text: 'active', color: 'green'};
	}
}

/** The tightest official windows (three at most): `5h 85% · weekly 31%`. */
function windowsCell(a: AccountView): AccountCell {
	if (a.quotas.length === 0) return {text: '–', color: 'gray'};
	const top = a.quotas[0]!;
	const text = a.quotas
		.slice(0, 3)
		.map(q => `${safeText(q.label, 'label')} ${q.status === 'reset' ? 'reset' : `${Math.round(q.usedPercent)}%`}`)
		.join(' · ');
	return {text, color: top.usedPercent >= 90 ? 'red' : top.usedPercent >= 70 ? 'yellow' : undefined};
}

/**
 * The accounts table for `width` columns and `limit` rows: the least important columns go
 * first when it is too wide, then the account and window texts are cut (never below a few
 * characters). One space between columns.
 */
export function accountTable(accounts: readonly AccountView[], width: number, limit: number, now: number): AccountTable {
	const shown = withInstanceLabels(accounts).slice(0, Math.max(0, limit));
	let specs = [...SPECS];
	const cells = () => shown.map(a => specs.map(s => s.cell(a, now)));
	const widths = (rows: AccountCell[][]) => specs.map((s, i) => Math.max(s.key.length, ...rows.map(r => [...r[i]!.text].length)));
	let rows = cells();
	let w = widths(rows);
	const total = () => w.reduce((sum, x) => sum + x, 0) + specs.length - 1;
	const drop = (spec: Spec) => {
		specs = specs.filter(s => s !== spec);
		rows = cells();
		w = widths(rows);
	};
	// Columns that matter least go before any text is cut; then texts shrink to their floor; then more columns go.
	for (;;) {
		if (total() <= width || specs.length <= 2) break;
		const low = specs.reduce((a, b) => (b.priority < a.priority ? b : a));
		const shrinkable = specs.reduce((sum, s, i) => sum + (s.shrink ? Math.max(0, w[i]! - s.shrink) : 0), 0);
		if (low.priority > 4 && shrinkable >= total() - width) break;
		drop(low);
	}
	if (total() > width) {
		let left = total() - width;
		// The windows text gives way first (its tail is the least tight window), then the others.
		const order = specs.map((s, i) => i).sort((a, b) => Number(specs[b]!.key === 'Windows') - Number(specs[a]!.key === 'Windows'));
		for (const i of order) {
			if (left <= 0) break;
			const cut = Math.min(specs[i]!.shrink ? Math.max(0, w[i]! - specs[i]!.shrink!) : 0, left);
			w[i] = w[i]! - cut;
			left -= cut;
		}
		if (left > 0) w[0] = Math.max(4, w[0]! - left);
	}
	const clipped = rows.map(r => r.map((c, i) => ({...c, text: clip(c.text, w[i]!)})));
	return {columns: specs.map((s, i) => ({key: s.key, align: s.align, width: w[i]!})), rows: clipped, hidden: accounts.length - shown.length};
}

function clip(text: string, width: number): string {
	const chars = [...text];
	return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Failures the upstream is to blame for: 429s have a column of their own, and client cancels are not failures of the account. */
function upstreamCell(n: number): {text: string; color?: 'yellow'} {
	return {text: formatInt(n), color: n > 0 ? 'yellow' : undefined};
}
