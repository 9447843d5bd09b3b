import {toCsv, type CsvValue} from './csv.js';
import {formatInt, formatUsd} from './format.js';
import {sumPeriods} from './period-report.js';
import type {PeriodKind} from './report-range.js';
import type {DailyStatsRow, ModelTotalsRow, PeriodRow} from './report-rows.js';
import {renderTable, type RenderedTable, type TableColumn} from './text-table.js';
import {safeJson, safeOr, safeText} from '../text/safe-text.js';

/** How reports read: grouped thousands, dollars, and a star on costs that include estimated prices. */
export const int = (n: number): string => formatInt(Math.round(n));
export const cost = (usd: number, estimated: number): string => `${formatUsd(usd)}${estimated > 0 ? '*' : ' '}`;

export const ESTIMATED_NOTE = (n: number): string =>
	`* includes ${int(n)} request${n === 1 ? '' : 's'} at estimated prices (a model missing from the price list, priced at the default rate, or known only from CPA's counters)`;

const PERIOD_LABEL: Record<PeriodKind, string> = {daily: 'Date', weekly: 'Week of', monthly: 'Month'};
const PERIOD_KEY: Record<PeriodKind, string> = {daily: 'stat_date', weekly: 'week_start', monthly: 'month'};

export function periodTable(kind: PeriodKind, rows: readonly PeriodRow[], maxWidth?: number): RenderedTable {
	const columns: TableColumn[] = [
		{header: PERIOD_LABEL[kind], align: 'left', priority: Infinity},
		{header: 'Models', align: 'left', priority: 40, maxWidth: 36},
		{header: 'Requests', align: 'right', priority: 80},
		{header: 'Failed', align: 'right', priority: 20},
		{header: 'Input', align: 'right', priority: 60},
		{header: 'Output', align: 'right', priority: 50},
		{header: 'Reasoning', align: 'right', priority: 10},
		{header: 'Cache', align: 'right', priority: 30},
		{header: 'Total Tokens', align: 'right', priority: 90},
		{header: 'Cost (USD)', align: 'right', priority: 100},
	];
	const cells = (label: string, r: Omit<PeriodRow, 'period' | 'first_date' | 'last_date'>) => [
		label,
		r.models.map(m => `- ${safeText(m, 'model')}`).join('\n'),
		int(r.total_requests),
		int(r.failure_count),
		int(r.input_tokens),
		int(r.output_tokens),
		int(r.reasoning_tokens),
		int(r.cached_tokens),
		int(r.total_tokens),
		cost(r.estimated_cost_usd, r.estimated_requests),
	];
	return renderTable(
		columns,
		rows.map(r => cells(r.period, r)),
		{maxWidth, total: cells('Total', {...sumPeriods(rows), models: []})},
	);
}

const PERIOD_FIELDS = ['total_requests', 'success_count', 'failure_count', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cached_tokens', 'total_tokens', 'estimated_cost_usd', 'estimated_requests'] as const;

/** One line per period; models joined with ";". Daily rows have no first/last date (it is the date). */
export function periodCsv(kind: PeriodKind, rows: readonly PeriodRow[]): string {
	const dates = kind === 'daily' ? [] : ['first_date', 'last_date'];
	const header = [PERIOD_KEY[kind], ...dates, ...PERIOD_FIELDS, 'models'];
	return toCsv(
		header,
		rows.map(r => [r.period, ...(kind === 'daily' ? [] : [r.first_date, r.last_date]), ...PERIOD_FIELDS.map(f => r[f]), r.models.map(m => safeText(m, 'model')).join(';')]),
	);
}

/**
 * Daily: the `daily_stats` rows themselves (the original shape). Weekly and monthly: one object
 * per period. Names keep their exact value; what a terminal could act on is \u-escaped.
 */
export function periodJson(kind: PeriodKind, days: readonly DailyStatsRow[], rows: readonly PeriodRow[]): string {
	if (kind === 'daily') return `${safeJson(days, 2)}\n`;
	const out = rows.map(({period, first_date, last_date, ...rest}) => ({[PERIOD_KEY[kind]]: period, first_date, last_date, ...rest}));
	return `${safeJson(out, 2)}\n`;
}

export function modelsTable(rows: readonly ModelTotalsRow[], maxWidth?: number): RenderedTable {
	const columns: TableColumn[] = [
		{header: 'Model', align: 'left', priority: Infinity, maxWidth: 40},
		{header: 'Provider', align: 'left', priority: 35, maxWidth: 24},
		{header: 'Requests', align: 'right', priority: 80},
		{header: 'Failed', align: 'right', priority: 20},
		{header: 'Input', align: 'right', priority: 60},
		{header: 'Output', align: 'right', priority: 50},
		{header: 'Reasoning', align: 'right', priority: 10},
		{header: 'Cached', align: 'right', priority: 30},
		{header: 'Cache Write', align: 'right', priority: 25},
		{header: 'Total Tokens', align: 'right', priority: 90},
		{header: 'Cost (USD)', align: 'right', priority: 100},
	];
	const cells = (model: string, provider: string, r: ModelTotalsRow) => [
		model,
		provider,
		int(r.requests),
		int(r.failed),
		int(r.input_tokens),
		int(r.output_tokens),
		int(r.reasoning_tokens),
		int(r.cached_tokens),
		int(r.cache_creation_tokens),
		int(r.total_tokens),
		cost(r.cost_usd, r.estimated_requests),
	];
	return renderTable(
		columns,
		rows.map(r => cells(safeText(r.model, 'model'), safeOr(r.provider, 'provider', '—'), r)),
		{maxWidth, total: cells('Total', '', sumModels(rows))},
	);
}

const MODEL_FIELDS = ['provider', 'model', 'requests', 'failed', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cached_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'total_tokens', 'cost_usd', 'estimated_requests'] as const;

export function modelsCsv(rows: readonly ModelTotalsRow[]): string {
	const shown = (f: (typeof MODEL_FIELDS)[number], r: ModelTotalsRow): CsvValue => (f === 'model' ? safeText(r.model, 'model') : f === 'provider' ? safeText(r.provider, 'provider') : r[f]);
	return toCsv(MODEL_FIELDS, rows.map(r => MODEL_FIELDS.map(f => shown(f, r))));
}

export function sumModels(rows: readonly ModelTotalsRow[]): ModelTotalsRow {
	const t: ModelTotalsRow = {provider: '', model: '', requests: 0, failed: 0, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cached_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, total_tokens: 0, cost_usd: 0, estimated_requests: 0};
	for (const r of rows) {
		for (const f of MODEL_FIELDS) if (f !== 'provider' && f !== 'model') t[f] += r[f];
	}
	t.cost_usd = Math.round(t.cost_usd * 1e6) / 1e6;
	return t;
}
