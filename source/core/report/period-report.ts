import {roundUsd} from './daily-breakdown.js';
import {periodDates, periodOf, type DateRange, type PeriodKind} from './report-range.js';
import type {DailyStatsRow, PeriodRow, Totals} from './report-rows.js';

/** Sums days into periods; days must be in date order. */
export function periodRows(kind: PeriodKind, days: readonly DailyStatsRow[], range: DateRange): PeriodRow[] {
	const rows = new Map<string, PeriodRow & {modelSet: Set<string>; instanceSet: Set<string>}>();
	for (const day of days) {
		const key = periodOf(kind, day.stat_date);
		let row = rows.get(key);
		if (!row) {
			const {first, last} = periodDates(kind, key, range);
			rows.set(key, (row = {...emptyTotals(), period: key, first_date: first, last_date: last, models: [], modelSet: new Set(), instanceSet: new Set()}));
		}
		addDay(row, day);
		for (const model of Object.keys(day.breakdown.models)) row.modelSet.add(model);
		for (const name of Object.keys(day.breakdown.instances ?? {})) row.instanceSet.add(name);
	}
	const several = days.some(d => d.breakdown.instances !== undefined);
	return [...rows.values()].map(({modelSet, instanceSet, ...row}) => ({
		...row,
		estimated_cost_usd: roundUsd(row.estimated_cost_usd),
		models: [...modelSet].sort(),
		...(several ? {instances: [...instanceSet].sort()} : {}),
	}));
}


export function emptyTotals(): Totals {
	return {
		total_requests: 0,
		success_count: 0,
		failure_count: 0,
		rate_limited: 0,
		cancelled: 0,
		input_tokens: 0,
		cache_read_tokens: 0,
		cache_write_tokens: 0,
		output_tokens: 0,
		reasoning_tokens: 0,
		total_tokens: 0,
		estimated_cost_usd: 0,
		estimated_requests: 0,
	};
}

/** The sum of every row: the table's total line. */
export function sumPeriods(rows: readonly Totals[]): Totals {
	const t = emptyTotals();
	for (const r of rows) for (const k of TOTAL_KEYS) t[k] += r[k];
	t.estimated_cost_usd = roundUsd(t.estimated_cost_usd);
	return t;
}

const TOTAL_KEYS = Object.keys(emptyTotals()) as Array<keyof Totals>;

function addDay(into: Totals, day: DailyStatsRow): void {
	for (const k of TOTAL_KEYS) into[k] += day[k];
}

/** `--model PATTERN`: a case-insensitive substring of the model name, as the original's limits matched. */
export function modelMatcher(pattern: string): (model: string) => boolean {
	const needle = pattern.toLowerCase();
	return model => model.toLowerCase().includes(needle);
}
