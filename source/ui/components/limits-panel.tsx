import {Box, Text} from 'ink';
import {gaugeRows} from '../gauge-rows.js';
import type {LayoutMode} from '../layout.js';
import type {GaugeView} from '../view-model.js';
import {GaugeLine, gaugeTailWidth} from './gauge-line.js';
import {Panel} from './panel.js';

/**
 * The providers' own quota windows per account (◆ official), then the limits the user set
 * (◇ yours), as many as the rows allow (see gaugeRows).
 */
export function LimitsPanel({gauges, rows, mode, width, now, height}: {gauges: readonly GaugeView[]; rows: number; mode: LayoutMode; width: number; now: number; height?: number}) {
	const narrow = mode === 'narrow';
	const {shown, hidden} = gaugeRows(gauges, rows, narrow);
	const inner = narrow ? width : width - 4;
	const {titleWidth, barWidth} = gaugeWidths(shown, inner, narrow, now);
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

/**
 * Title and bar widths for gauge lines in `inner` columns, so the whole line fits when it can:
 * the titles at their length (26 at most) and the bar up to 24; short of room the bar gives
 * way first (to 10, 6 in a side-pane), then the titles (to 12, 10), then the bar (to 4); only
 * then is the line's tail cut.
 */
export function gaugeWidths(gauges: readonly GaugeView[], inner: number, narrow: boolean, now: number): {titleWidth: number; barWidth: number} {
	const longest = Math.min(26, Math.max(8, ...gauges.map(g => g.title.length)));
	const tail = Math.max(0, ...gauges.map(g => gaugeTailWidth(g, now, narrow)));
	// mark, spaces and the percent: "◆ " title " " bar " " "100%".
	const room = inner - 7 - tail;
	const [barMin, titleMin] = narrow ? [6, 10] : [10, 12];
	if (room - longest >= barMin) return {titleWidth: longest, barWidth: Math.min(24, room - longest)};
	const titleWidth = Math.max(Math.min(longest, titleMin), Math.min(longest, room - barMin));
	return {titleWidth, barWidth: Math.max(4, Math.min(24, room - titleWidth))};
}
