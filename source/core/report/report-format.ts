import {toCsv, type CsvValue} from './csv.js';
import {estimateNote, formatEstimatedUsd, formatInt} from './format.js';
import {sumPeriods} from './period-report.js';
import type {PeriodKind} from './report-range.js';
import type {DailyStatsRow, ModelTotalsRow, PeriodRow} from './report-rows.js';
import {renderTable, type RenderedTable, type TableColumn} from './text-table.js';
import {safeJson, safeOr, safeText} from '../text/safe-text.js';

/** How reports read: grouped thousands, and dollars marked as every view marks estimates. */
export const int = (n: number): string => formatInt(Math.round(n));
export const cost = (usd: number, estimated: number): string => formatEstimatedUsd(usd, estimated);

export const ESTIMATED_NOTE = estimateNote;

/** Failures the upstream is to blame for (not 429s, not client cancels or deadlines). */
const upstream = (failed: number, rateLimited: number, cancelled: number) => int(failed - rateLimited - cancelled);

const PERIOD_LABEL: Record<PeriodKind, string> = {daily: 'Date', weekly: 'Week of', monthly: 'Month'};
const PERIOD_KEY: Record<PeriodKind, string> = {daily: 'stat_date', weekly: 'week_start', monthly: 'month'};

/** The usage columns every report table shows, in the one vocabulary (docs/reports.md). */
const USAGE_COLUMNS: TableColumn[] = [
	{header: 'Requests', align: 'right', priority: 80},
	{header: 'Failed', align: 'right', priority: 20},
	{header: '429', align: 'right', priority: 18},
	{header: 'Cancelled', align: 'right', priority: 16},
	{header: 'Input', align: 'right', priority: 60},
	{header: 'Cache Read', align: 'right', priority: 30},
	{header: 'Cache Write', align: 'right', priority: 25},
	{header: 'Output', align: 'right', priority: 50},
	{header: 'Reasoning', align: 'right', priority: 10},
	{header: 'Total Tokens', align: 'right', priority: 90},
	{header: 'Cost (USD)', align: 'right', priority: 100},
];

type UsageRow = {rate_limited: number; cancelled: number; input_tokens: number; cache_read_tokens: number; cache_write_tokens: number; output_tokens: number; reasoning_tokens: number; total_tokens: number; estimated_requests: number};

/** Failed is the upstream's failures; 429s and client cancels (499) or deadlines (504) have columns of their own. */
function usageCells(requests: number, failed: number, r: UsageRow, usd: number): string[] {
	return [
		int(requests),
		upstream(failed, r.rate_limited, r.cancelled),
		int(r.rate_limited),
		int(r.cancelled),
		int(r.input_tokens),
		int(r.cache_read_tokens),
		int(r.cache_write_tokens),
		int(r.output_tokens),
		int(r.reasoning_tokens),
		int(r.total_tokens),
		cost(usd, r.estimated_requests),
	];
}

export function periodTable(kind: PeriodKind, rows: readonly PeriodRow[], maxWidth?: number): RenderedTable {
	const columns: TableColumn[] = [
		{header: PERIOD_LABEL[kind], align: 'left', priority: Infinity},
		{header: 'Models', align: 'left', priority: 40, maxWidth: 36},
		...USAGE_COLUMNS,
	];
	const cells = (label: string, r: Omit<PeriodRow, 'period' | 'first_date' | 'last_date'>) => [
		label,
		r.models.map(m => `- ${safeText(m, 'model')}`).join('\n'),
		...usageCells(r.total_requests, r.failure_count, r, r.estimated_cost_usd),
	];
	return renderTable(
		columns,
		rows.map(r => cells(r.period, r)),
		{maxWidth, total: cells('Total', {...sumPeriods(rows), models: []})},
	);
}

const VOCABULARY_FIELDS = ['rate_limited', 'cancelled', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens'] as const;
const PERIOD_FIELDS = ['total_requests', 'success_count', 'failure_count', ...VOCABULARY_FIELDS, 'estimated_cost_usd', 'estimated_requests'] as const;

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
	// Several CPAs: which one, beside the model.
	const several = rows.some(r => r.instance !== undefined);
	const columns: TableColumn[] = [
		{header: 'Model', align: 'left', priority: Infinity, maxWidth: 40},
		...(several ? [{header: 'Instance', align: 'left', priority: 45, maxWidth: 24} as TableColumn] : []),
		{header: 'Provider', align: 'left', priority: 35, maxWidth: 24},
		{header: 'Tier', align: 'left', priority: 15},
		...USAGE_COLUMNS,
	];
	const cells = (model: string, instance: string, provider: string, tier: string, r: ModelTotalsRow) => [model, ...(several ? [instance] : []), provider, tier, ...usageCells(r.requests, r.failed, r, r.cost_usd)];
	return renderTable(
		columns,
		rows.map(r => cells(safeText(r.model, 'model'), safeText(r.instance ?? '', 'label'), safeOr(r.provider, 'provider', '—'), safeText(r.tier, 'label'), r)),
		{maxWidth, total: cells('Total', '', '', '', sumModels(rows))},
	);
}

const MODEL_FIELDS = ['provider', 'model', 'tier', 'requests', 'failed', ...VOCABULARY_FIELDS, 'cost_usd', 'estimated_requests'] as const;

export function modelsCsv(rows: readonly ModelTotalsRow[]): string {
	const shown = (f: (typeof MODEL_FIELDS)[number], r: ModelTotalsRow): CsvValue => (f === 'model' || f === 'provider' ? safeText(r[f], f) : f === 'tier' ? safeText(r.tier, 'label') : r[f]);
	// Several CPAs: an instance column first.
	if (rows.some(r => r.instance !== undefined)) {
		return toCsv(['instance', ...MODEL_FIELDS], rows.map(r => [safeText(r.instance ?? '', 'label'), ...MODEL_FIELDS.map(f => shown(f, r))]));
	}
	return toCsv(MODEL_FIELDS, rows.map(r => MODEL_FIELDS.map(f => shown(f, r))));
}

export function sumModels(rows: readonly ModelTotalsRow[]): ModelTotalsRow {
	const t: ModelTotalsRow = {provider: '', model: '', tier: '', requests: 0, failed: 0, rate_limited: 0, cancelled: 0, input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0, cost_usd: 0, estimated_requests: 0};
	for (const r of rows) {
		for (const f of MODEL_FIELDS) if (f !== 'provider' && f !== 'model' && f !== 'tier') t[f] += r[f];
	}
	t.cost_usd = Math.round(t.cost_usd * 1e6) / 1e6;
	return t;
}
