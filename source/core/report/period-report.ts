import {dict} from '../text/dict.js';
import {roundUsd, type DailyBreakdown, type EndpointBreakdown} from './daily-breakdown.js';
import {periodDates, periodOf, type DateRange, type PeriodKind} from './report-range.js';
import type {DailyStatsRow, PeriodRow, Totals} from './report-rows.js';

/** Sums days into periods; days must be in date order. */
export function periodRows(kind: PeriodKind, days: readonly DailyStatsRow[], range: DateRange): PeriodRow[] {
	const rows = new Map<string, PeriodRow & {modelSet: Set<string>}>();
	for (const day of days) {
		const key = periodOf(kind, day.stat_date);
		let row = rows.get(key);
		if (!row) {
			const {first, last} = periodDates(kind, key, range);
			rows.set(key, (row = {...emptyTotals(), period: key, first_date: first, last_date: last, models: [], modelSet: new Set()}));
		}
		addDay(row, day);
		for (const model of Object.keys(day.breakdown.models)) row.modelSet.add(model);
	}
	return [...rows.values()].map(({modelSet, ...row}) => ({...row, estimated_cost_usd: roundUsd(row.estimated_cost_usd), models: [...modelSet].sort()}));
}


export function emptyTotals(): Totals {
	return {
		total_requests: 0,
		success_count: 0,
		failure_count: 0,
		input_tokens: 0,
		output_tokens: 0,
		reasoning_tokens: 0,
		cached_tokens: 0,
		total_tokens: 0,
		estimated_cost_usd: 0,
		estimated_requests: 0,
	};
}

/** The sum of every row: the table's total line. */
export function sumPeriods(rows: readonly Totals[]): Totals {
	const t = emptyTotals();
	for (const r of rows) {
		for (const k of Object.keys(t) as Array<keyof Totals>) t[k] += r[k];
	}
	t.estimated_cost_usd = roundUsd(t.estimated_cost_usd);
	return t;
}

function addDay(into: Totals, day: DailyStatsRow): void {
	into.total_requests += day.total_requests;
	into.success_count += day.success_count;
	into.failure_count += day.failure_count;
	into.total_tokens += day.total_tokens;
	into.estimated_cost_usd += day.estimated_cost_usd;
	into.estimated_requests += day.estimated_requests;
	for (const m of Object.values(day.breakdown.models)) {
		into.input_tokens += m.input_tokens ?? 0;
		into.output_tokens += m.output_tokens ?? 0;
		into.reasoning_tokens += m.reasoning_tokens ?? 0;
		into.cached_tokens += m.cached_tokens ?? 0;
	}
}

/** `--model PATTERN`: a case-insensitive substring of the model name, as the original's limits matched. */
export function modelMatcher(pattern: string): (model: string) => boolean {
	const needle = pattern.toLowerCase();
	return model => model.toLowerCase().includes(needle);
}

/** A day's breakdown cut down to the matching models; each endpoint's totals are its remaining models'. */
export function filterBreakdown(b: DailyBreakdown, matches: (model: string) => boolean): DailyBreakdown {
	const models = dict(Object.entries(b.models).filter(([m]) => matches(m)));
	const endpoints = dict<EndpointBreakdown>();
	for (const [name, e] of Object.entries(b.endpoints)) {
		const kept = Object.entries(e.models ?? {}).filter(([m]) => matches(m));
		if (kept.length === 0) continue;
		endpoints[name] = {
			requests: kept.reduce((s, [, m]) => s + m.requests, 0),
			tokens: kept.reduce((s, [, m]) => s + m.tokens, 0),
			cost: roundUsd(kept.reduce((s, [, m]) => s + m.cost, 0)),
			models: dict(kept),
		};
	}
	return {models, endpoints};
}
