import {Text} from 'ink';
import {ESTIMATE_MARK, formatPercent, formatShortDuration} from '../../core/report/format.js';
import {ratioColor, type GaugeView} from '../view-model.js';

type Part = {text: string; color?: 'red' | 'yellow'; dim?: boolean};

/**
 * What follows a gauge's bar and percent: time to reset, projected exhaustion, cooling, then
 * what it is (cut first when the line is too long). A side-pane (`compact`) has room for one
 * of the times: the warning wins.
 */
export function gaugeTail(gauge: GaugeView, now: number, compact: boolean): Part[] {
	if (compact) {
		if (gauge.cooling) return [{text: ' cooling', color: 'yellow'}];
		if (gauge.exhausted) return [{text: ' ⚠ out', color: 'red'}];
		if (gauge.exhaustsAt !== null) return [{text: ` ⚠${formatShortDuration(gauge.exhaustsAt - now)}`, color: 'red'}];
		if (gauge.resetsAt !== null) return [{text: ` ↻${formatShortDuration(gauge.resetsAt - now)}`, dim: true}];
		return [];
	}
	const parts: Part[] = [];
	if (gauge.resetsAt !== null) parts.push({text: ` ↻${formatShortDuration(gauge.resetsAt - now)}`, dim: true});
	if (gauge.exhausted) parts.push({text: ' ⚠ used up', color: 'red'});
	else if (gauge.exhaustsAt !== null) parts.push({text: ` ⚠ empty in ${formatShortDuration(gauge.exhaustsAt - now)}`, color: 'red'});
	if (gauge.cooling) parts.push({text: ' · cooling down', color: 'yellow'});
	parts.push({text: `  ${gauge.label}${gauge.kind === 'yours' ? ' · yours' : ''}${gauge.estimated ? ` ${ESTIMATE_MARK} estimated` : ''}`, dim: true});
	return parts;
}

/**
 * One gauge on one line: ◆ (the provider's own window) or ◇ (a limit the user set), name, bar,
 * percent used, then its tail (gaugeTail). `barWidth` is the panel's, so bars align.
 */
export function GaugeLine({gauge, now, barWidth, titleWidth, compact}: {gauge: GaugeView; now: number; barWidth: number; titleWidth: number; compact?: boolean}) {
	const color = ratioColor(gauge.ratio);
	const title = gauge.title.length > titleWidth ? `${gauge.title.slice(0, titleWidth - 1)}…` : gauge.title.padEnd(titleWidth);
	const filled = Math.min(barWidth, Math.round(Math.min(1, gauge.ratio) * barWidth));
	const mark = gauge.kind === 'official' ? '◆' : '◇';
	return (
		<Text wrap="truncate-end">
			<Text color={gauge.kind === 'official' ? 'cyan' : 'magenta'}>{mark}</Text> {title} <Text color={color}>{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(barWidth - filled)}</Text> <Text color={color}>{formatPercent(gauge.ratio).padStart(4)}</Text>
			{gaugeTail(gauge, now, compact ?? false).map((p, i) => (
				<Text key={i} color={p.color} dimColor={p.dim}>
					{p.text}
				</Text>
			))}
		</Text>
	);
}
