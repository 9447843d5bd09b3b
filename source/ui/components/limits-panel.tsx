import {Box, Text} from 'ink';
import type {LayoutMode} from '../layout.js';
import type {GaugeView} from '../view-model.js';
import {GaugeLine} from './gauge-line.js';
import {Panel} from './panel.js';

/** A gauge per limit config, most used first, as many as the rows allow. */
export function LimitsPanel({gauges, rows, mode, width, now, height}: {gauges: readonly GaugeView[]; rows: number; mode: LayoutMode; width: number; now: number; height?: number}) {
	const sorted = [...gauges].sort((a, b) => b.ratio - a.ratio);
	// With room for one row, the most used gauge beats a "… N more" line.
	const shown = sorted.length > rows ? sorted.slice(0, rows >= 2 ? rows - 1 : rows) : sorted;
	const hidden = sorted.length - shown.length;
	const inner = mode === 'narrow' ? width : width - 4;
	const titleWidth = Math.min(16, Math.max(8, ...shown.map(g => g.title.length)));
	const barWidth = Math.max(4, Math.min(24, inner - titleWidth - 6 - (mode === 'narrow' ? 9 : 24)));
	const lines = (
		<>
			{gauges.length === 0 && rows > 0 ? <Text dimColor wrap="truncate-end">No limits set: cliproxy-usage limits add --help</Text> : null}
			{shown.map(g => (
				<GaugeLine key={g.id} gauge={g} now={now} barWidth={barWidth} titleWidth={titleWidth} compact={mode === 'narrow'} />
			))}
			{hidden > 0 && rows >= 2 ? <Text dimColor>… {hidden} more</Text> : null}
		</>
	);
	if (mode === 'narrow') {
		return (
			<Box flexDirection="column" width={width} flexShrink={0}>
				<Text bold color="magenta">
					Limits
				</Text>
				{lines}
			</Box>
		);
	}
	return (
		<Panel title="Limits" width={width} accent="magenta" height={height}>
			{lines}
		</Panel>
	);
}
