import {formatEstimatedUsd, formatInt, formatPercent, formatTokens} from '../core/report/format.js';
import type {ModelRow} from '../app/dashboard-data.js';
import type {SortKey} from './state.js';
import {safeText, TEXT_LIMITS} from '../core/text/safe-text.js';

export type TableRow = Record<string, string>;
export type TableSpec = {columns: Array<{key: string; align: 'left' | 'right'}>; rows: TableRow[]; hidden: number};

const SETS: Array<Array<{key: string; get: (m: ModelRow) => string}>> = [
	[
		{key: 'Reqs', get: m => formatInt(m.requests)},
		{key: 'Input', get: m => formatTokens(m.inputTokens)},
		{key: 'Cache R', get: m => formatTokens(m.cacheReadTokens)},
		{key: 'Cache W', get: m => formatTokens(m.cacheWriteTokens)},
		// Output includes reasoning, for every provider; Reason says how much of it.
		{key: 'Output', get: m => formatTokens(m.outputTokens)},
		{key: 'Reason', get: m => formatTokens(m.reasoningTokens)},
		{key: 'Cost', get: costCell},
		{key: 'Share', get: m => formatPercent(m.share)},
	],
	[
		{key: 'Reqs', get: m => formatInt(m.requests)},
		{key: 'Input', get: m => formatTokens(m.inputTokens)},
		{key: 'Cache R', get: m => formatTokens(m.cacheReadTokens)},
		{key: 'Output', get: m => formatTokens(m.outputTokens)},
		{key: 'Cost', get: costCell},
		{key: 'Share', get: m => formatPercent(m.share)},
	],
	[
		{key: 'Reqs', get: m => formatInt(m.requests)},
		{key: 'Tokens', get: m => formatTokens(m.totalTokens)},
		{key: 'Cost', get: costCell},
		{key: 'Share', get: m => formatPercent(m.share)},
	],
	[
		{key: 'Cost', get: costCell},
		{key: 'Share', get: m => formatPercent(m.share)},
	],
];

/** `~$1.23`: a cost that includes estimated requests (the one mark, format.ts). */
function costCell(m: ModelRow): string {
	return formatEstimatedUsd(m.costUsd, m.estimatedRequests);
}

export function sortModels(models: readonly ModelRow[], sort: SortKey): ModelRow[] {
	const by: Record<SortKey, (a: ModelRow, b: ModelRow) => number> = {
		cost: (a, b) => b.costUsd - a.costUsd || b.requests - a.requests,
		requests: (a, b) => b.requests - a.requests || b.costUsd - a.costUsd,
		tokens: (a, b) => b.totalTokens - a.totalTokens || b.requests - a.requests,
		model: (a, b) => a.model.localeCompare(b.model),
	};
	return [...models].sort(by[sort]);
}

/**
 * The richest column set whose numbers fit in `width` while leaving the model name at least
 * 14 characters; names are cut to the room left (the table sizes columns by content, with
 * one space of padding on each side). Shows the first `limit` rows in sort order.
 */
export function modelTable(models: readonly ModelRow[], sort: SortKey, width: number, limit: number): TableSpec {
	const sorted = sortModels(models, sort);
	const shown = sorted.slice(0, Math.max(0, limit));
	const hidden = sorted.length - shown.length;
	// Several CPAs: a CPA column beside the model (names up to 14 columns).
	const several = models.some(m => m.instance !== undefined);
	const cpa = shown.map(m => safeText(m.instance ?? '', 14));
	const cpaWidth = several ? Math.max(3, ...cpa.map(c => c.length)) + 2 : 0;
	for (const set of SETS) {
		const cells = shown.map(m => set.map(c => c.get(m)));
		const widths = set.map((c, i) => Math.max(c.key.length, ...cells.map(row => row[i]!.length)) + 2);
		const room = width - widths.reduce((a, b) => a + b, 0) - cpaWidth - 2;
		if (room < 14 && set !== SETS.at(-1)) continue;
		const nameWidth = Math.max(6, room);
		const rows = shown.map((m, r) => {
			const name = safeText(m.model, Math.min(nameWidth, TEXT_LIMITS.model));
			return Object.fromEntries([['Model', name], ...(several ? [['CPA', cpa[r]!]] : []), ...set.map((c, i) => [c.key, cells[r]![i]!])]) as TableRow;
		});
		const lead: TableSpec['columns'] = [{key: 'Model', align: 'left'}, ...(several ? [{key: 'CPA', align: 'left' as const}] : [])];
		return {columns: [...lead, ...set.map(c => ({key: c.key, align: 'right' as const}))], rows, hidden};
	}
	throw new Error('unreachable: the last column set always fits');
}

/** A side-pane's table: name, cost and share, the name cut only to the room those two leave (16 columns). */
export function narrowModelTable(models: readonly ModelRow[], sort: SortKey, width: number, limit: number): TableSpec {
	const sorted = sortModels(models, sort);
	const shown = sorted.slice(0, Math.max(0, limit));
	const nameWidth = Math.min(Math.max(6, width - 16), TEXT_LIMITS.model);
	return {
		columns: [{key: 'Model', align: 'left'}, {key: 'Cost', align: 'right'}, {key: 'Share', align: 'right'}],
		// Several CPAs: the CPA's name before the model's, so a cut name still says whose it is.
		rows: shown.map(m => ({Model: safeText(m.instance === undefined ? m.model : `${m.instance}: ${m.model}`, nameWidth), Cost: costCell(m), Share: formatPercent(m.share)})),
		hidden: sorted.length - shown.length,
	};
}
