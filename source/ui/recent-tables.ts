import type {RecentActivity} from '../app/recent-activity.js';
import {formatLatency, type ModelLatency} from '../core/report/latency-stats.js';
import {ESTIMATE_MARK, formatPercent, formatTokens, formatUsd} from '../core/report/format.js';
import {safeText} from '../core/text/safe-text.js';
import {fitColumns, type Cell, type Column, type FittedTable} from './column-fit.js';

type TailRow = RecentActivity['tail'][number];

/** ok in green; a 429 in yellow; any other failure in red, with its status code when CPA gave one. */
function statusCell(r: TailRow): Cell {
	if (!r.failed) return {text: 'ok', color: 'green'};
	const code = r.statusCode === null ? 'failed' : String(r.statusCode);
	return {text: code, color: r.statusCode === 429 ? 'yellow' : 'red'};
}

const TAIL_COLUMNS: Array<Column<TailRow>> = [
	{key: 'Time', align: 'left', priority: 9, cell: r => ({text: r.time})},
	{key: 'Account', align: 'left', priority: 7, cell: r => ({text: safeText(r.account ?? r.authIndex ?? '–', 'label')}), floor: 10},
	{key: 'Model', align: 'left', priority: 8, cell: r => ({text: safeText(r.model, 'model')}), floor: 12},
	{key: 'Input', align: 'right', priority: 4, cell: r => ({text: formatTokens(r.input)})},
	{key: 'Cache R', align: 'right', priority: 2, cell: r => ({text: formatTokens(r.cacheRead)})},
	{key: 'Output', align: 'right', priority: 5, cell: r => ({text: formatTokens(r.output)})},
	{key: 'Cost', align: 'right', priority: 6, cell: r => ({text: r.costUsd === null ? '–' : `${r.estimated ? ESTIMATE_MARK : ''}${formatUsd(r.costUsd)}`})},
	{key: 'Latency', align: 'right', priority: 3, cell: r => ({text: formatLatency(r.latencyMs)})},
	{key: 'Status', align: 'right', priority: 8, cell: statusCell},
];

/** The latest requests for `width` columns, `limit` of them. */
export function tailTable(tail: readonly TailRow[], width: number, limit: number): FittedTable {
	return fitColumns(TAIL_COLUMNS, tail.slice(0, Math.max(0, limit)), width);
}

const LATENCY_COLUMNS: Array<Column<ModelLatency>> = [
	{key: 'Model', align: 'left', priority: 9, cell: m => ({text: safeText(m.model, 'model')}), floor: 12},
	{key: 'Reqs', align: 'right', priority: 8, cell: m => ({text: String(m.requests)})},
	{key: 'OK', align: 'right', priority: 8, cell: m => ({text: formatPercent(m.successRate), color: m.successRate >= 0.99 ? 'green' : m.successRate >= 0.9 ? 'yellow' : 'red'})},
	{key: '429', align: 'right', priority: 3, cell: m => ({text: String(m.rateLimited), color: m.rateLimited > 0 ? 'yellow' : undefined})},
	{key: 'p50', align: 'right', priority: 7, cell: m => ({text: formatLatency(m.p50Ms)})},
	{key: 'p95', align: 'right', priority: 6, cell: m => ({text: formatLatency(m.p95Ms)})},
	{key: 'TTFT', align: 'right', priority: 4, cell: m => ({text: formatLatency(m.ttftP50Ms)})},
];

/** Latency and success per model for `width` columns, `limit` models (the busiest). */
export function latencyTable(models: readonly ModelLatency[], width: number, limit: number): FittedTable {
	return fitColumns(LATENCY_COLUMNS, models.slice(0, Math.max(0, limit)), width);
}
