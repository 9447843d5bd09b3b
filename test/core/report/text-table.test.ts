import {describe, expect, it} from 'vitest';
import {renderTable, width, type TableColumn} from '../../../source/core/report/text-table.js';

const columns: TableColumn[] = [
	{header: 'Date', align: 'left', priority: Infinity},
	{header: 'Models', align: 'left', priority: 10, maxWidth: 12},
	{header: 'Requests', align: 'right', priority: 50},
	{header: 'Cost (USD)', align: 'right', priority: 100},
];

describe('renderTable', () => {
	it('aligns columns, rules off the header and the total', () => {
		const {text, hidden} = renderTable(columns, [['2026-11-01', 'gpt-5', '1,234', '$1.00 '], ['2026-11-02', 'o3', '7', '$12.50*']], {total: ['Total', '', '1,241', '$13.50*']});
		expect(hidden).toEqual([]);
		expect(text).toBe(
			[
				'┌────────────┬────────┬──────────┬────────────┐',
				'│ Date       │ Models │ Requests │ Cost (USD) │',
				'├────────────┼────────┼──────────┼────────────┤',
				'│ 2026-11-01 │ gpt-5  │    1,234 │     $1.00  │',
				'│ 2026-11-02 │ o3     │        7 │    $12.50* │',
				'├────────────┼────────┼──────────┼────────────┤',
				'│ Total      │        │    1,241 │    $13.50* │',
				'└────────────┴────────┴──────────┴────────────┘',
				'',
			].join('\n'),
		);
	});

	it('gives multi-line cells their height, rules between rows, and clips long lines', () => {
		const {text} = renderTable(columns, [['2026-11-01', '- a\n- a-very-long-model-name', '2', '$0.10 '], ['2026-11-02', '- b', '1', '$0.05 ']]);
		const lines = text.trimEnd().split('\n');
		expect(lines).toContain('│ 2026-11-01 │ - a          │        2 │     $0.10  │');
		expect(lines).toContain('│            │ - a-very-lo… │          │            │');
		expect(lines.filter(l => l.startsWith('├'))).toHaveLength(2);
		expect(new Set(lines.map(width)).size).toBe(1);
	});

	it('drops the lowest-priority columns first to fit a narrow terminal, never the first', () => {
		const rows = [['2026-11-01', 'gpt-5', '1,234', '$1.00 ']];
		const wide = renderTable(columns, rows);
		const fit = (max: number) => renderTable(columns, rows, {maxWidth: max});
		expect(fit(width(wide.text.split('\n')[0]!)).hidden).toEqual([]);
		expect(fit(40).hidden).toEqual(['Models']);
		expect(fit(29).hidden).toEqual(['Models', 'Requests']);
		expect(fit(10).hidden).toEqual(['Models', 'Requests', 'Cost (USD)']);
		for (const max of [40, 29]) expect(Math.max(...fit(max).text.trimEnd().split('\n').map(width))).toBeLessThanOrEqual(max);
		expect(fit(10).text).toContain('│ 2026-11-01 │');
	});

	it('counts wide characters as two cells', () => {
		expect(width('模型')).toBe(4);
		const {text} = renderTable([{header: 'M', align: 'left', priority: 1}], [['模型'], ['ab']]);
		expect(new Set(text.trimEnd().split('\n').map(width)).size).toBe(1);
	});
});
