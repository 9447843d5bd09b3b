import {Box, Text} from 'ink';
import {gaugeRows} from '../gauge-rows.js';
import type {LayoutMode} from '../layout.js';
import type {GaugeView} from '../view-model.js';
import {GaugeLine} from './gauge-line.js';
import {Panel} from './panel.js';

/**
 * The providers' own quota windows per account (◆ official), then the limits the user set
 * (◇ yours), as many as the rows allow (see gaugeRows).
 */
export function LimitsPanel({gauges, rows, mode, width, now, height}: {gauges: readonly GaugeView[]; rows: number; mode: LayoutMode; width: number; now: number; height?: number}) {
	const narrow = mode === 'narrow';
	const {shown, hidden} = gaugeRows(gauges, rows, narrow);
	const inner = narrow ? width : width - 4;
	const longest = Math.max(8, ...shown.map(g => g.title.length));
	const titleWidth = Math.min(longest, 26, Math.max(8, Math.floor(inner * (narrow ? 0.4 : 0.32))));
	const barWidth = Math.max(4, Math.min(24, inner - titleWidth - 8 - (narrow ? 9 : 30)));
	const lines = (
		<>
			{gauges.length === 0 && rows > 0 ? <Text dimColor wrap="truncate-end">No limits yet: official windows appear with Claude or Codex traffic; yours with cliproxy-usage limits add --help</Text> : null}
			{shown.map(g => (
				<GaugeLine key={g.key} gauge={g} now={now} barWidth={barWidth} titleWidth={titleWidth} compact={narrow} />
			))}
			{hidden > 0 && rows >= 2 ? <Text dimColor>… {hidden} more</Text> : null}
		</>
	);
	if (narrow) {
		return (
			<Box flexDirection="column" width={width} flexShrink={0}>
				<Text bold color="magenta" wrap="truncate-end">
					Limits <Text dimColor>◆ official ◇ yours</Text>
				</Text>
				{lines}
			</Box>
		);
	}
	return (
		<Panel title="Limits · ◆ official ◇ yours" width={width} accent="magenta" height={height}>
			{lines}
		</Panel>
	);
}
