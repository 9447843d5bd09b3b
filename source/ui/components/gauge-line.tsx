import {Text} from 'ink';
import {ESTIMATE_MARK, formatPercent, formatShortDuration} from '../../core/report/format.js';
import {ratioColor, type GaugeView} from '../view-model.js';

/**
 * One gauge on one line: ◆ (the provider's own window) or ◇ (a limit the user set), name, bar,
 * percent used, time to reset, projected exhaustion, then what it is (cut first when the line is
 * too long). `barWidth` is the panel's, so bars align.
 */
export function GaugeLine({gauge, now, barWidth, titleWidth, compact}: {gauge: GaugeView; now: number; barWidth: number; titleWidth: number; compact?: boolean}) {
	const color = ratioColor(gauge.ratio);
	const title = gauge.title.length > titleWidth ? `${gauge.title.slice(0, titleWidth - 1)}…` : gauge.title.padEnd(titleWidth);
	const filled = Math.min(barWidth, Math.round(Math.min(1, gauge.ratio) * barWidth));
	const mark = gauge.kind === 'official' ? '◆' : '◇';
	const bar = (
		<>
			<Text color={gauge.kind === 'official' ? 'cyan' : 'magenta'}>{mark}</Text> {title} <Text color={color}>{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(barWidth - filled)}</Text> <Text color={color}>{formatPercent(gauge.ratio).padStart(4)}</Text>
		</>
	);
	if (compact) {
		// A side-pane has room for one of the two times: the warning wins.
		return (
			<Text wrap="truncate-end">
				{bar}
				{gauge.cooling ? (
					<Text color="yellow"> cooling</Text>
				) : gauge.exhausted ? (
					<Text color="red"> ⚠ out</Text>
				) : gauge.exhaustsAt !== null ? (
					<Text color="red"> ⚠{formatShortDuration(gauge.exhaustsAt - now)}</Text>
				) : gauge.resetsAt !== null ? (
					<Text dimColor> ↻{formatShortDuration(gauge.resetsAt - now)}</Text>
				) : null}
			</Text>
		);
	}
	return (
		<Text wrap="truncate-end">
			{bar}
			{gauge.resetsAt === null ? '' : <Text dimColor> ↻{formatShortDuration(gauge.resetsAt - now)}</Text>}
			{gauge.exhausted ? <Text color="red"> ⚠ used up</Text> : gauge.exhaustsAt === null ? '' : <Text color="red"> ⚠ empty in {formatShortDuration(gauge.exhaustsAt - now)}</Text>}
			{gauge.cooling ? <Text color="yellow"> · cooling down</Text> : ''}
			<Text dimColor>
				{'  '}
				{gauge.label}
				{gauge.kind === 'yours' ? ' · yours' : ''}
				{gauge.estimated ? ` ${ESTIMATE_MARK} estimated` : ''}
			</Text>
		</Text>
	);
}
