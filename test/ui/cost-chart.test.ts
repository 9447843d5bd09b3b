import {describe, expect, it} from 'vitest';
import {fitColumns} from '../../source/ui/column-fit.js';
import {costChart} from '../../source/ui/cost-chart.js';

describe('costChart', () => {
	it('scales columns to the peak in eighths, names the peak, its half and $0, and every sixth hour', () => {
		const values = Array.from({length: 24}, (_, i) => (i === 23 ? 2 : i === 11 ? 1 : 0));
		const chart = costChart(values, 80, 4, 14);
		expect(chart.rows.map(r => r.label.trim())).toEqual(['$2.00', '', '$1.00', '']);
		// The peak fills every row of its column; half the peak the lower two.
		expect(chart.rows.map(r => r.bars.at(-1))).toEqual(['█', '█', '█', '█']);
		const half = chart.rows.map(r => [...r.bars.padEnd(24 * 3)][11 * 3]);
		expect(half).toEqual([' ', ' ', '█', '█']);
		expect(chart.baseline).toMatch(/^ +\$0 └─+$/);
		expect(chart.hours).toMatch(/18:00 .*00:00 .*06:00 .*12:00 .*now$/);
		for (const line of [...chart.rows.map(r => `${r.label} │${r.bars}`), chart.baseline, chart.hours]) expect([...line].length).toBeLessThanOrEqual(80);
	});

	it('draws nothing above the baseline with no cost', () => {
		expect(costChart(new Array(24).fill(0), 60, 3, 0).rows.every(r => r.bars.trim() === '')).toBe(true);
	});
});

describe('fitColumns', () => {
	const columns = [
		{key: 'Name', align: 'left' as const, priority: 9, cell: (r: {n: string; a: number; b: number}) => ({text: r.n}), floor: 6},
		{key: 'A', align: 'right' as const, priority: 5, cell: (r: {n: string; a: number; b: number}) => ({text: String(r.a)})},
		{key: 'B', align: 'right' as const, priority: 2, cell: (r: {n: string; a: number; b: number}) => ({text: String(r.b)})},
	];
	const data = [{n: 'a-long-model-name', a: 12345, b: 7}];

	it('keeps every column at its width when it fits, cuts text to its floor, then drops the least important', () => {
		expect(fitColumns(columns, data, 40).columns.map(c => c.width)).toEqual([17, 5, 1]);
		const cut = fitColumns(columns, data, 16);
		expect(cut.columns.map(c => c.key)).toEqual(['Name', 'A', 'B']);
		expect(cut.rows[0]![0]!.text).toBe('a-long-…');
		const dropped = fitColumns(columns, data, 12);
		expect(dropped.columns.map(c => c.key)).toEqual(['Name', 'A']);
	});
});
