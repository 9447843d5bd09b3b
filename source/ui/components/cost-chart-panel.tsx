import {Text} from 'ink';
import {memo} from 'react';
import {formatUsd} from '../../core/report/format.js';
import {costChart} from '../cost-chart.js';
import {Panel} from './panel.js';

/** Cost per hour over the last 24 hours as a column chart with axes, the current hour last (the wide layout's larger sparkline). */
export const CostChartPanel = memo(function CostChartPanel({hourlyCost, lastHour, width, rows}: {hourlyCost: readonly number[]; lastHour: number; width: number; rows: number}) {
	const chart = costChart(hourlyCost, width - 4, rows, lastHour);
	const peak = Math.max(0, ...hourlyCost);
	return (
		<Panel title={`Cost per hour, last 24h · now ${formatUsd(hourlyCost.at(-1) ?? 0)}/h · peak ${formatUsd(peak)}/h`} width={width} accent="cyan">
			{chart.rows.map((r, i) => (
				<Text key={i} wrap="truncate-end">
					<Text dimColor>
						{r.label} {r.tick ? '┤' : '│'}
					</Text>
					<Text color="cyan">{r.bars}</Text>
				</Text>
			))}
			<Text dimColor wrap="truncate-end">
				{chart.baseline}
			</Text>
			<Text dimColor wrap="truncate-end">
				{chart.hours}
			</Text>
		</Panel>
	);
});
