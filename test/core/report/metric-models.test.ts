import {describe, expect, it} from 'vitest';
import {boundMetricRows, METRIC_MODELS, OTHER} from '../../../source/core/report/metric-models.js';

const row = (provider: string, model: string, cost: number, requests = 1) => ({instance: 'i', account: 'a', provider, model, cost, requests, input: requests * 10});
const top = (rows: ReturnType<typeof row>[], models?: number) => boundMetricRows(rows, {models}).rows;

describe('boundMetricRows: models', () => {
	it('keeps the 50 most expensive pairs and sums the rest into (other)', () => {
		const rows = Array.from({length: 20_000}, (_, i) => row('p', `model-${i}`, i / 1000));
		const out = top(rows);
		expect(out).toHaveLength(METRIC_MODELS + 1);
		expect(out.map(r => r.model)).toEqual(expect.arrayContaining(['model-19999', 'model-19950']));
		expect(out.map(r => r.model)).not.toContain('model-19949');
		const other = out.find(r => r.model === OTHER)!;
		expect(other).toMatchObject({provider: OTHER, requests: 20_000 - METRIC_MODELS, input: (20_000 - METRIC_MODELS) * 10});
		expect(out.reduce((s, r) => s + r.requests, 0)).toBe(20_000);
	});

	it('makes label values safe and merges pairs that then coincide, so no series is duplicated', () => {
		const long = (tail: string) => `${'x'.repeat(200)}${tail}`;
		expect(top([row('p', long('1'), 1), row('p', long('2'), 1.5)], 5)).toEqual([{instance: 'i', account: 'a', provider: 'p', model: `${'x'.repeat(127)}…`, cost: 2.5, requests: 2, input: 20}]);
		const out = top([row('p', 'a\u001b[31m', 1), row('p', 'a\u001b[31m', 2, 3), row('p', long('1'), 1), row('p', long('2'), 1), row('p', OTHER, 5)], 2);
		// A model really named "(other)" keeps its provider, so it stays a series of its own.
		expect(new Set(out.map(r => `${r.provider}/${r.model}`))).toEqual(new Set([`p/${OTHER}`, 'p/a␛[31m', `${OTHER}/${OTHER}`]));
		expect(out.find(r => r.model === 'a␛[31m')).toMatchObject({requests: 4, cost: 3});
		expect(out.find(r => r.provider === OTHER)).toMatchObject({requests: 2, cost: 2});
		const keys = out.map(r => `${r.provider}/${r.model}`);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
