import {Box, Text} from 'ink';
import {gaugeRows} from '../gauge-rows.js';
import type {LayoutMode} from '../layout.js';
import type {GaugeView} from '../view-model.js';
import {GaugeLine, gaugeTail} from './gauge-line.js';
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
 * the titles at their length (26 at most), then the times (reset, running out, cooling), then
 * the label after them, with the bar (24 at most) giving way to the label down to 10 (6 in a
 * side-pane); short of room for the times, the titles give way (to 12, 10), then the bar (to 4);
 * only then is the label cut.
 */
export function gaugeWidths(gauges: readonly GaugeView[], inner: number, narrow: boolean, now: number): {titleWidth: number; barWidth: number} {
	const longest = Math.min(26, Math.max(8, ...gauges.map(g => [...g.title].length)));
	const tails = gauges.map(g => gaugeTail(g, now, narrow));
	const widthOf = (parts: ReadonlyArray<{text: string}>) => parts.reduce((sum, p) => sum + [...p.text].length, 0);
	// A side-pane's tail is one time; elsewhere the last part is the label.
	const times = Math.max(0, ...tails.map(t => widthOf(narrow ? t : t.slice(0, -1))));
	const whole = Math.max(0, ...tails.map(widthOf));
	// The mark, the spaces and the percent: "◆ " title " " bar " " "100%".
	const room = inner - 8 - times;
	const [barMin, titleMin] = narrow ? [6, 10] : [10, 12];
	if (room - longest >= barMin) return {titleWidth: longest, barWidth: Math.max(barMin, Math.min(24, inner - 8 - longest - whole))};
	const titleWidth = Math.max(Math.min(longest, titleMin), Math.min(longest, room - barMin));
	return {titleWidth, barWidth: Math.max(4, Math.min(24, room - titleWidth))};
}
