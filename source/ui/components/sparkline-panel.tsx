import {Text} from 'ink';
import {memo} from 'react';
import {sparkline} from '../../core/report/dashboard-math.js';
import {formatUsd} from '../../core/report/format.js';
import type {LayoutMode} from '../layout.js';
import {Panel} from './panel.js';

/** Cost per hour over the last 24 hours, one character an hour, the current hour last. */
export const SparklinePanel = memo(function SparklinePanel({hourlyCost, mode, width}: {hourlyCost: readonly number[]; mode: LayoutMode; width: number}) {
	const peak = Math.max(0, ...hourlyCost);
	const line = sparkline(hourlyCost);
	if (mode === 'narrow') {
		return (
			<Text wrap="truncate-end">
				<Text dimColor>24h </Text>
				<Text color="cyan">{line}</Text>
				<Text dimColor> peak {formatUsd(peak)}/h</Text>
			</Text>
		);
	}
	return (
		<Panel title="Cost per hour, last 24h" width={width} accent="cyan">
			<Text wrap="truncate-end">
				<Text color="cyan">{line}</Text>
				<Text dimColor>
					{'  '}now {formatUsd(hourlyCost.at(-1) ?? 0)}/h · peak {formatUsd(peak)}/h
				</Text>
			</Text>
		</Panel>
	);
});
