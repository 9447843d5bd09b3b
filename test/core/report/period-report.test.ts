import {describe, expect, it} from 'vitest';
import {modelMatcher, periodRows, sumPeriods} from '../../../source/core/report/period-report.js';
import type {DailyStatsRow} from '../../../source/core/report/report-rows.js';

const model = (requests: number, tokens: number, cost: number) => ({requests, tokens, cost, input_tokens: tokens - 10, output_tokens: 10, reasoning_tokens: 1, cached_tokens: 2});

function day(date: string, models: Record<string, ReturnType<typeof model>>): DailyStatsRow {
	const list = Object.values(models);
	const requests = list.reduce((s, m) => s + m.requests, 0);
	return {
		id: 1,
		stat_date: date,
		total_requests: requests,
		success_count: requests - 1,
		failure_count: 1,
		total_tokens: list.reduce((s, m) => s + m.tokens, 0),
		estimated_cost_usd: list.reduce((s, m) => s + m.cost, 0),
		estimated_requests: 1,
		breakdown: {
			models,
			endpoints: {'POST /v1/messages': {requests, tokens: 0, cost: 0, models: Object.fromEntries(Object.entries(models).map(([k, m]) => [k, {requests: m.requests, tokens: m.tokens, cost: m.cost}]))}},
		},
		updated_at: '2026-11-30T00:00:00.000Z',
		rate_limited: 0,
		cancelled: 1,
		input_tokens: list.reduce((s, m) => s + m.input_tokens, 0),
		cache_read_tokens: list.reduce((s, m) => s + m.cached_tokens, 0),
		cache_write_tokens: 0,
		output_tokens: list.reduce((s, m) => s + m.output_tokens, 0),
		reasoning_tokens: list.reduce((s, m) => s + m.reasoning_tokens, 0),
	};
}

const days = [
	day('2026-11-29', {'claude-sonnet-4-5': model(2, 100, 0.1)}), // Sunday
	day('2026-11-30', {'claude-sonnet-4-5': model(3, 200, 0.2), 'gpt-5': model(1, 50, 0.3)}), // Monday
	day('2026-12-01', {'gpt-5': model(4, 400, 0.4)}),
];

describe('periodRows', () => {
	it('sums days into Monday weeks and months, with token splits and the models seen', () => {
		const weeks = periodRows('weekly', days, {from: null, to: null});
		expect(weeks.map(w => [w.period, w.first_date, w.last_date, w.total_requests, w.failure_count, w.input_tokens, w.models])).toEqual([
			['2026-11-23', '2026-11-23', '2026-11-29', 2, 1, 90, ['claude-sonnet-4-5']],
			['2026-11-30', '2026-11-30', '2026-12-06', 8, 2, 620, ['claude-sonnet-4-5', 'gpt-5']],
		]);
		const months = periodRows('monthly', days, {from: '2026-11-15', to: null});
		expect(months.map(m => [m.period, m.first_date, m.last_date, m.total_requests, m.estimated_cost_usd])).toEqual([
			['2026-11', '2026-11-15', '2026-11-30', 6, 0.6],
			['2026-12', '2026-12-01', '2026-12-31', 4, 0.4],
		]);
		expect(sumPeriods(months)).toMatchObject({total_requests: 10, estimated_cost_usd: 1, estimated_requests: 3, total_tokens: 750, reasoning_tokens: 4, cancelled: 3, cache_read_tokens: 8});
		expect(periodRows('daily', days, {from: null, to: null}).map(d => d.period)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
	});
});

describe('model filter', () => {
	it('matches a case-insensitive substring', () => {
		const m = modelMatcher('Sonnet');
		expect(['claude-sonnet-4-5', 'SONNET', 'gpt-5'].map(m)).toEqual([true, true, false]);
	});
});
