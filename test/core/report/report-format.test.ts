import {parse} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {ESTIMATED_NOTE, cost, modelsCsv, periodCsv, periodJson, periodTable} from '../../../source/core/report/report-format.js';
import type {ModelTotalsRow, PeriodRow} from '../../../source/core/report/report-rows.js';

const week: PeriodRow = {
	period: '2026-11-23',
	first_date: '2026-11-25',
	last_date: '2026-11-29',
	total_requests: 1234,
	success_count: 1200,
	failure_count: 34,
	input_tokens: 1_000_000,
	output_tokens: 50_000,
	reasoning_tokens: 7,
	cached_tokens: 300,
	total_tokens: 1_050_000,
	estimated_cost_usd: 12.345678,
	estimated_requests: 3,
	models: ['claude-sonnet-4-5', 'gpt-5,"odd"'],
};

describe('report output', () => {
	it('stars costs that include estimated prices, keeping the column aligned', () => {
		expect(cost(12.345678, 3)).toBe('$12.35*');
		expect(cost(12.345678, 0)).toBe('$12.35 ');
		expect(cost(0.0042, 0)).toBe('$0.0042 ');
		expect(ESTIMATED_NOTE(1)).toMatch(/^\* includes 1 request at estimated prices/);
		const {text} = periodTable('weekly', [week, {...week, period: '2026-11-30', estimated_requests: 0, estimated_cost_usd: 1}]);
		expect(text).toContain('│ Week of    │');
		expect(text).toMatch(/│\s+1,234 │\s+34 │\s+1,000,000 │\s+50,000 │\s+7 │\s+300 │\s+1,050,000 │\s+\$12\.35\* │/);
		expect(text).toMatch(/│ Total\s+│\s+│\s+2,468 │.*│\s+\$13\.35\* │/);
	});

	it('weekly and monthly CSV and JSON name the period and give its dates first', () => {
		const csv = periodCsv('weekly', [week]);
		expect(csv.split('\r\n')[0]).toBe('week_start,first_date,last_date,total_requests,success_count,failure_count,input_tokens,output_tokens,reasoning_tokens,cached_tokens,total_tokens,estimated_cost_usd,estimated_requests,models');
		expect(parse(csv, {columns: true})).toEqual([expect.objectContaining({week_start: '2026-11-23', estimated_cost_usd: '12.345678', models: 'claude-sonnet-4-5;gpt-5,"odd"'})]);
		expect(periodCsv('monthly', [{...week, period: '2026-11'}]).startsWith('month,first_date,last_date,')).toBe(true);
		expect(periodCsv('daily', [{...week, period: '2026-11-23'}]).startsWith('stat_date,total_requests,')).toBe(true);
		const json = JSON.parse(periodJson('monthly', [], [{...week, period: '2026-11'}]));
		expect(Object.keys(json[0]).slice(0, 4)).toEqual(['month', 'first_date', 'last_date', 'total_requests']);
	});

	it('models CSV carries every token column', () => {
		const row: ModelTotalsRow = {provider: '', model: 'gpt-4o', requests: 2, failed: 0, input_tokens: 1, output_tokens: 2, reasoning_tokens: 3, cached_tokens: 4, cache_read_tokens: 5, cache_creation_tokens: 6, total_tokens: 7, cost_usd: 0.5, estimated_requests: 2};
		expect(modelsCsv([row])).toBe(
			'provider,model,requests,failed,input_tokens,output_tokens,reasoning_tokens,cached_tokens,cache_read_tokens,cache_creation_tokens,total_tokens,cost_usd,estimated_requests\r\n,gpt-4o,2,0,1,2,3,4,5,6,7,0.5,2\r\n',
		);
	});
});
