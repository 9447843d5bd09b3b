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
	rate_limited: 4,
	cancelled: 2,
	input_tokens: 1_000_000,
	cache_read_tokens: 300,
	cache_write_tokens: 20,
	output_tokens: 50_000,
	reasoning_tokens: 7,
	total_tokens: 1_050_000,
	estimated_cost_usd: 12.345678,
	estimated_requests: 3,
	models: ['claude-sonnet-4-5', 'gpt-5,"odd"'],
};

describe('report output', () => {
	it('marks costs that include estimates with ~, as the dashboard does, and splits failures by cause', () => {
		expect(cost(12.345678, 3)).toBe('~$12.35');
		expect(cost(12.345678, 0)).toBe('$12.35');
		expect(cost(0.0042, 0)).toBe('$0.0042');
		expect(ESTIMATED_NOTE(1)).toMatch(/^~ includes 1 request with estimated costs/);
		const {text} = periodTable('weekly', [week, {...week, period: '2026-11-30', estimated_requests: 0, estimated_cost_usd: 1}]);
		expect(text).toContain('│ Week of    │');
		// Failed: the upstream's 28 (34 less four 429s and two cancels).
		expect(text).toMatch(/│\s+1,234 │\s+28 │\s+4 │\s+2 │\s+1,000,000 │\s+300 │\s+20 │\s+50,000 │\s+7 │\s+1,050,000 │\s+~\$12\.35 │/);
		expect(text).toMatch(/│ Total\s+│\s+│\s+2,468 │.*│\s+~\$13\.35 │/);
	});

	it('weekly and monthly CSV and JSON name the period and give its dates first', () => {
		const csv = periodCsv('weekly', [week]);
		expect(csv.split('\r\n')[0]).toBe('week_start,first_date,last_date,total_requests,success_count,failure_count,rate_limited,cancelled,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,total_tokens,estimated_cost_usd,estimated_requests,models');
		expect(parse(csv, {columns: true})).toEqual([expect.objectContaining({week_start: '2026-11-23', estimated_cost_usd: '12.345678', models: 'claude-sonnet-4-5;gpt-5,"odd"'})]);
		expect(periodCsv('monthly', [{...week, period: '2026-11'}]).startsWith('month,first_date,last_date,')).toBe(true);
		expect(periodCsv('daily', [{...week, period: '2026-11-23'}]).startsWith('stat_date,total_requests,')).toBe(true);
		const json = JSON.parse(periodJson('monthly', [], [{...week, period: '2026-11'}]));
		expect(Object.keys(json[0]).slice(0, 4)).toEqual(['month', 'first_date', 'last_date', 'total_requests']);
	});

	it('models CSV carries every token column', () => {
		const row: ModelTotalsRow = {provider: '', model: 'gpt-4o', tier: 'priority', requests: 2, failed: 1, rate_limited: 1, cancelled: 0, input_tokens: 1, cache_read_tokens: 5, cache_write_tokens: 6, output_tokens: 2, reasoning_tokens: 3, total_tokens: 7, cost_usd: 0.5, estimated_requests: 2};
		expect(modelsCsv([row])).toBe(
			'provider,model,tier,requests,failed,rate_limited,cancelled,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,total_tokens,cost_usd,estimated_requests\r\n,gpt-4o,priority,2,1,1,0,1,5,6,2,3,7,0.5,2\r\n',
		);
	});
});
